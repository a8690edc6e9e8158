"""Any form as a Party document in Excel, through party_portal.excel_lists (text is never a formula)."""

from django.utils.translation import gettext as _

from party_portal import excel_lists
from party_portal.excel_lists import Column, ListSheet

INDENT = "    "


def period_line(table):
    return _("From %(start)s to %(end)s") % {
        "start": table.period_start.strftime("%d/%m/%Y"),
        "end": table.period_end.strftime("%d/%m/%Y"),
    }


def workbook(table):
    """The .xlsx bytes of `table` (a common.FormTable) under its scope's letterhead."""
    label_width = 30 if table.form == "register" else 48
    columns = [Column(str(table.label_header), excel_lists.TEXT, label_width)]
    columns += [Column(str(c.label), c.kind, c.width) for c in table.columns]
    rows = ([INDENT * max(line.depth - 1, 0) + str(line.label), *line.values] for line in table.lines)
    sheet = ListSheet(
        name=table.number,
        title=f"{str(table.title).upper()}",
        subtitle=f"{table.scope.name} · {period_line(table)} · {table.number}",
        columns=columns,
        rows=rows,
        notes=[str(note) for note in table.notes],
    )
    return excel_lists.list_workbook(
        head=excel_lists.unit_letterhead(table.scope), sheets=[sheet], title=f"{table.number} {table.title}"
    )


def filename(table):
    return f"{table.form}_{table.scope.code}_{table.period_start:%Y%m%d}_{table.period_end:%Y%m%d}.xlsx"
