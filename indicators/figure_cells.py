"""One table and number layer for figures: the dashboard's Excel view (indicators.exports) and the report
workbook (reports.tables, reports.workbook) both turn a figure into cells here, so the same figure is the same
cell value with the same number format in both, and the same text on the report page.

A figure's value is written in its definition's unit: a percentage in percent (91.24, shown '0.00" %"'), a
per-mille figure in per mille (3.25, shown '0.00" ‰"'), a count as an integer ('#,##0'). Numbers stay numbers,
so Excel or LibreOffice set to Vietnamese shows "91,24 %" and "12.345".
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import pgettext

from party_portal import excel

from .models import Unit

TEXT, CODE, INT, PCT, PER_MILLE, MARGIN, VERDICT, YEAR = (
    "text",
    "code",
    "int",
    "pct",
    "per_mille",
    "margin",
    "verdict",
    "year",
)
TARGET = "target"  # a threshold in its unit, its comparator in the cell's status: "≥ 90 %"
MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"
PROGRESS_MET, PROGRESS_NOT_MET = "progress_met", "progress_not_met"
# A verdict of a year not yet closed (tạm tính): the same word, marked.
PROVISIONAL_MET, PROVISIONAL_NOT_MET = "provisional_met", "provisional_not_met"

NUMBER_FORMATS = {
    INT: excel.COUNT_FORMAT,
    MARGIN: "+#,##0;-#,##0;0",
    PCT: excel.PERCENT_FORMAT,
    PER_MILLE: excel.PER_MILLE_FORMAT,
}
RATIO_KINDS = (PCT, PER_MILLE)
SUFFIXES = {PCT: " %", PER_MILLE: " ‰", INT: ""}
# The kind of cell a definition's unit is written as.
UNIT_KINDS = {Unit.PERCENT: PCT, Unit.COUNT: INT, Unit.PER_MILLE: PER_MILLE}
SCALES = {PCT: 100, PER_MILLE: 1000}
PLACES = Decimal("0.0001")  # as Figure.ratio: exact enough for any two-decimal display


@dataclass(frozen=True)
class Cell:
    value: object = None
    kind: str = TEXT
    status: str = ""  # VERDICT cells: met / not_met / no_data / progress_…/ provisional_…; TARGET: the comparator
    unit: str = PCT  # TARGET cells: the kind of number the threshold is (PCT, PER_MILLE or INT)


def unit_kind(unit):
    """The cell kind of a definition's unit (a percentage for an unknown one, as the definitions default)."""
    return UNIT_KINDS.get(unit, PCT)


def ratio(numerator, denominator, kind=PCT):
    """numerator / denominator in percent (or per mille), 4 decimals, or None without a denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) * SCALES[kind] / Decimal(denominator)).quantize(PLACES)


def value(figure, unit):
    """The figure (a dict of Figure.as_dict) as one cell in its unit: the count itself, or its ratio."""
    kind = unit_kind(unit)
    if kind == INT:
        return Cell(figure["numerator"], INT)
    return Cell(ratio(figure["numerator"], figure["denominator"], kind), kind)


def target(figure, unit):
    """The figure's threshold as a number in its unit, shown "≥ 0,3 %"; an empty cell when it has none."""
    if figure.get("threshold") is None:
        return Cell(None, TEXT)
    return Cell(Decimal(figure["threshold"]), TARGET, figure["comparator"], unit_kind(unit))


def figure_status(figure):
    if figure["status"] == NO_DATA:
        return NO_DATA
    if not figure.get("judged", True):
        return PROGRESS_MET if figure["status"] == MET else PROGRESS_NOT_MET
    if figure.get("provisional", False):  # runs stored before the flag existed read as final
        return PROVISIONAL_MET if figure["status"] == MET else PROVISIONAL_NOT_MET
    return figure["status"]


def verdict(figure):
    """The verdict cell; a figure without a threshold is shown, not judged: no verdict."""
    if figure.get("threshold") is None:
        return Cell(None, VERDICT)
    return Cell(figure_status(figure), VERDICT, figure_status(figure))


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


def comparator_symbol(comparator):
    return {">=": "≥", "<=": "≤"}.get(comparator, comparator)


def excel_value(cell):
    """(value, number format) of a figure cell in a workbook: numbers as numbers with their format, a missing
    ratio as "—", a verdict as its word. Text and codes are returned as they are, without a format."""
    if cell.kind == VERDICT:
        return (verdict_word(cell.status) if cell.status else None), None
    if cell.kind in (INT, MARGIN, *RATIO_KINDS) and cell.value is None:
        return ("—" if cell.kind in RATIO_KINDS else None), None
    if cell.kind in RATIO_KINDS:
        return float(cell.value), NUMBER_FORMATS[cell.kind]
    if cell.kind in (INT, MARGIN):
        return cell.value, NUMBER_FORMATS[cell.kind]
    if cell.kind == TARGET:
        symbol = comparator_symbol(cell.status)
        return float(cell.value), excel.target_format(symbol, cell.value, suffix=SUFFIXES[cell.unit])
    return cell.value, None


def number_text(value, kind):
    """A ratio as text with two decimals and the language's separator (91,24 % or 3,25 ‰), a count with its
    thousands separator (2.537). Rounded half up first, as the workbook's number format shows it: Django's
    number_format cuts the digits off."""
    if value is None:
        return "—"
    if kind == INT:
        return formats.number_format(value, force_grouping=True, use_l10n=True)
    rounded = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, 2, use_l10n=True) + SUFFIXES[kind]


def target_text(cell):
    threshold = formats.number_format(cell.value.normalize(), use_l10n=True)
    return f"{comparator_symbol(cell.status)} {threshold}{SUFFIXES[cell.unit]}"


def cell_text(cell):
    """A cell as the report page shows it: the workbook's value in the language's number format."""
    if cell.kind == VERDICT:
        return verdict_word(cell.status) if cell.status else ""
    if cell.value is None:
        return "—" if cell.kind in RATIO_KINDS else ""
    if cell.kind in (*RATIO_KINDS, INT):
        return number_text(cell.value, cell.kind)
    if cell.kind == TARGET:
        return target_text(cell)
    if cell.kind == MARGIN:
        sign = "+" if cell.value > 0 else "−" if cell.value < 0 else ""
        return sign + formats.number_format(abs(cell.value), force_grouping=True, use_l10n=True)
    return str(cell.value)
