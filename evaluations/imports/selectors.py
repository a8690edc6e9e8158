"""Reads of the import pages: the user's own jobs, and the template workbooks."""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organizations import scoping
from party_portal.excel_lists import unit_letterhead

from .. import rules, services
from ..models import ImportJob, ImportKind, MemberRating
from .forms import SLUG_OF_KIND
from .services import IMPORTERS
from .workbook import template_workbook

RECENT_JOBS = 10
TITLES = {
    ImportKind.ORGANIZATIONS: _("Template: party organizations"),
    ImportKind.MEMBERS: _("Template: party members"),
    ImportKind.RATINGS: _("Template: member ratings of %(org)s for %(year)s"),
}
RATINGS_NOTES = (
    _("The members to rate on 31/12 of the year are listed; a row left without a rating is left as it is."),
    _("A not-rated reason that follows from the member's record (exempt, suspended, admitted late) is filled in."),
)


def import_job_list(*, actor):
    """The actor's latest uploads."""
    return ImportJob.objects.filter(created_by=actor).select_related("organization", "year")[:RECENT_JOBS]


def import_job_get(*, actor, job_id):
    """One of the actor's own uploads; 404 for anyone else's (an upload may hold another subtree's data)."""
    job = ImportJob.objects.select_related("organization", "year").filter(pk=job_id, created_by=actor).first()
    if job is None:
        raise Http404
    return job


def template(*, kind):
    """The empty template of an organizations or members file, and its file name."""
    content = template_workbook(IMPORTERS[kind].resource, title=TITLES[kind])
    return content, f"mau-nhap-{SLUG_OF_KIND[kind]}.xlsx"


def ratings_template(*, actor, organization, year):
    """The ratings template of one TCCSĐ and year, listing its members to rate with what is already entered."""
    scoping.require_access(actor, organization.pk, date(year.year, 12, 31))
    member_ids = services.members_to_rate(organization, year.year)
    facts = services.member_facts(member_ids, year.year)
    ratings = {r.member_id: r for r in MemberRating.objects.filter(year=year, member_id__in=member_ids)}
    columns = {c.attribute: c for c in IMPORTERS[ImportKind.RATINGS].resource().get_import_fields()}
    rows = []
    for member in Member.objects.filter(pk__in=member_ids).order_by("name_folded", "pk"):
        rating = ratings.get(member.pk)
        values = {
            "record_number": member.record_number,
            "card_number": member.card_number or "",
            "full_name": member.full_name,
        }
        if rating is not None:
            values.update(
                level=columns["level"].widget.render(rating.level),
                not_rated_reason=columns["not_rated_reason"].widget.render(rating.not_rated_reason),
                score=rating.score,
                long_sick_leave=columns["long_sick_leave"].widget.render(rating.long_sick_leave),
            )
        else:
            derived = rules.derived_reason(facts[member.pk], year.year)
            values["not_rated_reason"] = columns["not_rated_reason"].widget.render(derived)
        rows.append(values)
    title = TITLES[ImportKind.RATINGS] % {"org": organization.name, "year": year.year}
    content = template_workbook(
        IMPORTERS[ImportKind.RATINGS].resource,
        title=title,
        head=unit_letterhead(organization),
        rows=rows,
        notes=RATINGS_NOTES,
    )
    return content, f"xep-loai-{organization.code}-{year.year}.xlsx"
