"""Which audited records have a readable trail, under which slug of /lich-su/, who may read it and which records
it gathers. A record's trail is read with the record's own scoping: the member's, the organization's (on its
last day when it has ended), the rating's TCCSĐ on 31/12 of its year, the uploader for an import.

The project package is the one place that may import every app, so the table lives here."""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.http import Http404

from evaluations.models import RatingYear
from members import selectors as member_selectors
from organizations import policy, scoping
from organizations.models import Organization, Placement


@dataclass(frozen=True)
class Kind:
    slug: str
    model_label: str
    # may_read(actor, row) for the newest history row of the record (it survives the record's deletion)
    may_read: object
    # gathers(row) → [(model, history filter)]: the record and the records shown with it
    gathers: object = None

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def parts(self, row):
        if self.gathers is None:
            return [(self.model, {"id": row.id})]
        return self.gathers(row)


def _member_readable(actor, member_id):
    try:
        member_selectors.member_get(actor=actor, member_id=member_id, on=scoping.today())
    except Http404:
        return False
    return True


def _organization_readable(actor, organization_id):
    """Readable on the organization's last day when it has ended (a former district's cadre reads its past)."""
    if organization_id is None:
        return False
    day = scoping.today()
    ended = Organization.objects.filter(pk=organization_id).values_list("valid_to", flat=True).first()
    return scoping.can_access(actor, organization_id, min(day, ended) if ended else day)


def _reorganization_readable(actor, row):
    """A reorganization: any unit it names (a merge names its units in the successor links)."""
    links = apps.get_model("organizations.SuccessorLink").history.model.objects.filter(reorganization_id=row.id)
    named = {row.organization_id, row.new_parent_id}
    for predecessor, successor in links.values_list("predecessor_id", "successor_id"):
        named |= {predecessor, successor}
    return any(_organization_readable(actor, organization_id) for organization_id in named if organization_id)


def _year_value(year_id):
    return RatingYear.objects.filter(pk=year_id).values_list("year", flat=True).first()


def _rated_readable(actor, row):
    """A rating or a submission: its TCCSĐ on 31/12 of its year, as the grid and the review page read it."""
    year = _year_value(row.year_id)
    return year is not None and scoping.can_access(actor, row.organization_id, date(year, 12, 31))


def _any_reader(actor, row):
    return policy.can(actor, policy.VIEW)


def _report_readable(actor, row):
    return scoping.can_access(actor, row.scope_id, date(row.year, 12, 31))


def _member_records(row):
    """The member with every dated record of theirs and their ratings."""
    labels = (
        "members.MovementEvent",
        "members.StatusPeriod",
        "members.TheoryQualification",
        "members.Discipline",
        "members.CommitteeSeat",
        "members.GovernmentPost",
        "members.MeetingAttendance",
        "evaluations.MemberRating",
    )
    return [(apps.get_model("members.Member"), {"id": row.id})] + [
        (apps.get_model(label), {"member_id": row.id}) for label in labels
    ]


def _organization_records(row):
    """The organization with its positions in the tree, its own targets and its links to predecessors and
    successors."""
    return [
        (apps.get_model("organizations.Organization"), {"id": row.id}),
        (apps.get_model("organizations.Placement"), {"organization_id": row.id}),
        (apps.get_model("indicators.TargetOverride"), {"organization_id": row.id}),
        (apps.get_model("organizations.SuccessorLink"), {"predecessor_id": row.id}),
        (apps.get_model("organizations.SuccessorLink"), {"successor_id": row.id}),
    ]


def _reorganization_records(row):
    """The reorganization with its successor links."""
    return [
        (apps.get_model("organizations.Reorganization"), {"id": row.id}),
        (apps.get_model("organizations.SuccessorLink"), {"reorganization_id": row.id}),
    ]


def _submission_records(row):
    """The submission with the year's ratings of its TCCSĐ: its members', its cells' and its own."""
    same = {"year_id": row.year_id}
    organization_ids = Placement.objects.filter(path__contains=f"/{row.organization_id}/").values("organization_id")
    return [
        (apps.get_model("evaluations.Submission"), {"id": row.id}),
        (apps.get_model("evaluations.MemberRating"), {"organization_id": row.organization_id, **same}),
        (apps.get_model("evaluations.OrganizationRating"), {"organization_id__in": organization_ids, **same}),
    ]


def _target_records(row):
    return [
        (apps.get_model("indicators.Target"), {"id": row.id}),
        (apps.get_model("indicators.TargetOverride"), {"target_id": row.id}),
    ]


def _review_readable(actor, row):
    """A yearly review: through the organization its unit reports through (on that unit's last day if ended)."""
    unit = apps.get_model("reviews.ReportingUnit").objects.filter(pk=row.unit_id).first()
    return unit is not None and _organization_readable(actor, unit.parent_id)


def _review_records(row):
    """The review with its attachments."""
    return [
        (apps.get_model("reviews.YearlyReview"), {"id": row.id}),
        (apps.get_model("reviews.ReviewAttachment"), {"review_id": row.id}),
    ]


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("dang-vien", "members.Member", lambda a, r: _member_readable(a, r.id), _member_records),
        Kind("bien-dong", "members.MovementEvent", lambda a, r: _member_readable(a, r.member_id)),
        Kind("trang-thai", "members.StatusPeriod", lambda a, r: _member_readable(a, r.member_id)),
        Kind("ly-luan-chinh-tri", "members.TheoryQualification", lambda a, r: _member_readable(a, r.member_id)),
        Kind("ky-luat", "members.Discipline", lambda a, r: _member_readable(a, r.member_id)),
        Kind("cap-uy", "members.CommitteeSeat", lambda a, r: _member_readable(a, r.member_id)),
        Kind("chuc-vu", "members.GovernmentPost", lambda a, r: _member_readable(a, r.member_id)),
        Kind("du-hop-chi-bo", "members.MeetingAttendance", lambda a, r: _member_readable(a, r.member_id)),
        # The coded lists are the province's: every reader reads them and their changes.
        Kind("ma", "members.Code", _any_reader),
        Kind(
            "to-chuc", "organizations.Organization", lambda a, r: _organization_readable(a, r.id), _organization_records
        ),
        Kind("vi-tri", "organizations.Placement", lambda a, r: _organization_readable(a, r.organization_id)),
        Kind("sap-xep-to-chuc", "organizations.Reorganization", _reorganization_readable, _reorganization_records),
        Kind(
            "lien-ket-ke-tuc",
            "organizations.SuccessorLink",
            lambda a, r: _organization_readable(a, r.predecessor_id) or _organization_readable(a, r.successor_id),
        ),
        Kind(
            "vai-tro",
            "organizations.Role",
            lambda a, r: (
                r.user_id == a.pk
                or (policy.can(a, policy.MANAGE_USERS) and _organization_readable(a, r.organization_id))
            ),
        ),
        Kind("xep-loai-dang-vien", "evaluations.MemberRating", _rated_readable),
        Kind("xep-loai-to-chuc", "evaluations.OrganizationRating", _rated_readable),
        Kind("ho-so-xep-loai", "evaluations.Submission", _rated_readable, _submission_records),
        Kind("nam-xep-loai", "evaluations.RatingYear", _any_reader),
        Kind("chi-tieu", "indicators.Target", _any_reader, _target_records),
        Kind("chi-so", "indicators.IndicatorDefinition", _any_reader),
        Kind("chi-tieu-rieng", "indicators.TargetOverride", lambda a, r: _organization_readable(a, r.organization_id)),
        Kind("nhap-du-lieu", "evaluations.ImportJob", lambda a, r: r.created_by_id == a.pk or a.is_superuser),
        Kind("bao-cao", "reports.ReportRun", _report_readable),
        Kind("so-ket", "reviews.YearlyReview", _review_readable, _review_records),
    )
}
SLUG_OF_MODEL = {kind.model_label: slug for slug, kind in KINDS.items()}


def newest_row(kind, object_id):
    """The record's newest audit row (the record may have been deleted since), or None."""
    return kind.model.history.model.objects.filter(id=object_id).order_by("-history_date", "-history_id").first()
