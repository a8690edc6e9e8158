"""Figure cells of the dashboard tables, rendered in one call per row: a province has some 150 sub-units by
six indicators, and one template node per value cost more than the rest of the page (measured)."""

from html import escape as _escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def escape(value):
    return _escape(str(value))


# Kept short: the large province's table has some 900 of these cells. Joined with plain f-strings and the
# standard library's escape (what django.utils.html.escape runs): format_html's per-argument conditional_escape
# and SafeString wrapping were half the table's cost (measured on the province demo).


def _number(url, text):
    """A count linking to the list behind it, or plain where the measure has no list."""
    return f'<a href="{escape(url)}">{escape(text)}</a>' if url else escape(text)


def _counts(cell):
    """The counts of a ratio, "numerator/denominator", each linked to its list; a count has no denominator, only its own
    number linked to the list behind it."""
    if cell.is_count:
        return _number(cell.numerator_url, cell.numerator_text)
    return f"{_number(cell.numerator_url, cell.numerator_text)}/{_number(cell.denominator_url, cell.denominator_text)}"


def _cell(cell):
    status = escape(cell.status)
    provisional = " provisional" if cell.provisional else ""
    return (
        f'<td class="num fig status-{status}{provisional}" data-sort="{escape(cell.sort_key)}">'
        f'<span class="fig-value">{escape(cell.value)}</span> '
        f'<span class="verdict mark status-{status}" role="img" aria-label="{escape(cell.verdict)}" '
        f'title="{escape(cell.title)}">{escape(cell.symbol)}</span>'
        f'<span class="fig-counts">{_counts(cell)}</span></td>'
    )


@register.simple_tag
def figure_cells(row):
    """The <td> of each indicator of a dashboard.Row."""
    return mark_safe("".join(_cell(cell) for cell in row.cells))


@register.simple_tag
def name_cell(row):
    name = format_html('<a href="{}">{}</a>', row.url, row.name) if row.url else row.name
    kind = format_html('<span class="row-kind">{}</span>', row.kind) if row.kind else ""
    return format_html('<td data-sort="{}">{}{}</td>', row.name, name, kind)
