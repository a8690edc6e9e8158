"""The report's tables, built from a run's results dict alone (no ORM): the workbook and the report page
both render these, so the browser shows exactly the workbook's tables.

The tables iterate over the indicator definitions the run stored (docs/decisions.md, "The report workbook
per definition"): a summary row per definition, a sheet per denominator measure, the TCCSĐ types and the
trend with a column pair per definition. Column layouts follow the Party's statistics forms (RESEARCH.md §5:
Biểu 7A/7B). Figures become cells through indicators.figure_cells, the layer the dashboard's workbook shares.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from evaluations.models import Level, NotRatedReason, SubmissionState
from indicators import figure_cells, measures
from indicators.figure_cells import (  # noqa: F401  (the kinds and verdicts the workbook and the page read here)
    CODE,
    INT,
    MARGIN,
    MET,
    NO_DATA,
    NOT_MET,
    PCT,
    PER_MILLE,
    PROGRESS_MET,
    PROGRESS_NOT_MET,
    PROVISIONAL_MET,
    PROVISIONAL_NOT_MET,
    TARGET,
    TEXT,
    VERDICT,
    YEAR,
    Cell,
    comparator_symbol,
    figure_status,
    target_text,
    verdict,
    verdict_word,
)
from indicators.models import EvaluationMode, Unit
from members.models import MovementKind, TheoryLevel
from organizations.models import OrgType
from party_portal import excel
from party_portal.excel_lists import UPPER_KINDS


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT
    group: str = ""  # a heading spanning the consecutive columns that share it


@dataclass(frozen=True)
class Block:
    heading: str
    columns: list
    rows: list
    total: list | None = None
    notes: list = field(default_factory=list)

    @property
    def has_groups(self):
        return any(column.group for column in self.columns)

    def header_groups(self):
        """[(label, span, is_group)] for the first header row: a group heading spans its columns; a column
        without a group spans both header rows (is_group False)."""
        groups = []
        for column in self.columns:
            if column.group and groups and groups[-1][0] == column.group and groups[-1][2]:
                label, span, _is_group = groups[-1]
                groups[-1] = (label, span + 1, True)
            elif column.group:
                groups.append((column.group, 1, True))
            else:
                groups.append((column.label, 1, False))
        return groups


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str  # the workbook tab, at most 31 characters
    title: str
    unit: str
    blocks: list
    dated: bool = True  # the workbook adds "– YEAR …" to the title (the trend names its years itself)


# ---------------------------------------------------------------- labels and small helpers


def level_label(level):
    return {
        Level.EXCELLENT: _("Excellent (HTXSNV)"),
        Level.GOOD: _("Good (HTTNV)"),
        Level.COMPLETED: _("Completed (HTNV)"),
        Level.NOT_COMPLETED: _("Not completed (KHTNV)"),
    }[level]


def reason_label(reason):
    return {
        NotRatedReason.EXEMPT: _("Exempt"),
        NotRatedReason.SUSPENDED: _("Suspended"),
        NotRatedReason.NEW_MEMBER: _("Admitted < 6 months"),
        NotRatedReason.NEW_ORGANIZATION: _("Formed < 6 months"),
        NotRatedReason.PENDING: _("Not yet rated"),
    }[reason]


def theory_label(level):
    # The column names of the T4 sheet (RESEARCH §5); "none" reads "not trained" on the forms.
    return _("Not trained") if level == TheoryLevel.NONE else str(TheoryLevel(level).label)


def type_label(org_type):
    return str(OrgType(org_type).label) if org_type in OrgType.values else org_type or "—"


def rating_label(value):
    if not value:
        return _("missing")
    if value in Level.values:
        return str(Level(value).label)
    return str(NotRatedReason(value).label)


def state_label(state):
    return str(SubmissionState(state).label) if state else _("no submission")


def percent(numerator, denominator):
    """numerator / denominator in percent, 4 decimals (as Figure.ratio), or None without a denominator."""
    return figure_cells.ratio(numerator, denominator)


def percent_text(ratio):
    """A ratio in percent as text with two decimals and the language's separator: 91,24 %."""
    return figure_cells.number_text(ratio, PCT)


def count_text(number):
    """A count as text with the language's thousands separator: 2.537."""
    return formats.number_format(number, force_grouping=True, use_l10n=True)


def _decimal(text):
    return None if text is None else Decimal(text)


def _text(value):
    return Cell(value, TEXT)


def _int(value):
    return Cell(value, INT)


def _units(results):
    """(name, indicators) of the scope's direct sub-units, then the scope's own total."""
    return [(child["name"], child["indicators"]) for child in results["children"]], results["scope"]["indicators"]


def _numbered(rows):
    return [[Cell(number, CODE), *row] for number, row in enumerate(rows, start=1)]


def _total(label, row):
    return [Cell(None, CODE), Cell(label, TEXT), *row]


def letterhead(results, *, number=""):
    """The document header of the report: the issuing committee and its board, the place and the date."""
    scope = results["scope"]
    return excel.letterhead(
        name=scope["name"],
        with_board=scope["kind"] in UPPER_KINDS,
        day=datetime.fromisoformat(results["report"]["generated_at"]).date(),
        number=number,
    )


def issuer(results):
    """The header's left block: the issuing committee and its board, as on the Party's statistics forms."""
    head = letterhead(results)
    return head.committee, head.board, head.place


def date_line(results):
    return excel.date_line(letterhead(results))


def scope_line(results):
    day = datetime.fromisoformat(results["as_of"]).strftime("%d/%m/%Y")
    return _("%(scope)s (code %(code)s) · organization tree as of %(date)s") % {
        "scope": results["scope"]["name"],
        "code": results["scope"]["code"],
        "date": day,
    }


# ---------------------------------------------------------------- the definitions


def definitions(results):
    """The definitions of the run, in display order, each with a figure for the scope. A run stored before the
    definitions were is read with one percentage definition per code it holds, named by its code."""
    figures = results["scope"]["indicators"]
    stored = results.get("definitions")
    if stored is None:
        means = results.get("program_rates", {})
        stored = [
            {
                "code": code,
                "name_vi": code,
                "name_en": "",
                "numerator": "",
                "denominator": code,
                "unit": Unit.PERCENT,
                "mode": EvaluationMode.PROGRAM_MEAN if code in means else EvaluationMode.EACH_YEAR,
                "deadline_year": None,
            }
            for code in figures
        ]
    return [d for d in stored if d["code"] in figures]


def definition_name(definition):
    """The definition's name in the active language, as IndicatorDefinition.name reads it."""
    if get_language() == "en" and definition.get("name_en"):
        return definition["name_en"]
    return definition["name_vi"]


def definition_label(definition):
    return f"{definition['code']} – {definition_name(definition)}"


def measure_label(name, year):
    """The label of a registered measure for a year ("admissions in 2024"); empty for an unknown one."""
    measure = measures.MEASURES.get(name)
    if measure is None:
        return ""
    if measure.extra.get("label_has_year"):
        return _(str(measure.label)) % {"year": year + measure.extra.get("label_year_offset", 0)}
    return str(measure.label)


def _capitalized(text):
    return text[:1].upper() + text[1:]


def program_rate(results, definition):
    """The program-mean rate of a definition judged on the mean over the program years, or None."""
    if definition.get("mode") != EvaluationMode.PROGRAM_MEAN:
        return None
    return results.get("program_rates", {}).get(definition["code"])


def deadline(results, definition):
    return definition.get("deadline_year") or results["report"]["program_years"][1]


def breakdown_label(key):
    """A numerator's make-up key in words: a rating level, a political theory level or a movement."""
    if key in Level.values:
        return level_label(key)
    if key in TheoryLevel.names:
        return theory_label(TheoryLevel[key])
    if key in MovementKind.values:
        return _("of which %(what)s") % {"what": str(MovementKind(key).label).lower()}
    return key


def _is_partition(figures):
    """Whether the make-up splits the denominator (every rating level, every theory level) rather than
    naming a part of the numerator ("of which re-admitted"): more than one key, adding up to the denominator."""
    return all(len(f["breakdown"]) > 1 and sum(f["breakdown"].values()) == f["denominator"] for f in figures)


# ---------------------------------------------------------------- the sheets


def summary_sheet(results):
    indicators = results["scope"]["indicators"]
    columns = [
        Column(_("No."), CODE),
        Column(_("Indicator"), TEXT),
        Column(_("Required"), TARGET),
        Column(_("Numerator"), INT),
        Column(_("Denominator"), INT),
        Column(_("Result"), PCT),
        Column(_("Verdict"), VERDICT),
        Column(_("Margin"), MARGIN),
        Column(_("Coverage (%)"), PCT),
        Column(_("Notes"), TEXT),
    ]
    rows = []
    for definition in definitions(results):
        figure = indicators[definition["code"]]
        count = figure_cells.unit_kind(definition["unit"]) == INT
        rows.append(
            [
                _text(definition_label(definition)),
                figure_cells.target(figure, definition["unit"]),
                _int(figure["numerator"]),
                _int(None if count else figure["denominator"]),
                figure_cells.value(figure, definition["unit"]),
                verdict(figure),
                Cell(figure["margin"], MARGIN),
                Cell(_decimal(figure["coverage"]["ratio"]), PCT),
                _text(_summary_note(definition, figure, results)),
            ]
        )
        rate = program_rate(results, definition)
        if rate is not None:
            rows.append(_program_row(definition, figure, rate))
    notes = [
        _(
            "The denominator of a rating is the number rated (not-rated excluded); coverage = rated / total. "
            "Thresholds are compared on whole counts, not on rounded percentages."
        ),
        _(
            "Margin ≥ 0: how many the count can lose (or, for an upper limit, still admit) and still pass; "
            "margin < 0: how many more (or fewer) it needs to pass. A figure without a threshold is shown, "
            "not judged."
        ),
    ]
    if results.get("provisional"):
        notes.insert(
            0,
            _(
                "The year %(year)s is not closed: its verdicts are provisional (tạm tính), on the ratings "
                "entered so far; the coverage column says how much is counted."
            )
            % {"year": results["year"]},
        )
    return Sheet(
        "summary",
        _("Summary"),
        _("Results of the indicators"),
        "",
        [Block("", columns, _numbered(rows), notes=notes)],
    )


def _summary_note(definition, figure, results):
    parts = []
    not_rated = {r: n for r, n in figure["coverage"]["not_rated"].items() if n}
    if not_rated:
        parts.append(
            _("not rated: %(list)s")
            % {"list": "; ".join(f"{reason_label(r)} {count_text(n)}" for r, n in not_rated.items())}
        )
    if not figure.get("judged", True):
        parts.append(_("progress only; judged in %(year)s") % {"year": deadline(results, definition)})
    elif figure.get("provisional", False) and figure["status"] != NO_DATA:
        parts.append(_("provisional: the year is not closed") + _coverage_note(figure))
    if not _is_partition([figure]):
        parts += [f"{breakdown_label(key)}: {count_text(n)}" for key, n in figure["breakdown"].items() if n]
    return "; ".join(parts)


def _coverage_note(figure):
    coverage = figure["coverage"]
    if not coverage["total"]:
        return ""
    return " " + _("(%(rated)s of %(total)s rated, %(ratio)s)") % {
        "rated": count_text(coverage["rated"]),
        "total": count_text(coverage["total"]),
        "ratio": percent_text(_decimal(coverage["ratio"])),
    }


def _program_row(definition, figure, rate):
    years = rate["years"]
    span = f"{years[0]}–{years[-1]}" if years else ""
    note = _("mean of the yearly rates %(span)s; pooled (Σ numerators / Σ denominators): %(pooled)s") % {
        "span": span,
        "pooled": percent_text(rate["pooled_ratio"]),
    }
    return [
        _text(_("%(code)s – yearly average over the program") % {"code": definition["code"]}),
        figure_cells.target(figure, definition["unit"]),
        _int(sum(rate["admissions"])),
        _int(sum(rate["bases"])),
        Cell(_decimal(rate["mean_ratio"]), PCT),
        Cell(rate["status"], VERDICT, rate["status"]),
        Cell(None, MARGIN),
        Cell(None, PCT),
        _text(note),
    ]


class _DenominatorSheet:
    """The sheet of the definitions sharing one denominator measure (a count has none): per unit, the
    denominator's coverage (total, not rated by reason), the denominator, its make-up when the numerators
    split it (rating levels, theory levels), then per definition its count, value, target, verdict and margin."""

    def __init__(self, results, group):
        self.results, self.group = results, group
        self.children, self.total = _units(results)
        self.first = group[0]
        self.denominator = self.first["denominator"] if figure_cells.unit_kind(self.first["unit"]) != INT else ""
        everyone = [ind[self.first["code"]] for _name, ind in self.children] + [self.total[self.first["code"]]]
        self.covered = bool(self.denominator) and any(f["coverage"]["total"] for f in everyone)
        measure = measures.MEASURES.get(self.denominator)
        shown = measure.extra.get("shown_reasons", ()) if measure else ()
        present = {reason for f in everyone for reason, n in f["coverage"]["not_rated"].items() if n}
        self.reasons = [r for r in NotRatedReason.values if r in shown or r in present] if self.covered else []
        self.make_up = (
            list(self.total[self.first["code"]]["breakdown"])
            if self.denominator and _is_partition(everyone) and self.total[self.first["code"]]["breakdown"]
            else []
        )
        self.parts = {d["code"]: self._parts(d) for d in group}

    def _parts(self, definition):
        """The make-up keys shown as "of which" columns of a definition: none when they split the denominator."""
        if self.denominator and _is_partition(self._figures(definition)):
            return []
        return list(self.total[definition["code"]]["breakdown"])

    def _figures(self, definition):
        return [ind[definition["code"]] for _name, ind in self.children] + [self.total[definition["code"]]]

    def columns(self):
        columns = [Column(_("No."), CODE), Column(_("Unit"), TEXT)]
        if self.covered:
            columns.append(Column(pgettext("report column", "Total"), INT))
            columns += [Column(reason_label(r), INT, _("Not rated or not yet rated")) for r in self.reasons]
        if self.denominator:
            label = measure_label(self.denominator, self.results["year"]) or _("Denominator")
            columns.append(Column(_capitalized(label), INT))
        for key in self.make_up:
            columns += [Column(_("No."), INT, breakdown_label(key)), Column("%", PCT, breakdown_label(key))]
        for definition in self.group:
            heading = definition_label(definition)
            kind = figure_cells.unit_kind(definition["unit"])
            columns.append(Column(_("No."), INT, heading))
            columns += [Column(breakdown_label(key), INT, heading) for key in self.parts[definition["code"]]]
            if kind != INT:
                columns.append(Column(figure_cells.SUFFIXES[kind].strip(), kind, heading))
            columns += [
                Column(_("Required"), TARGET, heading),
                Column(_("Verdict"), VERDICT, heading),
                Column(_("Margin"), MARGIN, heading),
            ]
        return columns

    def row(self, indicators):
        first = indicators[self.first["code"]]
        cells = []
        if self.covered:
            cells.append(_int(first["coverage"]["total"]))
            cells += [_int(first["coverage"]["not_rated"].get(r, 0)) for r in self.reasons]
        if self.denominator:
            cells.append(_int(first["denominator"]))
        for key in self.make_up:
            count = first["breakdown"].get(key, 0)
            cells += [_int(count), Cell(percent(count, first["denominator"]), PCT)]
        for definition in self.group:
            figure = indicators[definition["code"]]
            cells.append(_int(figure["numerator"]))
            cells += [_int(figure["breakdown"].get(key, 0)) for key in self.parts[definition["code"]]]
            if figure_cells.unit_kind(definition["unit"]) != INT:
                cells.append(figure_cells.value(figure, definition["unit"]))
            cells += [figure_cells.target(figure, definition["unit"]), verdict(figure), Cell(figure["margin"], MARGIN)]
        return cells

    def notes(self):
        return [
            _("%(code)s is judged at the end of %(year)s; earlier years show progress.")
            % {"code": d["code"], "year": deadline(self.results, d)}
            for d in self.group
            if not self.total[d["code"]].get("judged", True) and self.total[d["code"]].get("threshold") is not None
        ]

    def sheet(self):
        rows = [[_text(name), *self.row(ind)] for name, ind in self.children]
        total_row = _total(_("Total: %(scope)s") % {"scope": self.results["scope"]["name"]}, self.row(self.total))
        blocks = [Block("", self.columns(), _numbered(rows), total_row, self.notes())]
        blocks += [_program_block(d, rate) for d in self.group if (rate := program_rate(self.results, d)) is not None]
        codes = [d["code"] for d in self.group]
        title = ", ".join(codes)
        return Sheet(
            "-".join(codes).lower(),
            title if len(title) <= 31 else f"{codes[0]} … {codes[-1]}"[:31],  # Excel's limit on a sheet's name
            "; ".join(definition_name(d) for d in self.group),
            "",
            blocks,
        )


def _program_block(definition, rate):
    columns = [
        Column(_("Year"), YEAR),
        Column(_("Denominator"), INT),
        Column(_("Numerator"), INT),
        Column(_("Rate (%)"), PCT),
    ]
    rows = [
        [Cell(year, YEAR), _int(base), _int(numerator), Cell(percent(numerator, base), PCT)]
        for year, numerator, base in zip(rate["years"], rate["admissions"], rate["bases"], strict=True)
    ]
    notes = [
        _("Mean of the yearly rates: %(mean)s → %(verdict)s; pooled rate (Σ numerators / Σ denominators): %(pooled)s")
        % {
            "mean": percent_text(rate["mean_ratio"]),
            "verdict": verdict_word(rate["status"]),
            "pooled": percent_text(rate["pooled_ratio"]),
        }
    ]
    # The mean row holds the mean of the yearly rates only: a sum of members over several years counts
    # people more than once, and a mean of counts is nobody's figure.
    total = [Cell(_("Mean"), TEXT), _int(None), _int(None), Cell(_decimal(rate["mean_ratio"]), PCT)]
    heading = _("%(code)s over the program years (the target is the yearly average)") % {"code": definition["code"]}
    return Block(heading, columns, rows, total, notes)


def denominator_sheets(results):
    """One sheet per denominator measure, its definitions in display order; the counts share one sheet."""
    groups = {}
    for definition in definitions(results):
        key = "" if figure_cells.unit_kind(definition["unit"]) == INT else definition["denominator"]
        groups.setdefault(key, []).append(definition)
    return [_DenominatorSheet(results, group).sheet() for group in groups.values()]


def cells_sheet(results):
    """Ratings of the party cells under grassroots committees: kept and shown, counted in no indicator."""
    cells = results["cells"]
    reasons = [r for r in NotRatedReason.values if r == NotRatedReason.PENDING or cells["not_rated"].get(r)]
    rated = sum(cells["levels"].values())
    columns = [
        Column(_("No."), CODE),
        Column(_("Unit"), TEXT),
        Column(pgettext("report column", "Total"), INT),
        *(Column(reason_label(r), INT, _("Not rated or not yet rated")) for r in reasons),
        Column(_("Rated"), INT),
    ]
    row = [_int(cells["total"]), *(_int(cells["not_rated"].get(r, 0)) for r in reasons), _int(rated)]
    for level in Level.values:
        columns += [Column(_("No."), INT, level_label(level)), Column("%", PCT, level_label(level))]
        row += [_int(cells["levels"].get(level, 0)), Cell(percent(cells["levels"].get(level, 0), rated), PCT)]
    return Sheet(
        "cells",
        _("Party cells"),
        _("Party cells under grassroots committees (counted in no indicator)"),
        "",
        [Block("", columns, _numbered([[_text(results["scope"]["name"]), *row]]))],
    )


def _value_and_verdict(definition, figure):
    return [figure_cells.value(figure, definition["unit"]), verdict(figure)]


def _value_columns(definition):
    kind = figure_cells.unit_kind(definition["unit"])
    label = figure_cells.SUFFIXES[kind].strip() or _("No.")
    return [Column(label, kind, definition["code"]), Column(_("Verdict"), VERDICT, definition["code"])]


def by_type_sheet(results):
    shown = definitions(results)
    columns = [Column(_("No."), CODE), Column(_("Type of grassroots organization"), TEXT)]
    for definition in shown:
        columns += _value_columns(definition)

    def row(indicators):
        return [cell for d in shown for cell in _value_and_verdict(d, indicators[d["code"]])]

    rows = [[_text(type_label(entry["org_type"])), *row(entry["indicators"])] for entry in results["by_type"]]
    total_row = _total(_("Total: %(scope)s") % {"scope": results["scope"]["name"]}, row(results["scope"]["indicators"]))
    notes = [_("By type: the figures of the organizations of each type, counted as for the scope.")]
    return Sheet(
        "by_type",
        _("By type"),
        _("Indicators by type of grassroots organization"),
        "",
        [Block("", columns, _numbered(rows), total_row, notes)],
    )


def trend_sheet(results):
    shown = definitions(results)
    means = [d for d in shown if d.get("mode") == EvaluationMode.PROGRAM_MEAN]
    columns = [Column(_("Year"), YEAR)]
    for definition in shown:
        columns += _value_columns(definition)
    for definition in means:
        heading = _("%(code)s average to date") % {"code": definition["code"]}
        columns += [Column("%", PCT, heading), Column(_("Verdict"), VERDICT, heading)]
    rows = []
    notes = []
    for entry in results["trend"]:
        if not entry["in_tree"]:
            blank = [Cell(None, PCT), Cell(NO_DATA, VERDICT, NO_DATA)]
            rows.append([Cell(entry["year"], YEAR), *blank * (len(shown) + len(means))])
            notes.append(_("%(year)s: the unit was not in the organization tree that year.") % {"year": entry["year"]})
            continue
        row = [Cell(entry["year"], YEAR)]
        for definition in shown:
            figure = entry["indicators"].get(definition["code"])
            row += _value_and_verdict(definition, figure) if figure else [Cell(None, PCT), Cell(None, VERDICT)]
        for definition in means:
            # Runs stored before the trend kept every program-mean rate carry the first one alone.
            rate = entry.get("program_rates", {}).get(definition["code"]) or entry.get("t3_program")
            if rate is None:
                row += [Cell(None, PCT), Cell(None, VERDICT)]
                continue
            row += [Cell(_decimal(rate["mean_ratio"]), PCT), Cell(rate["status"], VERDICT, rate["status"])]
        rows.append(row)
    return Sheet(
        "trend",
        _("Trend"),
        _("Indicators year by year, %(first)s–%(year)s")
        % {"first": results["report"]["program_years"][0], "year": results["year"]},
        "",
        [Block("", columns, rows, notes=notes)],
        dated=False,
    )


def _org_columns(*extra):
    return [
        Column(_("No."), CODE),
        Column(_("Code"), CODE),
        Column(_("Grassroots organization"), TEXT),
        Column(_("Type"), TEXT),
        Column(_("Directly under"), TEXT),
        *extra,
    ]


def _org_cells(entry):
    return [
        Cell(entry["code"], CODE),
        _text(entry["name"]),
        _text(type_label(entry["org_type"])),
        _text(entry["parent"]),
    ]


def list_sheets(results):
    lists = results["lists"]
    not_completed = Block(
        "",
        _org_columns(),
        _numbered([_org_cells(e) for e in lists["not_completed"]]),
        notes=[] if lists["not_completed"] else [_("None.")],
    )
    not_approved = Block(
        "",
        _org_columns(
            Column(_("Rating of the organization"), TEXT), Column(_("Submission"), TEXT), Column(_("Comment"), TEXT)
        ),
        _numbered(
            [
                [
                    *_org_cells(e),
                    _text(rating_label(e["rating"])),
                    _text(state_label(e["submission_state"])),
                    _text(e["comment"]),
                ]
                for e in lists["not_approved"]
            ]
        ),
        notes=[] if lists["not_approved"] else [_("None.")],
    )
    warnings = Block(
        "",
        _org_columns(Column(_("Soft-rule warning"), TEXT)),
        _numbered([[*_org_cells(e), _text(e["warning"])] for e in lists["warnings"]]),
        notes=[] if lists["warnings"] else [_("None.")],
    )
    return [
        Sheet(
            "not_completed",
            _("Not completed"),
            _("Grassroots organizations rated “did not complete tasks”"),
            "",
            [not_completed],
        ),
        Sheet(
            "not_approved",
            _("Missing or not approved"),
            _("Grassroots organizations whose ratings are missing or not approved"),
            "",
            [not_approved],
        ),
        Sheet("warnings", _("Warnings"), _("Soft-rule warnings on the ratings"), "", [warnings]),
    ]


def sheets(results):
    """Every sheet of the report, in workbook order, in the active language."""
    return [
        summary_sheet(results),
        *denominator_sheets(results),
        cells_sheet(results),
        by_type_sheet(results),
        trend_sheet(results),
        *list_sheets(results),
    ]
