"""What the dashboard pages show, built from the selectors' figures: tiles, sub-unit rows, chart series.

No queries here: the views fetch, this module words and formats (decimal comma, margins in words), and
the Excel export reuses the same rows so the file says what the page says.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from evaluations.models import NotRatedReason
from organizations.models import GRASSROOTS_KINDS, OrgKind, OrgType

from . import measures
from .computation import MET, NO_DATA, NOT_MET
from .definitions import PROGRAM_GROUP, definitions_for
from .models import UNIT_SYMBOLS, Comparator, Unit
from .selectors import DENOMINATOR, MISSING, NOT_RATED, NUMERATOR, figure_groups

PROGRESS = "progress"  # a deadline target before its year: shown as progress towards it
TRACKED = "tracked"  # a figure without a threshold: shown, never judged
YEAR_PARAM, SCOPE_PARAM = "nam", "pham-vi"
INDICATOR_PARAM, GROUP_PARAM, REASON_PARAM, TYPE_PARAM = "chi-tieu", "nhom", "ly-do", "loai-hinh"
# The definition group whose tables a group page shows (GROUP_PARAM is a drill-down's numerator/denominator).
TABLES_PARAM = "nhom-chi-tieu"
# The titles of the definition groups on the dashboard; a group the Board names otherwise is titled by its name.
GROUP_TITLES = {
    PROGRAM_GROUP: gettext_lazy("The program's targets"),
    "other": gettext_lazy("Other tracked figures"),
}

SYMBOLS = {MET: "✓", NOT_MET: "✗", NO_DATA: "–", PROGRESS: "◔", TRACKED: "·"}
VERDICTS = {
    MET: gettext_lazy("Met"),
    NOT_MET: gettext_lazy("Not met"),
    NO_DATA: gettext_lazy("No data"),
    PROGRESS: gettext_lazy("In progress"),
    TRACKED: gettext_lazy("Tracked, not judged"),
}
UPPER_BOUNDS = (Comparator.LT, Comparator.LE)
MISSING_REASON = NotRatedReason.PENDING


_SEPARATORS = {}


def _separators():
    """(decimal, thousands) separators of the active language: "," and "." in Vietnamese. Remembered per
    language: a province page formats some 6,000 numbers, and get_format was a tenth of its render (measured)."""
    language = get_language()
    separators = _SEPARATORS.get(language)
    if separators is None:
        separators = formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")
        _SEPARATORS[language] = separators
    return separators


def percent(value, places=2, symbol="%"):
    """A percentage in the active language's format: 91,24 % in Vietnamese (166,67 ‰ with symbol="‰")."""
    return _percent(value, places, symbol, _separators()[0])


def _quantum(places):
    """Decimal("0.01") for 2 places: made once per count of places (a province page rounds some 3,000 values)."""
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = _QUANTA[places] = Decimal(1).scaleb(-places)
    return quantum


_QUANTA = {}


def _percent(value, places, symbol, decimal):
    if value is None:
        return "—"
    # Rounded half up, as Excel and the reports do (Django's number_format cuts the extra decimals off).
    return _rounded_text(Decimal(value).quantize(_quantum(places), rounding=ROUND_HALF_UP), symbol, decimal)


def _rounded_text(rounded, symbol, decimal):
    return f"{rounded:f}".replace(".", decimal) + f" {symbol}"


_PASSES = {
    Comparator.GT: lambda value, limit: value > limit,
    Comparator.GE: lambda value, limit: value >= limit,
    Comparator.LT: lambda value, limit: value < limit,
    Comparator.LE: lambda value, limit: value <= limit,
}


def figure_percent(figure):
    """The figure in its unit: a count as it is (12.345), a ratio with two decimals (91,24 %, 1,25 ‰), or
    more when two would contradict the verdict: 0,3967 % passes "< 0,4 %" but rounds to 0,40 %, which a
    reader would take for a miss."""
    return _figure_percent(figure, _separators())


def _figure_percent(figure, separators):
    decimal, thousands = separators
    if figure.unit == Unit.COUNT:
        return _count(figure.numerator, thousands)
    ratio, symbol = figure.ratio, UNIT_SYMBOLS[figure.unit]
    if ratio is None or figure.threshold is None or figure.status not in (MET, NOT_MET):  # not judged
        return _percent(ratio, 2, symbol, decimal)
    passes = _PASSES[figure.comparator]  # a Comparator is a str: its value finds it
    for places in (2, 3, 4):
        shown = ratio.quantize(_quantum(places), rounding=ROUND_HALF_UP)
        if passes(shown, figure.threshold) == (figure.status == MET):
            break
    return _rounded_text(shown, symbol, decimal)


def count(n):
    """A count with the active language's thousands separator: 12.345 in Vietnamese."""
    return _count(n, _separators()[1])


def _count(n, thousands):
    return f"{n:,}".replace(",", thousands)


def threshold_text(comparator, threshold, unit=Unit.PERCENT):
    """The threshold as shown: "> 90 %", "≤ 2 ‰", "≥ 12" for a count; empty for a figure without a threshold
    (shown, not judged)."""
    if threshold is None:
        return ""
    plain = format(Decimal(threshold).normalize(), "f").replace(".", _separators()[0])
    return " ".join(part for part in (Comparator(comparator).label, plain, UNIT_SYMBOLS[unit]) if part)


def drill_url(*, year, scope_id, indicator, group, reason="", org_type=""):
    return drill_for(year, scope_id, org_type)(indicator, group, reason)


def dashboard_url(*, year, scope_id=None):
    params = {YEAR_PARAM: year}
    if scope_id is not None:
        params[SCOPE_PARAM] = scope_id
    return f"{reverse('indicators:dashboard')}?{urlencode(params)}"


def progress_url(*, year, scope_id):
    return f"{reverse('indicators:progress')}?{urlencode({YEAR_PARAM: year, SCOPE_PARAM: scope_id})}"


def status_of(figure):
    if figure.threshold is None:
        return TRACKED
    return figure.status if figure.judged else PROGRESS


def is_provisional(figure):
    """A verdict given while the rating year is open (a progress figure is not a verdict yet)."""
    return figure.provisional and figure.judged and figure.status in (MET, NOT_MET)


def verdict_text(figure):
    """The verdict in words, marked "provisional" while the year is open: "Đạt (tạm tính)"."""
    verdict = str(VERDICTS[status_of(figure)])
    if is_provisional(figure):
        return _("%(verdict)s (provisional)") % {"verdict": verdict}
    return verdict


def coverage_text(figure):
    """What is counted of what should be: "5 of 7 rated (71,43 %)"; empty where nothing goes uncounted."""
    if not figure.total:
        return ""
    return _coverage_text(figure, _("%(rated)s of %(total)s rated (%(ratio)s)"), _separators())


def _coverage_text(figure, words, separators):
    if not figure.total:
        return ""
    decimal, thousands = separators
    return words % {
        "rated": _count(figure.denominator, thousands),
        "total": _count(figure.total, thousands),
        "ratio": _percent(figure.coverage, 2, "%", decimal),
    }


# The margin in plain numbers, for a measure without words of its own.
GENERIC_MARGIN_WORDS = {
    "more": lambda n: ngettext("needs %(n)s more", "needs %(n)s more", n),
    "spare": lambda n: ngettext("%(n)s to spare", "%(n)s to spare", n),
    "too_many": lambda n: ngettext("%(n)s too many", "%(n)s too many", n),
    "allows": lambda n: ngettext("still allows %(n)s", "still allows %(n)s", n),
}


def _margin_words(figure, more, spare, thousands):
    """The margin in the words of the numerator's measure ("needs 2 more TCCSĐ"), or plain numbers."""
    margin = figure.margin
    n = abs(margin)
    key = more if margin < 0 else spare
    measure = measures.MEASURES.get(figure.measure)
    words = measure.extra.get("margin_words", {}) if measure else {}
    phrase = words.get(key) or GENERIC_MARGIN_WORDS[key]
    return phrase(n) % {"n": _count(n, thousands)}


def margin_text(figure, thousands=None):
    """The margin in words: how many more are needed, or how many failures the target still tolerates.
    `thousands`: the active language's thousands separator, when the caller has it."""
    if figure.margin is None:
        return ""
    if figure.margin == 0:
        return _("none more allowed") if figure.comparator in UPPER_BOUNDS else _("just met: one fewer would miss")
    thousands = _separators()[1] if thousands is None else thousands
    if figure.comparator in UPPER_BOUNDS:
        return _margin_words(figure, "too_many", "allows", thousands)
    return _margin_words(figure, "more", "spare", thousands)


def measure_label(name, year):
    """The label of a measure for a year ("admissions in 2024"); empty for no measure."""
    measure = measures.MEASURES.get(name) if name else None
    if measure is None:
        return ""
    extra = measure.extra
    if extra.get("label_has_year"):
        return _(str(measure.label)) % {"year": year + extra.get("label_year_offset", 0)}
    return str(measure.label)


def figure_labels(definition, year):
    """(numerator label, denominator label) of a definition's figure."""
    return measure_label(definition.numerator, year), measure_label(definition.denominator, year)


@dataclass
class NotRatedItem:
    label: str
    count: int
    url: str
    missing: bool

    @property
    def count_text(self):
        return count(self.count)


@dataclass
class Tile:
    code: str
    title: str
    status: str
    symbol: str
    verdict: str
    value: str
    threshold: str
    margin: str
    numerator: int
    denominator: int
    numerator_label: str
    denominator_label: str
    numerator_url: str
    denominator_url: str
    total: int = 0
    coverage: str = ""
    not_rated: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    provisional: bool = False
    target: Decimal | None = None  # the threshold in percent, as a number (for the workbook)
    comparator: str = ""
    unit: str = Unit.PERCENT
    change: str = ""  # a count's change over the year before: "+1 so với 2023"

    @property
    def numerator_text(self):
        return count(self.numerator)

    @property
    def denominator_text(self):
        return count(self.denominator)

    @property
    def judged(self):
        """Whether the tile carries a verdict: a figure without a threshold is shown, not judged."""
        return self.status != TRACKED

    @property
    def is_count(self):
        return self.unit == Unit.COUNT


def _not_rated_items(figure, drill):
    items = []
    for reason, count in figure.not_rated.items():
        if not count:
            continue
        missing = reason == MISSING_REASON
        url = drill(figure.indicator, MISSING) if missing else drill(figure.indicator, NOT_RATED, reason=reason)
        items.append(NotRatedItem(str(NotRatedReason(reason).label), count, url, missing))
    return items


def figure_links(definition, drill, groups=None):
    """drill(indicator, group) for the groups the definition can list, else "": a number without a list
    behind it (e.g. the rolls at the start of the year of a tracked rate) is shown without a link. `groups`:
    figure_groups(definition), when the caller has them."""
    groups = figure_groups(definition) if groups is None else groups
    return lambda indicator, group, reason="": drill(indicator, group, reason) if group in groups else ""


def change_text(figure, previous, year):
    """A count's change over the year before ("+1 so với 2023"); empty without a figure that year."""
    if figure.unit != Unit.COUNT or previous is None:
        return ""
    change = figure.numerator - previous.numerator
    sign = "+" if change > 0 else "-" if change < 0 else "±"
    return _("%(change)s on %(year)s") % {"change": f"{sign}{count(abs(change))}", "year": year - 1}


def tile(figure, *, year, program, definition, drill, program_rate=None, previous=None):
    """One indicator tile of the scope; `program_rate` for a figure judged on the mean over the program,
    `previous` the same figure of the year before (a count shows its change)."""
    t3_program = program_rate
    status = status_of(figure)
    numerator_label, denominator_label = figure_labels(definition, year)
    drill = figure_links(definition, drill)
    notes = []
    if not figure.judged and figure.threshold is not None:
        notes.append(
            _("Target to reach by %(deadline)s; today it would be: %(verdict)s.")
            % {"deadline": program.last_year, "verdict": VERDICTS[figure.status]}
        )
    if t3_program is not None and t3_program.years:
        notes.append(
            _("Mean over %(first)s–%(last)s: %(mean)s (%(verdict)s); pooled: %(pooled)s.")
            % {
                "first": t3_program.years[0],
                "last": t3_program.years[-1],
                "mean": percent(_as_percent(t3_program.mean)),
                "verdict": VERDICTS[t3_program.status],
                "pooled": percent(_as_percent(t3_program.pooled)),
            }
        )
    if is_provisional(figure):
        notes.append(_("Provisional: the year %(year)s is not closed; ratings may still change.") % {"year": year})
    return Tile(
        code=figure.indicator,
        title=definition.name,
        status=status,
        symbol=SYMBOLS[status],
        verdict=verdict_text(figure),
        value=figure_percent(figure),
        threshold=threshold_text(figure.comparator, figure.threshold, figure.unit),
        margin=margin_text(figure),
        numerator=figure.numerator,
        denominator=figure.denominator,
        numerator_label=numerator_label,
        denominator_label=denominator_label,
        numerator_url=drill(figure.indicator, NUMERATOR),
        denominator_url=drill(figure.indicator, DENOMINATOR),
        total=figure.total,
        coverage=coverage_text(figure),
        not_rated=_not_rated_items(figure, drill),
        notes=notes,
        provisional=is_provisional(figure),
        target=None if figure.threshold is None else Decimal(figure.threshold),
        comparator=figure.comparator,
        unit=figure.unit,
        change=change_text(figure, previous, year),
    )


def _as_percent(fraction):
    if fraction is None:
        return None
    return (Decimal(fraction.numerator) * 100 / fraction.denominator).quantize(Decimal("0.0001"))


@dataclass
class Row:
    """One row of a dashboard table (a sub-unit or a TCCSĐ type): its name and its figures, each a pair
    (Figure, definition), with the drill-down list behind each number at `drill_base` + the indicator and group +
    `drill_tail` (the dashboard_tags.figure_rows tag renders the cells)."""

    name: str
    code: str
    kind: str
    url: str
    figures: list
    drill_base: str
    drill_tail: str = ""


class TableWords:
    """The active language's separators and words, looked up once for a whole table, HTML-escaped: a province's
    table formats some 900 cells, and looking the language up for each number and word was a third of its cost
    (measured). The verdicts and the coverage texts repeat from cell to cell, and are worded and escaped once."""

    def __init__(self):
        self.separators = _separators()
        self.thousands = self.separators[1]
        self.coverage_words = _("%(rated)s of %(total)s rated (%(ratio)s)")
        self._verdicts = {}
        self._margins = {}
        self._coverages = {}
        self._links = {}

    def verdict(self, figure, status, provisional):
        """verdict_text of the figure, escaped."""
        key = (status, provisional)
        text = self._verdicts.get(key)
        if text is None:
            text = self._verdicts[key] = escape(verdict_text(figure))
        return text

    def margin(self, figure):
        """margin_text of the figure, escaped (it reads nothing else of the figure)."""
        key = (figure.margin, figure.comparator, figure.measure)
        text = self._margins.get(key)
        if text is None:
            text = self._margins[key] = escape(margin_text(figure, self.thousands))
        return text

    def coverage(self, figure):
        """coverage_text of the figure, escaped: it reads only the rated and the total, which the figures of a
        row sharing a denominator share."""
        key = (figure.denominator, figure.total)
        text = self._coverages.get(key)
        if text is None:
            text = self._coverages[key] = escape(_coverage_text(figure, self.coverage_words, self.separators))
        return text

    def links(self, definition):
        """The escaped middles of the addresses of the lists behind a figure's numerator and denominator
        ("&amp;chi-tieu=T1a&amp;nhom=numerator"), each None where the definition has no such list (figure_links)."""
        links = self._links.get(definition.code)
        if links is None:
            groups = figure_groups(definition)
            links = self._links[definition.code] = tuple(
                escape(f"&{INDICATOR_PARAM}={definition.code}&{GROUP_PARAM}={group}") if group in groups else None
                for group in (NUMERATOR, DENOMINATOR)
            )
        return links


def drill_for(year, scope_id, org_type="", prefix=None):
    """A function (indicator, group, reason) → the URL of that list of the node's figures. Built by string
    joins on a reversed prefix (`prefix`: the drill-down's path, when the caller reversed it already): a
    province page has some 2,000 such links."""
    prefix = prefix or reverse("indicators:drilldown")
    tail = f"&{urlencode({TYPE_PARAM: org_type})}" if org_type else ""
    return _drill(f"{prefix}?{urlencode({YEAR_PARAM: year, SCOPE_PARAM: scope_id})}", tail)


def _drill(base, tail=""):
    def drill(indicator, group, reason=""):
        extra = f"&{REASON_PARAM}={reason}" if reason else ""
        return f"{base}&{INDICATOR_PARAM}={indicator}&{GROUP_PARAM}={group}{extra}{tail}"

    return drill


def _row_figures(result, figures, group):
    """(Figure, definition) of a row's figures of one definition group (every group without `group`)."""
    definitions = result.definitions
    return [
        (figure, definitions[code])
        for code, figure in figures.items()
        if group is None or definitions[code].group == group
    ]


def sub_unit_rows(result, group=None):
    """The scope's direct sub-units with their figures (of one definition group with `group`), each linking
    to its own dashboard."""
    dashboard_path, drill_path = reverse("indicators:dashboard"), reverse("indicators:drilldown")
    # What urlencode({YEAR_PARAM: year, SCOPE_PARAM: id}) gives for an integer id, joined without it per row.
    year_query = urlencode({YEAR_PARAM: result.year})
    kinds = {}
    rows = []
    for child in result.children:
        node = child.node
        kind = kinds.get(node.kind)
        if kind is None:
            kind = kinds[node.kind] = str(OrgKind(node.kind).label)
        query = f"{year_query}&{SCOPE_PARAM}={int(node.id)}"
        rows.append(
            Row(
                name=node.name,
                code=node.code,
                kind=kind,
                url=f"{dashboard_path}?{query}",
                figures=_row_figures(result, child.figures, group),
                drill_base=f"{drill_path}?{query}",
            )
        )
    return rows


def type_rows(result, group=None):
    """The scope's figures per TCCSĐ type (loại hình), of one definition group with `group`."""
    drill_path = reverse("indicators:drilldown")
    base = f"{drill_path}?{urlencode({YEAR_PARAM: result.year, SCOPE_PARAM: result.scope.node.id})}"
    return [
        Row(
            name=str(OrgType(org_type).label),
            code=org_type,
            kind="",
            url="",
            figures=_row_figures(result, figures, group),
            drill_base=base,
            drill_tail=f"&{urlencode({TYPE_PARAM: org_type})}",
        )
        for org_type, figures in result.by_type
    ]


def tiles(result, group=None, trend=None):
    """The tiles of the scope's figures (of one definition group with `group`); with `trend` (the node's
    figures per year) a count shows its change over the year before."""
    drill = drill_for(result.year, result.scope.node.id)
    previous = (trend or {}).get(result.year - 1) or {}
    return [
        tile(
            figure,
            year=result.year,
            program=result.program,
            definition=result.definitions[code],
            drill=drill,
            program_rate=result.program_rates.get(code),
            previous=previous.get(code),
        )
        for code, figure in result.scope.figures.items()
        if group is None or result.definitions[code].group == group
    ]


def short_titles(program, group=None):
    """(code, short title) of every active definition (of one group with `group`), in display order."""
    return [(d.code, d.short_name) for d in definitions_for(program) if group is None or d.group == group]


def group_order(program):
    """The definition groups in the definitions' display order: the program's targets first."""
    return list(dict.fromkeys(d.group for d in definitions_for(program)))


@dataclass
class Section:
    """One definition group of the dashboard: its tiles, trend charts and tables. The tables of a group after the
    first are on a page of their own (`table_url`, `unit_count` sub-units): on the large province they were 1 MB of
    the 2025 page's 1.7 MB, and half of its rendering."""

    group: str
    title: str
    tiles: list
    rows: list
    type_rows: list
    short_titles: list
    table_url: str = ""
    unit_count: int = 0

    @property
    def shows_tracked(self):
        """Whether some figure of the section is shown without a verdict (the legend then says so)."""
        return any(not tile.judged for tile in self.tiles)


def group_title(group):
    return str(GROUP_TITLES.get(group, group))


def group_url(*, year, scope_id, group):
    """The page of one definition group's tables (sub-units, TCCSĐ types) of a node."""
    query = urlencode({YEAR_PARAM: year, SCOPE_PARAM: scope_id, TABLES_PARAM: group})
    return f"{reverse('indicators:group')}?{query}"


def sections(result, trend, *, tables_of=None):
    """The dashboard's sections, one per definition group with figures for the scope. The sub-unit and type
    tables are built for the first group only (or for the group `tables_of`); the other sections link to them."""
    result_sections = []
    for group in group_order(result.program):
        group_tiles = tiles(result, group, trend)
        if not group_tiles:
            continue
        with_tables = group == tables_of if tables_of else not result_sections
        table_url = "" if with_tables else group_url(year=result.year, scope_id=result.scope.node.id, group=group)
        result_sections.append(
            Section(
                group=group,
                title=group_title(group),
                tiles=group_tiles,
                rows=sub_unit_rows(result, group) if with_tables else [],
                type_rows=type_rows(result, group) if with_tables else [],
                short_titles=short_titles(result.program, group),
                table_url=table_url,
                unit_count=len(result.children),
            )
        )
    return result_sections


def chart_data(trend, program):
    """Series for the trend charts (sent as JSON): per indicator the yearly value in its unit ("%", "‰", or
    "" for a count), status and threshold."""
    series = {}
    units = {d.code: UNIT_SYMBOLS[d.unit] for d in definitions_for(program)}
    titles = dict(short_titles(program))
    for year in program.years:
        figures = trend.get(year) or {}
        for code, title in titles.items():
            entry = series.setdefault(
                code,
                {"code": code, "title": title, "unit": units[code], "values": [], "statuses": [], "thresholds": []},
            )
            figure = figures.get(code)
            if figure is None:
                entry["values"].append(None)
                entry["statuses"].append(NO_DATA)
                entry["thresholds"].append(None)
                continue
            entry["values"].append(float(figure.ratio) if figure.ratio is not None else None)
            entry["statuses"].append(status_of(figure))
            entry["thresholds"].append(None if figure.threshold is None else float(figure.threshold))
            entry["comparator"] = str(Comparator(figure.comparator).label)
    for entry in series.values():
        known = [t for t in entry["thresholds"] if t is not None]
        # The threshold is drawn across every year, including those without data.
        entry["thresholds"] = [t if t is not None else (known[-1] if known else None) for t in entry["thresholds"]]
    return {
        "years": list(program.years),
        "series": list(series.values()),
        "labels": {status: str(verdict) for status, verdict in VERDICTS.items()},
        "threshold_label": _("Threshold"),
    }


def is_grassroots(node):
    return node.kind in GRASSROOTS_KINDS
