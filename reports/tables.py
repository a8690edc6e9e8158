"""The report's tables, built from a run's results dict alone (no ORM): the workbook and the report page
both render these, so the browser shows exactly the workbook's tables.

Column layouts follow the Party's statistics forms (RESEARCH.md §5: Biểu 7A/7B and the proposed sheet
per target). Percentages are exact Decimals in percent (91.2400), computed like Figure.ratio.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from evaluations.models import Level, NotRatedReason, SubmissionState
from indicators.models import Indicator
from members.models import TheoryLevel
from organizations.models import OrgType
from party_portal import excel
from party_portal.excel_lists import UPPER_KINDS

TEXT, CODE, INT, PCT, MARGIN, VERDICT, YEAR = "text", "code", "int", "pct", "margin", "verdict", "year"
TARGET = "target"  # a threshold in percent (Decimal), its comparator in the cell's status: "≥ 90 %"
MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"
PROGRESS_MET, PROGRESS_NOT_MET = "progress_met", "progress_not_met"
# A verdict of a year not yet closed (tạm tính): the same word, marked.
PROVISIONAL_MET, PROVISIONAL_NOT_MET = "provisional_met", "provisional_not_met"
INDICATORS = ["T1a", "T1b", "T2a", "T2b", "T3", "T4"]
LEVELS = [level.value for level in Level]
# Not-rated reasons always shown as columns (RESEARCH §5); any other reason gets a column when it occurs.
T1_REASONS = [NotRatedReason.NEW_ORGANIZATION, NotRatedReason.PENDING]
T2_REASONS = [NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED, NotRatedReason.NEW_MEMBER, NotRatedReason.PENDING]


@dataclass(frozen=True)
class Cell:
    value: object = None
    kind: str = TEXT
    status: str = ""  # VERDICT cells: met / not_met / no_data / progress_met / progress_not_met; TARGET: the comparator


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


def verdict_word(status):
    # A context of their own (the statistics forms' words); the dashboard words a verdict the same way.
    return {
        MET: pgettext("report verdict", "Met"),
        NOT_MET: pgettext("report verdict", "Not met"),
        PROVISIONAL_MET: pgettext("report verdict", "Met (provisional)"),
        PROVISIONAL_NOT_MET: pgettext("report verdict", "Not met (provisional)"),
        NO_DATA: pgettext("report verdict", "No data"),
        PROGRESS_MET: pgettext("report verdict", "Met (progress)"),
        PROGRESS_NOT_MET: pgettext("report verdict", "Not yet met (progress)"),
    }[status]


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


def indicator_label(code):
    return f"{code} – {Indicator(code).label}"


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
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.0001"))


def percent_text(ratio):
    """A ratio in percent as text with two decimals and the language's separator: 91,24 %. Rounded half up
    first, as the workbook's number format shows it: Django's number_format cuts the digits off."""
    if ratio is None:
        return "—"
    rounded = Decimal(ratio).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, 2, use_l10n=True) + " %"


def count_text(number):
    """A count as text with the language's thousands separator: 2.537."""
    return formats.number_format(number, force_grouping=True, use_l10n=True)


def _decimal(text):
    return None if text is None else Decimal(text)


def threshold_text(figure):
    threshold = formats.number_format(Decimal(figure["threshold"]), use_l10n=True)
    return f"{comparator_symbol(figure['comparator'])} {threshold} %"


def comparator_symbol(comparator):
    return {">=": "≥", "<=": "≤"}.get(comparator, comparator)


def target(figure):
    """The figure's threshold as a number in percent, shown "≥ 0,3 %" (a number in the workbook, not text)."""
    return Cell(Decimal(figure["threshold"]), TARGET, figure["comparator"])


def target_text(cell):
    threshold = formats.number_format(cell.value.normalize(), use_l10n=True)
    return f"{comparator_symbol(cell.status)} {threshold} %"


def figure_status(figure):
    if figure["status"] == NO_DATA:
        return NO_DATA
    if not figure.get("judged", True):
        return PROGRESS_MET if figure["status"] == MET else PROGRESS_NOT_MET
    if figure.get("provisional", False):  # runs stored before the flag existed read as final
        return PROVISIONAL_MET if figure["status"] == MET else PROVISIONAL_NOT_MET
    return figure["status"]


def verdict(figure):
    return Cell(figure_status(figure), VERDICT, figure_status(figure))


def pct(figure):
    return Cell(_decimal(figure["ratio"]), PCT)


def _text(value):
    return Cell(value, TEXT)


def _int(value):
    return Cell(value, INT)


def _reasons(figures, always):
    """The not-rated reasons to show: those always shown, then any other that occurs in a row."""
    present = {reason for f in figures for reason, n in f["coverage"]["not_rated"].items() if n}
    return [r for r in NotRatedReason.values if r in always or r in present]


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


# ---------------------------------------------------------------- the sheets


def summary_sheet(results):
    indicators = results["scope"]["indicators"]
    columns = [
        Column(_("No."), CODE),
        Column(pgettext("report column", "Target"), TEXT),
        Column(_("Required"), TARGET),
        Column(_("Numerator"), INT),
        Column(_("Denominator"), INT),
        Column(_("Result (%)"), PCT),
        Column(_("Verdict"), VERDICT),
        Column(_("Margin"), MARGIN),
        Column(_("Coverage (%)"), PCT),
        Column(_("Notes"), TEXT),
    ]
    rows = []
    for code in INDICATORS:
        figure = indicators.get(code)
        if figure is None:
            continue
        rows.append(
            [
                _text(indicator_label(code)),
                target(figure),
                _int(figure["numerator"]),
                _int(figure["denominator"]),
                pct(figure),
                verdict(figure),
                Cell(figure["margin"], MARGIN),
                Cell(_decimal(figure["coverage"]["ratio"]), PCT),
                _text(_summary_note(code, figure, results)),
            ]
        )
        if code == "T3":
            rows.append(_t3_program_row(results, figure))
    notes = [
        _(
            "Denominators of T1 and T2 are the number rated (not-rated excluded); coverage = rated / total. "
            "Thresholds are compared on whole counts, not on rounded percentages."
        ),
        _(
            "Margin ≥ 0: how many the count can lose (or, for an upper limit, still admit) and still pass; "
            "margin < 0: how many more (or fewer) it needs to pass."
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


def _summary_note(code, figure, results):
    parts = []
    not_rated = {r: n for r, n in figure["coverage"]["not_rated"].items() if n}
    if not_rated:
        parts.append(
            _("not rated: %(list)s")
            % {"list": "; ".join(f"{reason_label(r)} {count_text(n)}" for r, n in not_rated.items())}
        )
    if not figure.get("judged", True):
        parts.append(_("progress only; judged in %(year)s") % {"year": results["report"]["program_years"][1]})
    elif figure.get("provisional", False) and figure["status"] != NO_DATA:
        parts.append(_("provisional: the year is not closed") + _coverage_note(figure))
    if code == "T3" and figure["breakdown"].get("READMITTED"):
        parts.append(_("of which re-admitted: %(n)s") % {"n": count_text(figure["breakdown"]["READMITTED"])})
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


def _t3_program_row(results, figure):
    program = results["t3_program"]
    years = program["years"]
    span = f"{years[0]}–{years[-1]}" if years else ""
    pooled = program["pooled_ratio"]
    note = _("mean of the yearly rates %(span)s; pooled (Σ admissions / Σ members at the start): %(pooled)s") % {
        "span": span,
        "pooled": percent_text(pooled),
    }
    return [
        _text(_("T3 – yearly average over the program")),
        target(figure),
        _int(sum(program["admissions"])),
        _int(sum(program["bases"])),
        Cell(_decimal(program["mean_ratio"]), PCT),
        Cell(program["status"], VERDICT, program["status"]),
        Cell(None, MARGIN),
        Cell(None, PCT),
        _text(note),
    ]


def _rating_columns(reasons, verdict_columns=()):
    columns = [
        Column(_("No."), CODE),
        Column(_("Unit"), TEXT),
        Column(pgettext("report column", "Total"), INT),
        *(Column(reason_label(r), INT, _("Not rated or not yet rated")) for r in reasons),
        Column(_("Rated"), INT),
    ]
    for level in LEVELS:
        columns += [Column(_("No."), INT, level_label(level)), Column("%", PCT, level_label(level))]
    columns += [Column(_("No."), INT, _("Good or better")), Column("%", PCT, _("Good or better"))]
    return [*columns, *verdict_columns]


def _rating_row(figure, reasons, verdicts=()):
    rated = figure["denominator"]
    row = [_int(figure["coverage"]["total"])]
    row += [_int(figure["coverage"]["not_rated"].get(r, 0)) for r in reasons]
    row.append(_int(rated))
    for level in LEVELS:
        count = figure["breakdown"].get(level, 0)
        row += [_int(count), Cell(percent(count, rated), PCT)]
    good = figure["breakdown"].get(Level.EXCELLENT, 0) + figure["breakdown"].get(Level.GOOD, 0)
    row += [_int(good), Cell(percent(good, rated), PCT)]
    row += list(verdicts)
    return row


def _target_sheet(results, key, name, title, unit, good_code, bad_code, reasons_always):
    children, total = _units(results)
    figures = [ind[good_code] for _n, ind in children] + [total[good_code]]
    reasons = _reasons(figures, reasons_always)
    verdict_columns = [
        Column(f"{good_code} {threshold_text(total[good_code])}", VERDICT, _("Verdict")),
        Column(f"{bad_code} {threshold_text(total[bad_code])}", VERDICT, _("Verdict")),
    ]
    columns = _rating_columns(reasons, verdict_columns)
    rows = [
        [_text(child_name), *_rating_row(ind[good_code], reasons, (verdict(ind[good_code]), verdict(ind[bad_code])))]
        for child_name, ind in children
    ]
    total_row = _total(
        _("Total: %(scope)s") % {"scope": results["scope"]["name"]},
        _rating_row(total[good_code], reasons, (verdict(total[good_code]), verdict(total[bad_code]))),
    )
    return Sheet(key, name, title, unit, [Block("", columns, _numbered(rows), total_row)])


def t1_sheet(results):
    sheet = _target_sheet(
        results,
        "t1",
        _("T1 Grassroots orgs"),
        _("Quality rating of grassroots party organizations (target 1)"),
        _("Unit: grassroots organizations"),
        "T1a",
        "T1b",
        T1_REASONS,
    )
    cells = results["cells"]
    cell_reasons = [r for r in NotRatedReason.values if r in T1_REASONS or cells["not_rated"].get(r)]
    rated = sum(cells["levels"].values())
    figure = {
        "denominator": rated,
        "coverage": {"total": cells["total"], "not_rated": cells["not_rated"]},
        "breakdown": cells["levels"],
    }
    columns = _rating_columns(cell_reasons)
    block = Block(
        _("Party cells under grassroots committees (not counted in target 1)"),
        columns,
        _numbered([[_text(results["scope"]["name"]), *_rating_row(figure, cell_reasons)]]),
    )
    return Sheet(sheet.key, sheet.name, sheet.title, sheet.unit, [*sheet.blocks, block])


def t2_sheet(results):
    return _target_sheet(
        results,
        "t2",
        _("T2 Members"),
        _("Quality rating of party members (target 2)"),
        _("Unit: party members"),
        "T2a",
        "T2b",
        T2_REASONS,
    )


def _t3_row(figure):
    return [
        _int(figure["denominator"]),
        _int(figure["numerator"]),
        _int(figure["breakdown"].get("READMITTED", 0)),
        pct(figure),
        target(figure),
        verdict(figure),
        Cell(figure["margin"], MARGIN),
    ]


def t3_sheet(results):
    children, total = _units(results)
    columns = [
        Column(_("No."), CODE),
        Column(_("Unit"), TEXT),
        Column(_("Members on 31/12 of the year before"), INT),
        Column(_("Admitted in the year"), INT),
        Column(_("of which re-admitted"), INT),
        Column(_("Rate (%)"), PCT),
        Column(_("Required"), TARGET),
        Column(_("Verdict"), VERDICT),
        Column(_("Margin"), MARGIN),
    ]
    rows = [[_text(name), *_t3_row(ind["T3"])] for name, ind in children]
    total_row = _total(_("Total: %(scope)s") % {"scope": results["scope"]["name"]}, _t3_row(total["T3"]))
    program = results["t3_program"]
    program_columns = [
        Column(_("Year"), YEAR),
        Column(_("Members at the start of the year"), INT),
        Column(_("Admitted"), INT),
        Column(_("Rate (%)"), PCT),
    ]
    program_rows = [
        [Cell(year, YEAR), _int(base), _int(admitted), Cell(percent(admitted, base), PCT)]
        for year, admitted, base in zip(program["years"], program["admissions"], program["bases"], strict=True)
    ]
    program_notes = [
        _(
            "Mean of the yearly rates: %(mean)s → %(verdict)s; "
            "pooled rate (Σ admitted / Σ members at the start): %(pooled)s"
        )
        % {
            "mean": percent_text(program["mean_ratio"]),
            "verdict": verdict_word(program["status"]),
            "pooled": percent_text(program["pooled_ratio"]),
        }
    ]
    # The mean row holds the mean of the yearly rates only: a sum of members over several years counts
    # people more than once, and a mean of counts is nobody's figure.
    program_total = [
        Cell(_("Mean"), TEXT),
        _int(None),
        _int(None),
        Cell(_decimal(program["mean_ratio"]), PCT),
    ]
    blocks = [
        Block("", columns, _numbered(rows), total_row),
        Block(
            _("Over the program years (the target is the yearly average)"),
            program_columns,
            program_rows,
            program_total,
            program_notes,
        ),
    ]
    return Sheet(
        "t3",
        _("T3 Admissions"),
        _("New party members admitted (target 3)"),
        _("Unit: party members"),
        blocks,
    )


def _t4_row(figure):
    row = [_int(figure["denominator"])]
    row += [_int(figure["breakdown"].get(level.name, 0)) for level in TheoryLevel]
    row += [_int(figure["numerator"]), pct(figure), target(figure), verdict(figure)]
    return row


def t4_sheet(results):
    children, total = _units(results)
    theory = _("Political theory level")
    columns = [
        Column(_("No."), CODE),
        Column(_("Unit"), TEXT),
        Column(_("Grassroots committee members"), INT),
        *(Column(theory_label(level), INT, theory) for level in TheoryLevel),
        Column(_("No."), INT, _("Intermediate or higher")),
        Column("%", PCT, _("Intermediate or higher")),
        Column(_("Required"), TARGET),
        Column(_("Verdict"), VERDICT),
    ]
    rows = [[_text(name), *_t4_row(ind["T4"])] for name, ind in children]
    total_row = _total(_("Total: %(scope)s") % {"scope": results["scope"]["name"]}, _t4_row(total["T4"]))
    notes = []
    if not total["T4"].get("judged", True):
        notes.append(
            _("The target is judged at the end of %(year)s; earlier years show progress.")
            % {"year": results["report"]["program_years"][1]}
        )
    return Sheet(
        "t4",
        _("T4 Committees"),
        _("Political theory of grassroots committee members (target 4)"),
        _("Unit: persons"),
        [Block("", columns, _numbered(rows), total_row, notes)],
    )


def _pct_and_verdict(figure):
    return [pct(figure), verdict(figure)]


def by_type_sheet(results):
    columns = [Column(_("No."), CODE), Column(_("Type of grassroots organization"), TEXT)]
    columns.append(Column(_("Grassroots organizations"), INT))
    for code in ("T1a", "T1b"):
        columns += [Column("%", PCT, code), Column(_("Verdict"), VERDICT, code)]
    columns.append(Column(_("Members"), INT))
    for code in ("T2a", "T2b", "T3"):
        columns += [Column("%", PCT, code), Column(_("Verdict"), VERDICT, code)]
    columns.append(Column(_("Committee members"), INT))
    columns += [Column("%", PCT, "T4"), Column(_("Verdict"), VERDICT, "T4")]

    def row(indicators):
        cells = [_int(indicators["T1a"]["coverage"]["total"])]
        cells += _pct_and_verdict(indicators["T1a"]) + _pct_and_verdict(indicators["T1b"])
        cells.append(_int(indicators["T2a"]["coverage"]["total"]))
        for code in ("T2a", "T2b", "T3"):
            cells += _pct_and_verdict(indicators[code])
        cells.append(_int(indicators["T4"]["denominator"]))
        cells += _pct_and_verdict(indicators["T4"])
        return cells

    rows = [[_text(type_label(entry["org_type"])), *row(entry["indicators"])] for entry in results["by_type"]]
    total_row = _total(_("Total: %(scope)s") % {"scope": results["scope"]["name"]}, row(results["scope"]["indicators"]))
    notes = [_("T3 by type: admissions by the organizations of each type over their members at the start of the year.")]
    return Sheet(
        "by_type",
        _("By type"),
        _("Indicators by type of grassroots organization"),
        "",
        [Block("", columns, _numbered(rows), total_row, notes)],
    )


def trend_sheet(results):
    columns = [Column(_("Year"), YEAR)]
    for code in INDICATORS:
        columns += [Column("%", PCT, code), Column(_("Verdict"), VERDICT, code)]
    columns += [Column("%", PCT, _("T3 average to date")), Column(_("Verdict"), VERDICT, _("T3 average to date"))]
    rows = []
    notes = []
    for entry in results["trend"]:
        if not entry["in_tree"]:
            rows.append([Cell(entry["year"], YEAR), *[Cell(None, PCT), Cell(NO_DATA, VERDICT, NO_DATA)] * 7])
            notes.append(_("%(year)s: the unit was not in the organization tree that year.") % {"year": entry["year"]})
            continue
        row = [Cell(entry["year"], YEAR)]
        for code in INDICATORS:
            row += _pct_and_verdict(entry["indicators"][code])
        program = entry["t3_program"]
        row += [Cell(_decimal(program["mean_ratio"]), PCT), Cell(program["status"], VERDICT, program["status"])]
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
        t1_sheet(results),
        t2_sheet(results),
        t3_sheet(results),
        t4_sheet(results),
        by_type_sheet(results),
        trend_sheet(results),
        *list_sheets(results),
    ]
