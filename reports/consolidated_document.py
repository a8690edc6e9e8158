"""The consolidated report's Word document, written from its `content` alone (no ORM): the same content gives the
same text, so an issued version can be rebuilt and a test reads exactly what the job wrote.

Layout: the Party's administrative document (party_portal.word): header, number, place and date, "BÁO CÁO" and its
subject, I. the province's results per target with the units' table, II. how the units reported (late, not at
all), III. the units' proposals, the annex line, "Nơi nhận" and the signature block.
"""

from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from indicators import figure_cells
from party_portal import excel, word
from reviews import duties
from reviews.models import ReviewStatus

from . import tables

# Below the province's figures: the unit's name, how its review stands, then one column per target.
UNIT_COLUMN_MM, STATE_COLUMN_MM, ORDINAL_MM = 38, 25, 12
# A4 less the 30 mm and 15 mm side margins (party_portal.word).
TEXT_WIDTH_MM = 165
NUMBER_BLANK = "\u00a0" * 8


def _day(text):
    return date.fromisoformat(text[:10]).strftime("%d/%m/%Y") if text else "—"


def _document_day(content):
    return datetime.fromisoformat(content["issued_at"] or content["generated_at"]).date()


def _head(content):
    number = content["number"] or f"{NUMBER_BLANK}-{content['number_suffix']}"
    return excel.letterhead(
        name=content["province"]["name"],
        with_board=True,
        day=_document_day(content),
        number=pgettext("document number", "No. %(number)s") % {"number": number},
    )


def figure_text(figure, definition):
    """A figure as the document writes it: its value in its unit with the decimal comma ("66,67 %")."""
    return figure_cells.cell_text(figure_cells.value(figure, definition["unit"]))


def _target_text(figure, definition):
    cell = figure_cells.target(figure, definition["unit"])
    return figure_cells.target_text(cell) if cell.value is not None else ""


def _verdict_text(figure):
    cell = figure_cells.verdict(figure)
    return figure_cells.verdict_word(cell.status) if cell.status else _("shown, not judged")


def _result_line(definition, figure, rate):
    name = tables.definition_name(definition)
    parts = {
        "name": name,
        "code": definition["code"],
        "value": figure_text(figure, definition),
        "numerator": tables.count_text(figure["numerator"]),
        "denominator": tables.count_text(figure["denominator"]),
        "target": _target_text(figure, definition),
        "verdict": _verdict_text(figure),
    }
    if figure_cells.unit_kind(definition["unit"]) == figure_cells.INT:
        line = _("- %(name)s (%(code)s): %(value)s; required %(target)s: %(verdict)s.") % parts
    else:
        line = (
            _("- %(name)s (%(code)s): %(value)s (%(numerator)s of %(denominator)s); required %(target)s: %(verdict)s.")
            % parts
        )
    if rate is not None:
        years = rate["years"]
        line += " " + _("Mean of the yearly rates %(first)s–%(last)s: %(mean)s (%(verdict)s).") % {
            "first": years[0] if years else "",
            "last": years[-1] if years else "",
            "mean": tables.percent_text(rate["mean_ratio"]),
            "verdict": figure_cells.verdict_word(rate["status"]) if rate.get("status") else "",
        }
    return line


def _review_state(unit):
    status = unit["review_status"]
    if status == ReviewStatus.RECEIVED:
        return _("received")
    if status == ReviewStatus.SUBMITTED:
        return _("sent, not yet received")
    if status == ReviewStatus.RETURNED:
        return _("returned, not yet sent again")
    return _("not sent")


def _bare_number(figure, definition):
    """The figure's value without its unit sign (the column heading carries it): the table stays narrow."""
    kind = figure_cells.unit_kind(definition["unit"])
    return figure_text(figure, definition).removesuffix(figure_cells.SUFFIXES[kind])


def _column_heading(definition):
    sign = figure_cells.SUFFIXES[figure_cells.unit_kind(definition["unit"])].strip()
    return f"{definition['code']} ({sign})" if sign else definition["code"]


def _unit_cells(unit, definitions):
    if not unit["in_tree"]:
        # One cell across the figure columns (word.Document.table spans a short row's last cell).
        return [_("narrative only")] if definitions else []
    figures = unit["figures"] or {}
    return [_bare_number(figures[d["code"]], d) if d["code"] in figures else "—" for d in definitions]


def _unit_table(doc, content):
    definitions = content["definitions"]
    header = [
        pgettext("ordinal column", "No."),
        _("Reporting unit"),
        _("Review"),
        *[_column_heading(d) for d in definitions],
    ]
    rows = []
    for number, unit in enumerate(content["units"], start=1):
        state = _review_state(unit)
        if unit["state"] == duties.DONE_LATE:
            state += ", " + _("sent late")
        rows.append([str(number), unit["name"], state, *_unit_cells(unit, definitions)])
    rest = (TEXT_WIDTH_MM - ORDINAL_MM - UNIT_COLUMN_MM - STATE_COLUMN_MM) / max(1, len(definitions))
    widths = [ORDINAL_MM, UNIT_COLUMN_MM, STATE_COLUMN_MM, *[rest] * len(definitions)]
    doc.table(header, rows, widths=widths, numeric=set(range(3, 3 + len(definitions))))


def _results(doc, content):
    doc.heading(_("I. RESULTS OF CARRYING OUT THE PROGRAM IN %(year)s") % {"year": content["year"]})
    doc.heading(_("1. The province's results per target"))
    if content["provisional"]:
        doc.paragraph(
            _(
                "The rating year %(year)s is not closed: the verdicts below are provisional "
                "(on the ratings entered so far)."
            )
            % {"year": content["year"]},
            italic=True,
        )
    rates = content["program_rates"]
    for definition in content["definitions"]:
        figure = content["figures"][definition["code"]]
        doc.paragraph(_result_line(definition, figure, rates.get(definition["code"])))
    doc.heading(_("2. The figures of the reporting units"))
    doc.paragraph(
        _(
            "Each unit's figures as its yearly review states them (frozen when it was sent); a unit outside the "
            "organization tree reports a narrative only; “—”: no figures sent."
        ),
        italic=True,
    )
    _unit_table(doc, content)


def _named(content, codes):
    by_code = {unit["code"]: unit for unit in content["units"]}
    return [by_code[code] for code in codes if code in by_code]


def _reporting(doc, content):
    units = content["units"]
    late = _named(content, content["late"])
    missing = _named(content, content["missing"])
    doc.heading(_("II. HOW THE UNITS REPORTED"))
    on_time = sum(1 for unit in units if unit["state"] == duties.DONE)
    doc.paragraph(
        _(
            "%(owed)s units owed a review of %(year)s: %(on_time)s sent it on time, %(late)s sent it late and "
            "%(missing)s have not sent it."
        )
        % {"owed": len(units), "year": content["year"], "on_time": on_time, "late": len(late), "missing": len(missing)}
    )
    doc.heading(_("1. Units that reported late"))
    for unit in late:
        doc.paragraph(
            _("- %(name)s: due on %(due)s, sent on %(sent)s.")
            % {"name": unit["name"], "due": _day(unit["due_on"]), "sent": _day(unit["submitted_on"])}
        )
    if not late:
        doc.paragraph(_("None."))
    doc.heading(_("2. Units that have not reported"))
    for unit in missing:
        text = _("- %(name)s: due on %(due)s") % {"name": unit["name"], "due": _day(unit["due_on"])}
        if unit["state"] == duties.OVERDUE:
            text += ", " + _("overdue")
        doc.paragraph(text + ".")
    if not missing:
        doc.paragraph(_("None."))


def _proposals(doc, content):
    doc.heading(_("III. PROPOSALS AND RECOMMENDATIONS OF THE UNITS"))
    units = _named(content, content["proposals"])
    for number, unit in enumerate(units, start=1):
        doc.paragraph(f"{number}. {unit['name']}", bold=True)
        # What the unit typed, as plain text, one paragraph per line.
        doc.paragraph(unit["proposals"])
    if not units:
        doc.paragraph(_("No unit made a proposal."))


def build(content):
    """The .docx bytes of a consolidated report's content, in the active language (the job uses Vietnamese)."""
    head = _head(content)
    doc = word.Document()
    doc.letterhead(committee=head.committee, board=head.board, number=head.number, date_line=excel.date_line(head))
    doc.title(
        _("REPORT"),
        _("Results of carrying out the action program “%(program)s” in %(year)s")
        % {"program": content["program"]["name"], "year": content["year"]},
    )
    doc.paragraph(
        _(
            "Carrying out the action program, the Organization Board sums up the results of %(year)s from the "
            "ratings of the year and the yearly reviews of the reporting units, and reports to the Standing "
            "Committee of the provincial Party Committee as follows:"
        )
        % {"year": content["year"]}
    )
    _results(doc, content)
    _reporting(doc, content)
    _proposals(doc, content)
    annex = content["annex"]
    doc.paragraph(
        _("Annex: the workbook of the indicators of %(year)s (Excel), compliance report version %(version)s%(number)s.")
        % {
            "year": content["year"],
            "version": annex["version"],
            "number": ", " + _("number %(number)s") % {"number": annex["number"]} if annex["number"] else "",
        },
        italic=True,
    )
    doc.closing(
        recipients=[
            _("Standing board of the provincial Party Committee (to report)"),
            _("Members of the Standing Committee of the provincial Party Committee"),
            _("The program's Steering Committee"),
            _("The reporting units"),
        ],
        on_behalf=_("ON BEHALF OF THE ORGANIZATION BOARD"),
        position=_("HEAD OF THE BOARD"),
        signer=content["issued_by"],
    )
    return doc.to_bytes()
