"""The member register (sổ danh sách đảng viên, mẫu 7-HSĐV) of a unit on a date: one row per member on the rolls
of the unit and the units under it."""

from django.utils.translation import gettext_lazy as _

from members import selectors as member_selectors
from members.models import TheoryLevel

from .common import Column, FormTable, Line, scope_placement


def compute(*, actor, organization_id, period_start, period_end):
    """The register of the scope on the period's last day, in name order."""
    day = period_end
    placement = scope_placement(actor, organization_id, day)
    stints = member_selectors.member_list(actor=actor, on=day, organization_id=placement.organization_id)
    lines = []
    for stint in stints:
        member = stint.member
        lines.append(
            Line(
                member.full_name,
                (
                    member.get_gender_display(),
                    member.date_of_birth,
                    member.ethnicity,
                    member.religion,
                    stint.organization.name,
                    member.admission_date,
                    member.official_from if member.is_official_on(day) else None,
                    member.card_number or "",
                    member.record_number,
                    TheoryLevel(stint.theory_level or 0).label,
                ),
                1,
                member.record_number,
            )
        )
    return FormTable(
        form="register",
        number="Mẫu 7-HSĐV",
        title=_("Register of party members"),
        label_header=_("Full name"),
        columns=(
            Column(_("Gender"), "code", 8),
            Column(_("Date of birth"), "date", 12),
            Column(_("Ethnicity"), "text", 10),
            Column(_("Religion"), "text", 10),
            Column(_("Organization"), "text", 24),
            Column(_("Admission date"), "date", 12),
            Column(_("Official from"), "date", 12),
            Column(_("Party card number"), "code", 12),
            Column(_("Party record number"), "code", 12),
            Column(_("Political theory level"), "text", 12),
        ),
        lines=tuple(lines),
        scope=placement.organization,
        period_start=period_start,
        period_end=period_end,
    )
