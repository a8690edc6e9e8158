"""Figure cells of the dashboard tables, rendered in one call per row: a province has some 150 sub-units by
six indicators, and one template node per value cost more than the rest of the page (measured)."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

# Kept short: the large province's table has some 900 of these cells.
CELL = (
    '<td class="num fig status-{}{}" data-sort="{}"><span class="fig-value">{}</span> '
    '<span class="verdict mark status-{}" role="img" aria-label="{}" title="{}">{}</span>'
    '<span class="fig-counts">{}</span></td>'
)
LINK = '<a href="{}">{}</a>'


def _number(url, text):
    """A count linking to the list behind it, or plain where the measure has no list."""
    return format_html(LINK, url, text) if url else text


def _counts(cell):
    """The counts of a ratio, "numerator/denominator", each linked to its list; a count has no denominator, only its own
    number linked to the list behind it."""
    if cell.is_count:
        return _number(cell.numerator_url, cell.numerator_text)
    return format_html(
        "{}/{}", _number(cell.numerator_url, cell.numerator_text), _number(cell.denominator_url, cell.denominator_text)
    )


@register.simple_tag
def figure_cells(row):
    """The <td> of each indicator of a dashboard.Row."""
    return format_html_join(
        "",
        CELL,
        (
            (
                cell.status,
                " provisional" if cell.provisional else "",
                cell.sort_key,
                cell.value,
                cell.status,
                cell.verdict,
                cell.title,
                cell.symbol,
                _counts(cell),
            )
            for cell in row.cells
        ),
    )


@register.simple_tag
def name_cell(row):
    name = format_html('<a href="{}">{}</a>', row.url, row.name) if row.url else row.name
    kind = format_html('<span class="row-kind">{}</span>', row.kind) if row.kind else ""
    return format_html('<td data-sort="{}">{}{}</td>', row.name, name, kind)
