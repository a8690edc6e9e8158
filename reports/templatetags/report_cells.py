"""Display of the report's table cells in the page: the workbook's values in the language's number format."""

from django import template
from django.utils import formats

from reports import tables

register = template.Library()


@register.filter
def cell_text(cell):
    if cell.kind == tables.VERDICT:
        return tables.verdict_word(cell.status) if cell.status else ""
    if cell.value is None:
        return "—" if cell.kind == tables.PCT else ""
    if cell.kind == tables.PCT:
        return tables.percent_text(cell.value)
    if cell.kind == tables.TARGET:
        return tables.target_text(cell)
    if cell.kind == tables.INT:
        return formats.number_format(cell.value, force_grouping=True, use_l10n=True)
    if cell.kind == tables.MARGIN:
        sign = "+" if cell.value > 0 else "−" if cell.value < 0 else ""
        return sign + formats.number_format(abs(cell.value), force_grouping=True, use_l10n=True)
    return str(cell.value)


@register.filter
def cell_class(cell):
    # Class names of their own (rv-…): the dashboard's .verdict is an inline pill, not a table cell.
    if cell.kind == tables.VERDICT:
        return f"rv rv-{cell.status}"
    if cell.kind in (tables.INT, tables.PCT, tables.MARGIN, tables.TARGET):
        return "num"
    if cell.kind in (tables.CODE, tables.YEAR):
        return "code-cell"
    return "txt"
