"""Display of the report's table cells in the page: the workbook's values in the language's number format."""

from django import template

from indicators import figure_cells
from reports import tables

register = template.Library()


@register.filter
def cell_text(cell):
    return figure_cells.cell_text(cell)


@register.filter
def cell_class(cell):
    # Class names of their own (rv-…): the dashboard's .verdict is an inline pill, not a table cell.
    if cell.kind == tables.VERDICT:
        return f"rv rv-{cell.status}"
    if cell.kind in (tables.INT, tables.PCT, tables.PER_MILLE, tables.MARGIN, tables.TARGET):
        return "num"
    if cell.kind in (tables.CODE, tables.YEAR):
        return "code-cell"
    return "txt"
