"""Hard rules, soft rules and the workflow, through the service layer."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations import services
from evaluations.models import MemberRating, OrganizationRating, RatingYear, SubmissionState
from members.models import DisciplineKind, StatusKind
from members.services import discipline_add, status_period_add
from tests.factories import make_member


@pytest.fixture
def cell_members(tree):
    return [make_member(tree["C1"], full_name=f"Đảng viên {i}", admission_date=date(2019, 3, 1)) for i in range(6)]


def _year(y):
    return RatingYear.objects.get(year=y)


def _save(actor, tree, year, entries):
    return services.member_ratings_save(actor=actor, organization=tree["G1"], year=_year(year), entries=entries)


def _messages(error):
    return " ".join(str(m) for m in error.value.messages)


def test_level_on_exempt_member_is_refused_and_nothing_is_written(tree, root_user, cell_members):
    exempt = cell_members[0]
    status_period_add(actor=root_user, member=exempt, kind=StatusKind.EXEMPT, start=date(2022, 1, 1))

    with pytest.raises(ValidationError) as error:
        _save(
            root_user,
            tree,
            2023,
            [
                {"member_id": cell_members[1].pk, "level": "GOOD"},
                {"member_id": exempt.pk, "level": "GOOD"},
            ],
        )

    assert "Đảng viên 0" in _messages(error)
    assert "nên không xếp loại" in _messages(error)
    assert MemberRating.objects.count() == 0


def test_level_on_member_admitted_in_september_is_refused(tree, root_user):
    new = make_member(tree["C1"], full_name="Mới Vào", admission_date=date(2023, 9, 15))

    with pytest.raises(ValidationError) as error:
        _save(root_user, tree, 2023, [{"member_id": new.pk, "level": "COMPLETED"}])

    assert "Mới Vào" in _messages(error)


def test_disciplined_member_above_not_completed_refused_under_124_but_not_132(tree, root_user, cell_members):
    member = cell_members[0]
    discipline_add(actor=root_user, member=member, kind=DisciplineKind.REPRIMAND, decided_on=date(2023, 5, 1))
    discipline_add(actor=root_user, member=member, kind=DisciplineKind.WARNING, decided_on=date(2022, 5, 1))

    with pytest.raises(ValidationError) as error:
        _save(root_user, tree, 2023, [{"member_id": member.pk, "level": "COMPLETED"}])
    _save(root_user, tree, 2022, [{"member_id": member.pk, "level": "COMPLETED"}])

    assert "bị kỷ luật trong năm 2023" in _messages(error)
    assert MemberRating.objects.get(member=member, year__year=2022).level == "COMPLETED"


def test_long_sick_leave_bars_good_under_132(tree, root_user, cell_members):
    with pytest.raises(ValidationError) as error:
        _save(root_user, tree, 2021, [{"member_id": cell_members[0].pk, "level": "GOOD", "long_sick_leave": True}])

    assert "nghỉ ốm" in _messages(error)


def test_score_must_match_the_level_band_in_2025_and_is_refused_before(tree, root_user, cell_members):
    with pytest.raises(ValidationError) as band:
        _save(root_user, tree, 2025, [{"member_id": cell_members[0].pk, "level": "GOOD", "score": Decimal("90")}])
    with pytest.raises(ValidationError) as before:
        _save(root_user, tree, 2024, [{"member_id": cell_members[0].pk, "level": "GOOD", "score": Decimal("80")}])
    _save(root_user, tree, 2025, [{"member_id": cell_members[0].pk, "level": "GOOD", "score": Decimal("89.5")}])

    assert "không khớp" in _messages(band)
    assert "chỉ được ghi từ năm 2025" in _messages(before)


def test_excellent_quota_warns_but_saves(tree, root_user, cell_members):
    # 2 excellent against 4 good: 2 * 100 > 20 * 4, so over the 20 % quota.
    entries = [{"member_id": m.pk, "level": "EXCELLENT" if i < 2 else "GOOD"} for i, m in enumerate(cell_members)]

    submission = _save(root_user, tree, 2023, entries)

    assert MemberRating.objects.filter(year__year=2023).count() == 6
    assert len(submission.warnings) == 1


def test_derived_reasons_are_proposed(tree, root_user):
    from evaluations.rules import MemberFacts, derived_reason

    facts = MemberFacts("X", date(2024, 7, 1), exempt=False, suspended=False, disciplined=False)

    assert derived_reason(facts, 2024) == "NEW_MEMBER"
    assert derived_reason(facts, 2025) == ""


def test_workflow_approved_ratings_are_locked_until_reopened(
    tree, root_user, board_user, grassroots_cadre, cell_members
):
    entries = [{"member_id": m.pk, "level": "GOOD"} for m in cell_members]
    submission = _save(grassroots_cadre, tree, 2024, entries)

    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=grassroots_cadre, submission=submission)
    services.submission_submit(actor=grassroots_cadre, submission=submission)
    services.submission_approve(actor=board_user, submission=submission)
    with pytest.raises(ValidationError) as locked:
        _save(grassroots_cadre, tree, 2024, [{"member_id": cell_members[0].pk, "level": "COMPLETED"}])
    with pytest.raises(ValidationError):
        services.submission_reopen(actor=board_user, submission=submission, reason=" ")
    services.submission_reopen(actor=board_user, submission=submission, reason="Sai sót của chi bộ 1")
    _save(grassroots_cadre, tree, 2024, [{"member_id": cell_members[0].pk, "level": "COMPLETED"}])

    submission.refresh_from_db()
    assert "đã khóa" in _messages(locked).replace("\n", " ")
    assert submission.state == SubmissionState.DRAFT
    assert submission.changed_after_approval is True
    assert submission.reopenings.get().by == board_user
    assert MemberRating.objects.get(member=cell_members[0], year__year=2024).level == "COMPLETED"


def test_submit_refuses_incomplete_grid_and_return_needs_comment(tree, root_user, board_user, cell_members):
    submission = _save(root_user, tree, 2024, [{"member_id": cell_members[0].pk, "level": "GOOD"}])

    with pytest.raises(ValidationError) as incomplete:
        services.submission_submit(actor=root_user, submission=submission)
    _save(root_user, tree, 2024, [{"member_id": m.pk, "level": "GOOD"} for m in cell_members])
    services.submission_submit(actor=root_user, submission=submission)
    with pytest.raises(ValidationError):
        services.submission_return(actor=board_user, submission=submission, comment="")
    services.submission_return(actor=board_user, submission=submission, comment="Xem lại người số 3")

    submission.refresh_from_db()
    assert "5 đảng viên chưa có" in _messages(incomplete)
    assert submission.state == SubmissionState.RETURNED


def test_closed_year_refuses_every_change(tree, root_user, cell_members):
    services.year_close(actor=root_user, year=_year(2022))

    with pytest.raises(ValidationError) as error:
        _save(root_user, tree, 2022, [{"member_id": cell_members[0].pk, "level": "GOOD"}])

    assert "đã đóng" in _messages(error)


def test_other_district_cadre_cannot_rate_or_approve(tree, other_district_cadre, cell_members):
    with pytest.raises(PermissionDenied):
        _save(other_district_cadre, tree, 2024, [{"member_id": cell_members[0].pk, "level": "GOOD"}])


def test_admin_cannot_change_a_rating(client, tree, root_user, cell_members):
    _save(root_user, tree, 2024, [{"member_id": cell_members[0].pk, "level": "GOOD"}])
    rating = MemberRating.objects.get()
    client.force_login(root_user)

    response = client.post(f"/admin/evaluations/memberrating/{rating.pk}/change/", {"level": "EXCELLENT"})

    rating.refresh_from_db()
    assert response.status_code == 403
    assert rating.level == "GOOD"


def test_member_listed_twice_is_refused_with_a_message(tree, root_user, cell_members):
    entry = {"member_id": cell_members[0].pk, "level": "GOOD"}

    with pytest.raises(ValidationError) as error:
        _save(root_user, tree, 2024, [entry, entry])

    assert error.value.code == "duplicate_member"
    assert MemberRating.objects.count() == 0


def test_level_above_rates_the_tccsd_while_reviewing_and_approval_locks_it(tree, root_user, board_user, cell_members):
    submission = _save(root_user, tree, 2024, [{"member_id": m.pk, "level": "GOOD"} for m in cell_members])
    services.submission_submit(actor=root_user, submission=submission)

    services.organization_rating_save(actor=board_user, organization=tree["G1"], year=_year(2024), level="GOOD")
    services.submission_approve(actor=board_user, submission=submission)
    with pytest.raises(ValidationError) as locked:
        services.organization_rating_save(
            actor=board_user, organization=tree["G1"], year=_year(2024), level="EXCELLENT"
        )

    assert locked.value.code == "locked"
    assert OrganizationRating.objects.get(organization=tree["G1"], year__year=2024).level == "GOOD"
