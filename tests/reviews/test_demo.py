"""The demo province's reporting cycle: every district-level committee and the three units outside the tree
report; the default due dates are set; the reviews' times and frozen figures are as the services would write them."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from organizations.models import Organization, OrgLevel
from reviews.models import DueDate, DutyKind, ReportingUnit, ReportingUnitKind, ReviewStatus, YearlyReview


def test_demo_reporting_units_due_dates_and_reviews(db):
    call_command("seed_demo", "--size", "tiny", "--seed", "1", stdout=StringIO())

    committees = set(Organization.objects.filter(level=OrgLevel.UPPER_GRASSROOTS).values_list("pk", flat=True))
    units = list(ReportingUnit.objects.all())
    outside = {u.name for u in units if u.kind != ReportingUnitKind.COMMITTEE}
    defaults = dict(DueDate.objects.filter(unit__isnull=True).values_list("year", "due_on"))
    reviews = list(YearlyReview.objects.select_related("unit"))
    sent = [r for r in reviews if r.status != ReviewStatus.DRAFT]

    assert {u.organization_id for u in units if u.kind == ReportingUnitKind.COMMITTEE} == committees
    assert outside == {
        "Đảng đoàn Hội đồng nhân dân tỉnh",
        "Ban cán sự đảng Ủy ban nhân dân tỉnh",
        "Ban Thường vụ Tỉnh đoàn",
    }
    assert defaults[None] == date(2021, 3, 31)
    assert defaults[2024] == date(2024, 12, 15)
    assert [r.pk for r in sent if r.submitted_at is None] == []
    assert [r.pk for r in sent if r.unit.in_tree and r.figures is None] == []
    assert [r.pk for r in reviews if not r.unit.in_tree and r.figures is not None] == []
    assert {r.status for r in reviews if r.year == 2024} >= {ReviewStatus.RECEIVED, ReviewStatus.RETURNED}
    assert DutyKind.PLAN in set(DueDate.objects.values_list("kind", flat=True))
