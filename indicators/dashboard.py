"""What the dashboard pages show, built from the selectors' figures: tiles, sub-unit rows, chart series.

No queries here: the views fetch, this module words and formats (decimal comma, margins in words), and
the Excel export reuses the same rows so the file says what the page says.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from evaluations.models import NotRatedReason
from organizations.models import GRASSROOTS_KINDS, OrgKind, OrgType

from . import measures
from .computation import MET, NO_DATA, NOT_MET
from .definitions import definitions_for
from .models import Comparator
from .selectors import DENOMINATOR, MISSING, NOT_RATED, NUMERATOR

PROGRESS = "progress"  # a deadline target before its year, or a figure without a threshold: shown, not judged
YEAR_PARAM, SCOPE_PARAM = "nam", "pham-vi"
INDICATOR_PARAM, GROUP_PARAM, REASON_PARAM, TYPE_PARAM = "chi-tieu", "nhom", "ly-do", "loai-hinh"
PERCENT = "%(value)s %%"

SYMBOLS = {MET: "✓", NOT_MET: "✗", NO_DATA: "–", PROGRESS: "◔"}
VERDICTS = {
    MET: gettext_lazy("Met"),
    NOT_MET: gettext_lazy("Not met"),
    NO_DATA: gettext_lazy("No data"),
    PROGRESS: gettext_lazy("In progress"),
}
UPPER_BOUNDS = (Comparator.LT, Comparator.LE)
MISSING_REASON = NotRatedReason.PENDING


def _separators():
    """(decimal, thousands) separators of the active language: "," and "." in Vietnamese."""
    return formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")


def percent(value, places=2):
    """A percentage in the active language's format: 91,24 % in Vietnamese."""
    if value is None:
        return "—"
    decimal, _thousands = _separators()
    # Rounded half up, as Excel and the reports do (Django's number_format cuts the extra decimals off).
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return PERCENT % {"value": f"{rounded:f}".replace(".", decimal)}


_PASSES = {
    Comparator.GT: lambda value, limit: value > limit,
    Comparator.GE: lambda value, limit: value >= limit,
    Comparator.LT: lambda value, limit: value < limit,
    Comparator.LE: lambda value, limit: value <= limit,
}


def figure_percent(figure):
    """The figure's ratio with two decimals, or more when two would contradict the verdict: 0,3967 % passes
    "< 0,4 %" but rounds to 0,40 %, which a reader would take for a miss."""
    ratio = figure.ratio
    if ratio is None or figure.threshold is None or figure.status not in (MET, NOT_MET):  # not judged
        return percent(ratio)
    passes = _PASSES[Comparator(figure.comparator)]
    for places in (2, 3, 4):
        shown = ratio.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if passes(shown, figure.threshold) == (figure.status == MET):
            return percent(ratio, places)
    return percent(ratio, 4)


def count(n):
    """A count with the active language's thousands separator: 12.345 in Vietnamese."""
    return f"{n:,}".replace(",", _separators()[1])


def threshold_text(comparator, threshold):
    if threshold is None:  # a tracked figure without a threshold: shown, not judged
        return ""
    plain = format(Decimal(threshold).normalize(), "f")
    return f"{Comparator(comparator).label} {PERCENT % {'value': plain.replace('.', _separators()[0])}}"


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
    return _("%(rated)s of %(total)s rated (%(ratio)s)") % {
        "rated": count(figure.denominator),
        "total": count(figure.total),
        "ratio": percent(figure.coverage),
    }


def _margin_words(figure, more, spare):
    """The margin in the words of the numerator's measure ("needs 2 more TCCSĐ"), or plain numbers."""
    margin = figure.margin
    n = abs(margin)
    measure = measures.MEASURES.get(figure.measure)
    words = measure.extra.get("margin_words", {}) if measure else {}
    phrase = words.get(more if margin < 0 else spare)
    if phrase is not None:
        return phrase(n) % {"n": count(n)}
    generic = {
        "more": ngettext("needs %(n)s more", "needs %(n)s more", n),
        "spare": ngettext("%(n)s to spare", "%(n)s to spare", n),
        "too_many": ngettext("%(n)s too many", "%(n)s too many", n),
        "allows": ngettext("still allows %(n)s", "still allows %(n)s", n),
    }
    return generic[more if margin < 0 else spare] % {"n": count(n)}


def margin_text(figure):
    """The margin in words: how many more are needed, or how many failures the target still tolerates."""
    if figure.margin is None:
        return ""
    if figure.margin == 0:
        return _("none more allowed") if figure.comparator in UPPER_BOUNDS else _("just met: one fewer would miss")
    if figure.comparator in UPPER_BOUNDS:
        return _margin_words(figure, "too_many", "allows")
    return _margin_words(figure, "more", "spare")


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


def _not_rated_items(figure, drill):
    items = []
    for reason, count in figure.not_rated.items():
        if not count:
            continue
        missing = reason == MISSING_REASON
        url = drill(figure.indicator, MISSING) if missing else drill(figure.indicator, NOT_RATED, reason=reason)
        items.append(NotRatedItem(str(NotRatedReason(reason).label), count, url, missing))
    return items


def tile(figure, *, year, program, definition, drill, program_rate=None):
    """One indicator tile of the scope; `program_rate` for a figure judged on the mean over the program."""
    t3_program = program_rate
    status = status_of(figure)
    numerator_label, denominator_label = figure_labels(definition, year)
    notes = []
    if not figure.judged:
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
        threshold=threshold_text(figure.comparator, figure.threshold),
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
    )


def _as_percent(fraction):
    if fraction is None:
        return None
    return (Decimal(fraction.numerator) * 100 / fraction.denominator).quantize(Decimal("0.0001"))


@dataclass
class Cell:
    """One indicator of one row of a table (a sub-unit or a TCCSĐ type)."""

    code: str
    status: str
    symbol: str
    verdict: str
    value: str
    sort_value: float
    numerator: int
    denominator: int
    numerator_url: str
    denominator_url: str
    margin: str
    numerator_text: str = ""
    denominator_text: str = ""
    provisional: bool = False
    coverage: str = ""

    @property
    def sort_key(self):
        return f"{self.sort_value:.4f}"

    @property
    def title(self):
        return "; ".join(part for part in (self.verdict, self.margin, self.coverage) if part)


@dataclass
class Row:
    name: str
    code: str
    kind: str
    url: str
    cells: list


def cell(figure, drill):
    status = status_of(figure)
    ratio = figure.ratio
    return Cell(
        code=figure.indicator,
        status=status,
        symbol=SYMBOLS[status],
        verdict=verdict_text(figure),
        value=figure_percent(figure),
        # No data sorts below 0 %, so a sort by value puts the units without figures together.
        sort_value=float(ratio) if ratio is not None else -1.0,
        numerator=figure.numerator,
        denominator=figure.denominator,
        numerator_url=drill(figure.indicator, NUMERATOR),
        denominator_url=drill(figure.indicator, DENOMINATOR),
        margin=margin_text(figure),
        numerator_text=count(figure.numerator),
        denominator_text=count(figure.denominator),
        provisional=is_provisional(figure),
        coverage=coverage_text(figure) if is_provisional(figure) else "",
    )


def drill_for(year, scope_id, org_type=""):
    """A function (indicator, group, reason) → the URL of that list of the node's figures. Built by string
    joins on a reversed prefix: a province page has some 2,000 such links."""
    base = f"{reverse('indicators:drilldown')}?{urlencode({YEAR_PARAM: year, SCOPE_PARAM: scope_id})}"
    tail = f"&{urlencode({TYPE_PARAM: org_type})}" if org_type else ""

    def drill(indicator, group, reason=""):
        extra = f"&{REASON_PARAM}={reason}" if reason else ""
        return f"{base}&{INDICATOR_PARAM}={indicator}&{GROUP_PARAM}={group}{extra}{tail}"

    return drill


def sub_unit_rows(result):
    """The scope's direct sub-units with their figures, each linking to its own dashboard."""
    rows = []
    for child in result.children:
        drill = drill_for(result.year, child.node.id)
        rows.append(
            Row(
                name=child.node.name,
                code=child.node.code,
                kind=str(OrgKind(child.node.kind).label),
                url=dashboard_url(year=result.year, scope_id=child.node.id),
                cells=[cell(figure, drill) for figure in child.figures.values()],
            )
        )
    return rows


def type_rows(result):
    """The scope's figures per TCCSĐ type (loại hình)."""
    return [
        Row(
            name=str(OrgType(org_type).label),
            code=org_type,
            kind="",
            url="",
            cells=[cell(figure, drill_for(result.year, result.scope.node.id, org_type)) for figure in figures.values()],
        )
        for org_type, figures in result.by_type
    ]


def tiles(result, group=None):
    """The tiles of the scope's figures (of one definition group with `group`)."""
    drill = drill_for(result.year, result.scope.node.id)
    return [
        tile(
            figure,
            year=result.year,
            program=result.program,
            definition=result.definitions[code],
            drill=drill,
            program_rate=result.program_rates.get(code),
        )
        for code, figure in result.scope.figures.items()
        if group is None or result.definitions[code].group == group
    ]


def short_titles(program):
    """(code, short title) of every active definition, in display order."""
    return [(d.code, d.short_name) for d in definitions_for(program)]


def chart_data(trend, program):
    """Series for the trend charts (sent as JSON): per indicator the yearly ratio, status and threshold."""
    series = {}
    titles = dict(short_titles(program))
    for year in program.years:
        figures = trend.get(year) or {}
        for code, title in titles.items():
            entry = series.setdefault(
                code,
                {"code": code, "title": title, "values": [], "statuses": [], "thresholds": []},
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
