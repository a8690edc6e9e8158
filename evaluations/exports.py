"""The approval queue as an Excel file: the rows of one year and tab, as on the page, every page of them, as a
Party document (party_portal.excel_lists)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from party_portal.excel_lists import COUNT, TEXT, Column, ListSheet, list_workbook, unit_letterhead


def _when(moment, who):
    """'31/12/2024 09:30 (Nguyễn Văn A)' as on the page, or '' when it did not happen."""
    if moment is None:
        return ""
    text = formats.date_format(timezone.localtime(moment), "d/m/Y H:i")
    return f"{text} ({who})" if who else text


def _state(placement, submission):
    if submission is None:
        return _("Not started")
    state = submission.get_state_display()
    return f"{state} ({_('changed after approval')})" if submission.changed_after_approval else state


def _values(row):
    placement, submission = row["placement"], row["submission"]
    return [
        placement.organization.name,
        placement.organization.code,
        placement.parent.name if placement.parent else "",
        _state(placement, submission),
        _when(getattr(submission, "submitted_at", None), row["submitted_who"]),
        _when(getattr(submission, "decided_at", None), row["decided_who"]),
        len(submission.warnings) if submission and submission.warnings else None,
        row["own_label"],
    ]


def approval_queue_workbook(*, organization, year, tab, rows):
    """The workbook's bytes: one sheet of the queue's `rows` (evaluations.views._queue_rows) for `year`, tab `tab`."""
    columns = [
        Column(_("Organization"), TEXT, 30),
        Column(_("Code"), TEXT, 10),
        Column(_("Directly under"), TEXT, 24),
        Column(_("State"), TEXT, 16),
        Column(_("Sent"), TEXT, 20),
        Column(_("Decided"), TEXT, 20),
        Column(_("Warnings"), COUNT, 9),
        Column(_("Own rating"), TEXT, 20),
    ]
    sheet = ListSheet(
        _("Approval queue"),
        f"{_('Approval queue').upper()} – {_('YEAR %(year)s') % {'year': year}}",
        columns,
        (_values(row) for row in rows),
        f"{_('State')}: {tab}",
        empty_text=_("No grassroots organization in this state."),
    )
    return list_workbook(head=unit_letterhead(organization), sheets=[sheet], title=_("Approval queue"))
