"""The demo province's reporting cycle (after the tree, the ratings and the dashboard snapshots are loaded): a
reporting unit per district-level committee (the districts to 30/06/2025, the communes and wards from 01/07/2025)
and three units outside the tree, the default due dates, plans for most units, received reviews for 2020–2023 for
most units, and a mix for 2024 and 2025 (on time, late, missing, one returned, some waiting for the Board).

Deterministic for a seed. Rows are bulk-inserted with their history (a few hundred rows); the frozen figures come
from the year's dashboard snapshot of the province (one read per year), not from a computation per unit.
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators.selectors import compliance_snapshot, default_program
from organizations.models import Organization, OrgLevel, Role, RoleKind

from .models import (
    DueDate,
    DutyKind,
    ImplementationPlan,
    ReportingUnit,
    ReportingUnitKind,
    ReviewStatus,
    YearlyReview,
)
from .services import figures_payload

PLAN_DUE = date(2021, 3, 31)
# The units formed at the 2025 reform get their own plan due date: the program's was four years before them.
REFORM_PLAN_DUE = date(2025, 9, 30)
OUTSIDE = (
    ("DD-HDND", "Đảng đoàn Hội đồng nhân dân tỉnh", ReportingUnitKind.PARTY_DELEGATION),
    ("BCS-UBND", "Ban cán sự đảng Ủy ban nhân dân tỉnh", ReportingUnitKind.PARTY_AFFAIRS),
    ("BTV-TD", "Ban Thường vụ Tỉnh đoàn", ReportingUnitKind.YOUTH_UNION),
)
NARRATIVE = {
    "achievements": (
        "Cấp ủy đã quán triệt, triển khai Chương trình hành động đến các tổ chức cơ sở đảng; chất lượng sinh hoạt "
        "chi bộ có chuyển biến; công tác đánh giá, xếp loại được thực hiện đúng quy định."
    ),
    "shortcomings": "Một số chi bộ sinh hoạt chưa đều; công tác tạo nguồn kết nạp đảng viên ở khu dân cư còn chậm.",
    "causes": "Một số cấp ủy chưa quan tâm đúng mức; đảng viên trẻ đi làm ăn xa địa phương.",
    "lessons": "Phát huy vai trò người đứng đầu; kiểm tra, giám sát thường xuyên việc thực hiện Chương trình.",
    "directions": "Tiếp tục nâng cao chất lượng sinh hoạt chi bộ; chú trọng tạo nguồn phát triển đảng viên.",
    "proposals": "Đề nghị Tỉnh ủy mở thêm lớp trung cấp lý luận chính trị cho cấp ủy viên cơ sở.",
}
RETURN_REASON = "Đề nghị bổ sung nguyên nhân của hạn chế và số liệu kết nạp đảng viên."


def _aware(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _units(program, province, board):
    committees = Organization.objects.filter(level=OrgLevel.UPPER_GRASSROOTS).order_by("code")
    units = [
        ReportingUnit(
            program=program,
            code=f"BC-{org.code}",
            name=org.name,
            kind=ReportingUnitKind.COMMITTEE,
            organization=org,
            parent=org,
            valid_from=org.valid_from,
            valid_to=org.valid_to,
        )
        for org in committees
    ]
    units += [
        ReportingUnit(
            program=program,
            code=code,
            name=name,
            kind=kind,
            parent=province,
            valid_from=date(program.first_year, 1, 1),
        )
        for code, name, kind in OUTSIDE
    ]
    return bulk_create_with_history(units, ReportingUnit, default_user=board)


def _snapshot_figures(actor, years, province):
    """(organization id, year) → the frozen figures, from each year's snapshot of the province's children."""
    found = {}
    for year in years:
        result = compliance_snapshot(actor=actor, year=year, scope_id=province.pk)
        if result is None:
            continue
        for child in result.children:
            found[(child.node.id, year)] = figures_payload(result, child)
    return found


def _owes(unit, year):
    end = date(year, 12, 31)
    return unit.valid_from <= end and (unit.valid_to is None or unit.valid_to >= end)


def _review(rng, unit, year, status, sent_on, board, writers, figures):
    writer = writers.get(unit.organization_id, board)
    sent_at = _aware(sent_on, rng.randint(8, 16)) if sent_on else None
    created = _aware(sent_on - timedelta(days=rng.randint(5, 20))) if sent_on else _aware(date(year, 12, 1))
    decided = sent_at + timedelta(days=rng.randint(2, 12)) if status in (ReviewStatus.RECEIVED, "RETURNED") else None
    review = YearlyReview(
        unit=unit,
        year=year,
        status=status,
        created_by=writer,
        created_at=created,
        updated_at=decided or sent_at or created,
        **NARRATIVE,
    )
    if sent_at is not None:
        review.submitted_by, review.submitted_at = writer, sent_at
        review.figures = figures.get((unit.organization_id, year)) if unit.in_tree else None
        review.figures_as_of = sent_at if review.figures is not None else None
    if decided is not None:
        review.decided_by, review.decided_at = board, decided
    if status == ReviewStatus.RETURNED:
        review.return_reason = RETURN_REASON
    return review


def _year_mix(rng, year, last_year):
    """A unit's review of a year: (status, day sent) — received on time or a few days late in the past years; in
    the last two years some are missing, waiting, or (one) returned."""
    due = date(year, 12, 15)
    draw = rng.random()
    if year < last_year - 1:
        if draw < 0.06:
            return None
        sent = due - timedelta(days=rng.randint(0, 20)) if draw < 0.85 else due + timedelta(days=rng.randint(1, 25))
        return ReviewStatus.RECEIVED, sent
    if draw < 0.15:
        return None
    if draw < 0.22:
        return ReviewStatus.DRAFT, None
    sent = due - timedelta(days=rng.randint(0, 15)) if draw < 0.75 else due + timedelta(days=rng.randint(1, 30))
    return (ReviewStatus.RECEIVED if draw < 0.6 else ReviewStatus.SUBMITTED), sent


@transaction.atomic
def seed_reporting(*, seed=1):
    """Write the demo province's reporting units, due dates, plans and reviews; returns the number of reviews."""
    rng = random.Random(f"{seed}:reviews")
    program = default_program()
    province = Organization.objects.filter(level=OrgLevel.PROVINCE).order_by("code").first()
    board_role = Role.objects.filter(kind=RoleKind.BOARD).select_related("user").order_by("pk").first()
    if province is None or board_role is None:
        return 0
    board = board_role.user
    actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first() or board
    writers = {
        role.organization_id: role.user
        for role in Role.objects.filter(kind=RoleKind.DISTRICT_CADRE).select_related("user").order_by("pk")
    }
    units = _units(program, province, board)
    due = [DueDate(program=program, kind=DutyKind.PLAN, due_on=PLAN_DUE)]
    due += [DueDate(program=program, kind=DutyKind.REVIEW, year=y, due_on=date(y, 12, 15)) for y in program.years]
    due += [
        DueDate(program=program, kind=DutyKind.PLAN, unit=unit, due_on=REFORM_PLAN_DUE)
        for unit in units
        if unit.valid_from > PLAN_DUE
    ]
    bulk_create_with_history(due, DueDate, default_user=board)
    plans = []
    for unit in units:
        if rng.random() < 0.12:
            continue  # no plan recorded: the overview's "no plan yet"
        own_due = REFORM_PLAN_DUE if unit.valid_from > PLAN_DUE else PLAN_DUE
        issued = own_due - timedelta(days=rng.randint(-20, 60))
        plans.append(
            ImplementationPlan(
                unit=unit,
                number=f"{rng.randint(1, 40):02d}-KH/{unit.code}",
                issued_on=issued,
                title="Kế hoạch thực hiện Chương trình hành động của Tỉnh ủy giai đoạn 2020–2025",
                recorded_by=board,
                recorded_at=_aware(issued + timedelta(days=rng.randint(1, 10))),
            )
        )
    bulk_create_with_history(plans, ImplementationPlan, default_user=board)
    today = timezone.localdate()
    years = [year for year in program.years if date(year, 12, 1) <= today]
    last_year = years[-1] if years else program.first_year
    figures = _snapshot_figures(actor, years, province)
    reviews = []
    for year in years:
        for unit in units:
            if not _owes(unit, year):
                continue
            mix = _year_mix(rng, year, last_year)
            if mix is not None:
                reviews.append(_review(rng, unit, year, *mix, board, writers, figures))
    # One review of 2024 returned with a reason, for the overview and the review page to show.
    waiting = [r for r in reviews if r.year == 2024 and r.status == ReviewStatus.SUBMITTED]
    if waiting:
        returned = waiting[0]
        returned.status, returned.return_reason = ReviewStatus.RETURNED, RETURN_REASON
        returned.decided_by, returned.decided_at = board, returned.submitted_at + timedelta(days=3)
    bulk_create_with_history(reviews, YearlyReview, default_user=board)
    return len(reviews)
