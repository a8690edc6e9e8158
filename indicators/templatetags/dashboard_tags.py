"""The rows of the dashboard tables, rendered in one call per table: a province has some 150 sub-units by
six indicators, and one template node per value cost more than the rest of the page (measured)."""

from html import escape as _escape

from django import template
from django.utils.safestring import mark_safe

from indicators.dashboard import (
    SYMBOLS,
    TableWords,
    _count,
    _figure_percent,
    is_provisional,
    status_of,
)
from indicators.models import Unit

register = template.Library()

# The verdict symbols, escaped once (the statuses are the dashboard's own words: met, not_met, ...).
_SYMBOLS = {status: _escape(symbol) for status, symbol in SYMBOLS.items()}


# Kept short: the large province's table has some 900 of these cells. Each cell goes from the Figure to its HTML in
# one function, joined with plain f-strings and the standard library's html.escape (what django.utils.html.escape
# runs): format_html's per-argument conditional_escape and SafeString wrapping were half the table's cost, and an
# object per cell between the figure and its HTML a third of the rest (measured on the large province). The numbers
# (value, counts, sort key) are the dashboard module's own formatting: digits, separators and a unit symbol, nothing
# to escape; the words and link addresses of a table repeat, so each is escaped once per table (TableWords).


def _number(url, text):
    """A count linking to the list behind it, or plain where the measure has no list (url None)."""
    return f'<a href="{url}">{text}</a>' if url is not None else text


def _cell(figure, definition, base, tail, words):
    """The <td> of one figure of a row; `base` and `tail` the row's escaped drill-down address around the
    indicator and group (TableWords.links)."""
    status = status_of(figure)
    provisional = is_provisional(figure)
    ratio = figure.ratio
    numerator_link, denominator_link = words.links(definition)
    counts = _number(numerator_link and f"{base}{numerator_link}{tail}", _count(figure.numerator, words.thousands))
    if figure.unit != Unit.COUNT:
        # A ratio shows "numerator/denominator", each linked to its list; a count only its own number.
        denominator = _count(figure.denominator, words.thousands)
        counts = f"{counts}/{_number(denominator_link and f'{base}{denominator_link}{tail}', denominator)}"
    # No data sorts below 0 %, so a sort by value puts the units without figures together.
    sort_key = f"{float(ratio) if ratio is not None else -1.0:.4f}"
    return (
        f'<td class="num fig status-{status}{" provisional" if provisional else ""}" data-sort="{sort_key}">'
        f'<span class="fig-value">{_figure_percent(figure, words.separators)}</span> '
        f"{_verdict(figure, status, provisional, words)}"
        f'<span class="fig-counts">{counts}</span></td>'
    )


def _verdict(figure, status, provisional, words):
    """The verdict mark of a cell, its words (escaped by TableWords) in its label and title."""
    verdict = words.verdict(figure, status, provisional)
    # "; " needs no escaping: the escaped parts joined are the escaped title.
    title = "; ".join(
        part for part in (verdict, words.margin(figure), words.coverage(figure) if provisional else "") if part
    )
    return (
        f'<span class="verdict mark status-{status}" role="img" aria-label="{verdict}" title="{title}">'
        f"{_SYMBOLS[status]}</span>"
    )


def _row(row, words):
    """The <tr> of a dashboard.Row: its name, then the <td> of each figure."""
    base, tail = _escape(row.drill_base), _escape(row.drill_tail)
    cells = "".join(_cell(figure, definition, base, tail, words) for figure, definition in row.figures)
    return f"<tr>{_name_cell(row)}{cells}</tr>"


def _name_cell(row):
    name = f'<a href="{_escape(row.url)}">{_escape(row.name)}</a>' if row.url else _escape(row.name)
    kind = f'<span class="row-kind">{_escape(row.kind)}</span>' if row.kind else ""
    return f'<td data-sort="{_escape(row.name)}">{name}{kind}</td>'


@register.simple_tag
def figure_rows(rows):
    """The <tr> of every dashboard.Row of a table, in one call: a template loop cost some 150 tag calls a table."""
    words = TableWords()
    return mark_safe("\n".join(_row(row, words) for row in rows))
