"""Report fixtures: the hand-rated small province of the indicator tests, and a media folder per test."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from evaluations.models import RatingYear, YearState
from indicators.selectors import default_program
from reviews.models import DueDate, DutyKind, ReportingUnit, ReportingUnitKind, ReviewStatus, YearlyReview
from tests.indicators.conftest import rated_2024

# The hand-counted workbook checks are shared by several test modules: show their failing values too.
pytest.register_assert_rewrite("tests.reports.workbook_checks")

__all__ = ["rated_2024"]

PROPOSAL_D1 = "Đề nghị Tỉnh ủy mở lớp bồi dưỡng nghiệp vụ cho cấp ủy viên cơ sở."
FORMULA = "=1+1"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Workbooks go to a folder of the test's own, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def closed_2024(rated_2024):
    """The hand-rated 2024 and the years before it, closed: their verdicts are final (an open year's are
    provisional), as when a year's report is issued."""
    RatingYear.objects.filter(year__lte=2024).update(state=YearState.CLOSED)
    return rated_2024


def _at(day):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


def _figure(numerator, denominator):
    # The shape of a compliance figure (docs/compliance-json.md): what a review freezes at submission.
    return {"indicator": "T2a", "unit": "PERCENT", "numerator": numerator, "denominator": denominator}


def _unit(program, code, name, kind, parent, organization=None):
    return ReportingUnit.objects.create(
        program=program,
        code=code,
        name=name,
        kind=kind,
        organization=organization,
        parent=parent,
        valid_from=date(2020, 1, 1),
        valid_to=date(2025, 6, 30) if organization is not None else None,
    )


def _review(unit, user, status, submitted_on, *, proposals="", figures=None):
    now = timezone.now()
    decided = status in (ReviewStatus.RECEIVED, ReviewStatus.RETURNED)
    return YearlyReview.objects.create(
        unit=unit,
        year=2024,
        status=status,
        proposals=proposals,
        # What reviews.services.figures_payload freezes: the unit's node under "scope" (the compliance JSON's shape).
        figures={"scope": {"indicators": figures}} if figures is not None else None,
        figures_as_of=_at(submitted_on) if submitted_on else None,
        created_by=user,
        created_at=now,
        updated_at=now,
        submitted_by=user if submitted_on else None,
        submitted_at=_at(submitted_on) if submitted_on else None,
        decided_by=user if decided else None,
        decided_at=now if decided else None,
    )


@pytest.fixture
def reporting_2024(tree, root_user):
    """Four units owe a 2024 review due on 15/01/2025: D1 sent on 10/01 (received), D2 on 20/01 (late, not yet
    received), the party delegation never wrote one, the party affairs committee has a draft only."""
    program = default_program()
    DueDate.objects.create(program=program, kind=DutyKind.REVIEW, year=2024, due_on=date(2025, 1, 15))
    d1 = _unit(program, "RU-D1", "Huyện ủy Đông Sơn", ReportingUnitKind.COMMITTEE, tree["D1"], tree["D1"])
    d2 = _unit(program, "RU-D2", "Huyện ủy Tây Hòa", ReportingUnitKind.COMMITTEE, tree["D2"], tree["D2"])
    delegation = _unit(program, "RU-DD", "Đảng đoàn Hội Nông dân tỉnh", ReportingUnitKind.PARTY_DELEGATION, tree["P"])
    affairs = _unit(
        program, "RU-BCS", "Ban cán sự đảng Ủy ban nhân dân tỉnh", ReportingUnitKind.PARTY_AFFAIRS, tree["P"]
    )
    _review(
        d1,
        root_user,
        ReviewStatus.RECEIVED,
        date(2025, 1, 10),
        proposals=PROPOSAL_D1,
        figures={"T2a": _figure(2, 2)},
    )
    _review(d2, root_user, ReviewStatus.SUBMITTED, date(2025, 1, 20), proposals=FORMULA, figures={"T2a": _figure(0, 1)})
    _review(affairs, root_user, ReviewStatus.DRAFT, None, proposals="Bản nháp chưa gửi.")
    return {"D1": d1, "D2": d2, "delegation": delegation, "affairs": affairs}
