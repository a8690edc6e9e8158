"""The rows of the dashboard tables, rendered in one call per table: a province has some 150 sub-units by
six indicators, and one template node per value cost more than the rest of the page (measured)."""

from html import escape as _escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


# Kept short: the large province's table has some 900 of these cells. Joined with plain f-strings and the
# standard library's html.escape (what django.utils.html.escape runs): format_html's per-argument conditional_escape
# and SafeString wrapping were half the table's cost (measured on the province demo). The numbers (value, counts,
# sort key) are the dashboard module's own formatting: digits, separators and a unit symbol, nothing to escape;
# the words of a table repeat (a few verdicts and symbols), so each is escaped once per table.


def _number(url, text):
    """A count linking to the list behind it, or plain where the measure has no list."""
    return f'<a href="{_escape(url)}">{text}</a>' if url else text


def _counts(cell):
    """The counts of a ratio, "numerator/denominator", each linked to its list; a count has no denominator, only its own
    number linked to the list behind it."""
    if cell.is_count:
        return _number(cell.numerator_url, cell.numerator_text)
    return f"{_number(cell.numerator_url, cell.numerator_text)}/{_number(cell.denominator_url, cell.denominator_text)}"


def _cell(cell, words):
    status = words(cell.status)
    provisional = " provisional" if cell.provisional else ""
    return (
        f'<td class="num fig status-{status}{provisional}" data-sort="{cell.sort_key}">'
        f'<span class="fig-value">{cell.value}</span> '
        f'<span class="verdict mark status-{status}" role="img" aria-label="{words(cell.verdict)}" '
        f'title="{words(cell.title)}">{words(cell.symbol)}</span>'
        f'<span class="fig-counts">{_counts(cell)}</span></td>'
    )


def _escaped_words():
    """escape, remembered: the words of a table's cells (verdict, symbol, title) repeat from cell to cell."""
    seen = {}

    def words(value):
        text = seen.get(value)
        if text is None:
            text = seen[value] = _escape(str(value))
        return text

    return words


def _row(row, words):
    """The <tr> of a dashboard.Row: its name, then the <td> of each indicator."""
    return f"<tr>{_name_cell(row)}{''.join(_cell(cell, words) for cell in row.cells)}</tr>"


def _name_cell(row):
    name = f'<a href="{_escape(row.url)}">{_escape(row.name)}</a>' if row.url else _escape(row.name)
    kind = f'<span class="row-kind">{_escape(row.kind)}</span>' if row.kind else ""
    return f'<td data-sort="{_escape(row.name)}">{name}{kind}</td>'


@register.simple_tag
def figure_rows(rows):
    """The <tr> of every dashboard.Row of a table, in one call: a template loop cost some 150 tag calls a table."""
    words = _escaped_words()
    return mark_safe("\n".join(_row(row, words) for row in rows))
