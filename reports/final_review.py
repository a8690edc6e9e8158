"""The final review (tổng kết) and mid-term review (sơ kết giữa kỳ) as tables and a workbook, from the computation of
indicators.selectors.series (no ORM here): the page and the workbook render the same blocks, figures become cells
through indicators.figure_cells."""

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import figure_cells
from indicators.computation import MET, NO_DATA, NOT_MET
from indicators.models import EvaluationMode
from indicators.selectors.series import COMPARABLE
from party_portal import excel
from party_portal.excel_lists import UPPER_KINDS

from . import workbook as report_workbook
from .tables import CODE, TARGET, TEXT, VERDICT, Block, Cell, Column, Sheet

HEADER_ROWS = 7  # the document header (4 rows), the title, the subtitle and the mode line


def title(review):
    if review.is_whole_program:
        return _("Final review of the program")
    return _("Mid-term review")


def span_line(review):
    return _("Years %(first)s–%(last)s") % {"first": review.first, "last": review.last}


def mode_line(review):
    if review.mode == COMPARABLE:
        return _("Comparable figures (boundaries of 31/12/%(year)s)") % {"year": review.last}
    return _("Historical figures")


def mode_note(review):
    if review.mode == COMPARABLE:
        return _(
            "Every year is counted over the grassroots organizations (TCCSĐ) that make up the unit on 31/12/%(year)s, "
            "with the TCCSĐ merged into them traced back through the reorganizations: their own figures of that "
            "year, added up (T4's committee members per TCCSĐ)."
        ) % {"year": review.last}
    return _("Every year is counted over the unit as it stood on 31/12 of that year; blank: the unit did not exist.")


def _label(definition):
    return f"{definition.code} – {definition.short_name}"


def _percent(fraction):
    if fraction is None:
        return None
    return figure_cells.ratio(fraction.numerator, fraction.denominator)


def summary(series, definition, review):
    """(text, status) of a target over the span, as its mode asks: the years achieved, the program mean and pooled
    rate, or the result at the deadline year."""
    provisional = any(year in review.provisional for year, _f in series.years)
    if series.mode == EvaluationMode.PROGRAM_MEAN and series.rate is not None:
        text = _("%(mean_label)s %(mean)s; %(pooled_label)s %(pooled)s") % {
            "mean_label": _("Program mean"),
            "mean": figure_cells.number_text(_percent(series.rate.mean), figure_cells.PCT),
            "pooled_label": _("pooled rate"),
            "pooled": figure_cells.number_text(_percent(series.rate.pooled), figure_cells.PCT),
        }
        return text, _provisional(series.rate.status, provisional)
    if series.mode == EvaluationMode.BY_DEADLINE:
        figure = series.deadline
        if figure is None:
            return _("%(year)s: no figure") % {"year": series.deadline_year}, NO_DATA
        value = figure_cells.value(figure.as_dict(), definition.unit)
        text = _("%(year)s: %(value)s") % {
            "year": series.deadline_year,
            "value": figure_cells.cell_text(value),
        }
        return text, figure_cells.figure_status(figure.as_dict())
    counted = [f for _y, f in series.years if f is not None]
    text = _("Achieved in %(achieved)s of %(years)s years") % {"achieved": series.achieved, "years": series.span_years}
    if not counted:
        return text, NO_DATA
    status = MET if series.achieved == series.span_years else NOT_MET
    return text, _provisional(status, provisional)


def _provisional(status, provisional):
    if not provisional or status == NO_DATA:
        return status
    return figure_cells.PROVISIONAL_MET if status == MET else figure_cells.PROVISIONAL_NOT_MET


def _year_cells(series, definition):
    cells = []
    for _year, figure in series.years:
        if figure is None:
            cells += [Cell(None, figure_cells.unit_kind(definition.unit)), Cell(None, VERDICT)]
        else:
            data = figure.as_dict()
            cells += [figure_cells.value(data, definition.unit), figure_cells.verdict(data)]
    return cells


def _summary_cells(series, definition, review):
    text, status = summary(series, definition, review)
    return [Cell(text, TEXT), Cell(status, VERDICT, status)]


def _year_columns(review, definition_unit=None):
    columns = []
    for year in review.years:
        kind = figure_cells.unit_kind(definition_unit) if definition_unit else figure_cells.PCT
        columns += [Column(_("Result"), kind, str(year)), Column(_("Verdict"), VERDICT, str(year))]
    overall = _("Over the span")
    return [*columns, Column(_("Result"), TEXT, overall), Column(_("Verdict"), VERDICT, overall)]


def _target_cell(series, definition, review):
    rule = review.rules[definition.code]
    if rule.threshold is None:
        return Cell(None, TEXT)
    return Cell(rule.threshold, TARGET, rule.comparator, figure_cells.unit_kind(definition.unit))


def scope_block(review):
    """The scope's targets, one row each: every year's result and verdict, then the span's."""
    unit = review.scope
    columns = [
        Column(_("No."), CODE),
        Column(_("Indicator"), TEXT),
        Column(_("Required"), TARGET),
        *_year_columns(review),
    ]
    rows = []
    for number, (code, definition) in enumerate(review.definitions.items(), start=1):
        series = unit.series[code]
        rows.append(
            [
                Cell(number, CODE),
                Cell(_label(definition), TEXT),
                _target_cell(series, definition, review),
                *_year_cells(series, definition),
                *_summary_cells(series, definition, review),
            ]
        )
    notes = [mode_note(review)]
    if unit.traced:
        names = ", ".join(
            _("%(name)s (until %(day)s)") % {"name": name, "day": last.strftime("%d/%m/%Y") if last else "—"}
            for _code, name, last in unit.traced
        )
        notes.append(_("Counted with the unit in the years before it was merged: %(names)s.") % {"names": names})
    return Block(unit.node.name, columns, rows, notes=notes)


def counts_block(review):
    """The scope's counts behind each result: numerator and denominator of every year."""
    unit = review.scope
    columns = [Column(_("No."), CODE), Column(_("Indicator"), TEXT)]
    for year in review.years:
        columns += [
            Column(_("Numerator"), figure_cells.INT, str(year)),
            Column(_("Denominator"), figure_cells.INT, str(year)),
        ]
    rows = []
    for number, (code, definition) in enumerate(review.definitions.items(), start=1):
        cells = [Cell(number, CODE), Cell(_label(definition), TEXT)]
        for _year, figure in unit.series[code].years:
            cells += [
                Cell(None if figure is None else figure.numerator, figure_cells.INT),
                Cell(None if figure is None else figure.denominator, figure_cells.INT),
            ]
        rows.append(cells)
    return Block(_("Counts behind the results"), columns, rows)


def unit_blocks(review):
    """One block per target: every direct sub-unit's years and span, the scope's as the total row."""
    blocks = []
    for code, definition in review.definitions.items():
        columns = [Column(_("No."), CODE), Column(_("Unit"), TEXT), *_year_columns(review, definition.unit)]
        rows = [
            [
                Cell(number, CODE),
                Cell(child.node.name, TEXT),
                *_year_cells(child.series[code], definition),
                *_summary_cells(child.series[code], definition, review),
            ]
            for number, child in enumerate(review.children, start=1)
        ]
        scope = review.scope.series[code]
        total = [
            Cell(None, CODE),
            Cell(review.scope.node.name, TEXT),
            *_year_cells(scope, definition),
            *_summary_cells(scope, definition, review),
        ]
        blocks.append(Block(_label(definition), columns, rows, total=total if rows else None))
    return blocks


def blocks(review):
    return [scope_block(review), counts_block(review), *unit_blocks(review)]


def filename(review):
    kind = "tong-ket" if review.is_whole_program else "so-ket-giua-ky"
    mode = "so-sanh" if review.mode == COMPARABLE else "lich-su"
    return f"{kind}-{review.first}-{review.last}-{review.scope.node.code}-{mode}.xlsx"


def build_workbook(review):
    """The review's workbook (.xlsx bytes): the scope's sheet and the sub-units' sheet, each with the Party
    document header, the title, the tables and the signature block."""
    node = review.scope.node
    head = excel.letterhead(name=node.name, with_board=node.kind in UPPER_KINDS, day=timezone.localdate())
    book = excel.new_workbook()
    book.properties.title = f"{title(review)} {span_line(review)} – {node.name}"
    all_blocks = blocks(review)
    sheets = [(_("Scope"), all_blocks[:2]), (_("Units"), all_blocks[2:])]
    for name, sheet_blocks in sheets:
        _write_sheet(book, name, sheet_blocks, review, head)
    return excel.workbook_bytes(book)


def _write_sheet(book, name, sheet_blocks, review, head):
    ws = excel.add_sheet(book, name)
    probe = Sheet(name, name, "", "", sheet_blocks)
    widths = report_workbook._widths(probe)
    ncols = max(len(block.columns) for block in sheet_blocks)
    for index, width in widths.items():
        ws.column_dimensions[excel.column_letter(index)].width = width
    excel.write_lines(ws, 1, excel.letterhead_lines(head, ncols), widths)
    heading = f"{title(review).upper()} {span_line(review).upper()}"
    excel.write_lines(ws, 5, excel.title_lines(ncols, heading, f"“{review.program.name}”"), widths)
    mode = excel.Segment(1, ncols, mode_line(review), report_workbook._font(italic=True), wrap=True)
    excel.write_lines(ws, HEADER_ROWS, [[mode]], widths)
    row = HEADER_ROWS + 2
    for block in sheet_blocks:
        _header_row, _first_data, row = report_workbook._write_block(ws, block, row, widths)
        row += 1
    excel.write_lines(ws, row + 1, excel.signature_lines(head, ncols), widths)
    excel.page_setup(ws, width=sum(widths.values()))
