"""Figure cells of the dashboard tables, rendered in one call per row: a province has some 150 sub-units by
six indicators, and one template node per value cost more than the rest of the page (measured)."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

# Kept short: the large province's table has some 900 of these cells.
CELL = (
    '<td class="num fig status-{}{}" data-sort="{}"><span class="fig-value">{}</span> '
    '<span class="verdict mark status-{}" role="img" aria-label="{}" title="{}">{}</span>'
    '<span class="fig-counts"><a href="{}">{}</a>/<a href="{}">{}</a></span></td>'
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
                cell.numerator_url,
                cell.numerator_text,
                cell.denominator_url,
                cell.denominator_text,
            )
            for cell in row.cells
        ),
    )


@register.simple_tag
def name_cell(row):
    name = format_html('<a href="{}">{}</a>', row.url, row.name) if row.url else row.name
    kind = format_html('<span class="row-kind">{}</span>', row.kind) if row.kind else ""
    return format_html('<td data-sort="{}">{}{}</td>', row.name, name, kind)
