"""The rating grid, the approval queue and the rating years, through the web door."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import services
from evaluations.models import (
    MemberRating,
    OrganizationRating,
    RatingYear,
    Submission,
    SubmissionState,
    YearState,
)
from members.models import DisciplineKind, StatusKind
from members.services import discipline_add, status_period_add
from organizations import scoping
from organizations.models import OrgKind
from tests.factories import make_member, make_org

ADMITTED = date(2019, 3, 1)


@pytest.fixture
def cell_members(tree):
    """Four members of G1: three in cell C1, one in cell C2."""
    c1 = [make_member(tree["C1"], full_name=f"Đảng viên {i}", admission_date=ADMITTED) for i in range(3)]
    return [*c1, make_member(tree["C2"], full_name="Đảng viên 3", admission_date=ADMITTED)]


def _grid_url(org, year):
    return reverse("evaluations:grid", args=[org.pk, year])


def _review_url(org, year):
    return reverse("evaluations:review", args=[org.pk, year])


def _grid_post(members, values, action="save", **extra):
    data = {"action": action}
    for member, value in zip(members, values, strict=True):
        data[f"m-{member.pk}-rating"] = value
    data.update(extra)
    return data


def _submitted(tree, actor, members, year=2024):
    submission = services.member_ratings_save(
        actor=actor,
        organization=tree["G1"],
        year=RatingYear.objects.get(year=year),
        entries=[{"member_id": m.pk, "level": "GOOD"} for m in members],
    )
    return services.submission_submit(actor=actor, submission=submission)


def test_member_ratings_save_error_carries_messages_per_member(tree, root_user, cell_members):
    exempt, fine = cell_members[0], cell_members[1]
    status_period_add(actor=root_user, member=exempt, kind=StatusKind.EXEMPT, start=date(2022, 1, 1))

    with pytest.raises(ValidationError) as error:
        services.member_ratings_save(
            actor=root_user,
            organization=tree["G1"],
            year=RatingYear.objects.get(year=2024),
            entries=[{"member_id": exempt.pk, "level": "GOOD"}, {"member_id": fine.pk, "level": "GOOD"}],
        )

    assert list(error.value.row_errors) == [exempt.pk]
    assert error.value.row_errors[exempt.pk] == error.value.messages
    assert "Đảng viên 0" in error.value.messages[0]


def test_grid_lists_members_and_cells_and_proposes_derived_reasons(client, tree, grassroots_cadre, cell_members):
    status_period_add(actor=grassroots_cadre, member=cell_members[0], kind=StatusKind.EXEMPT, start=date(2023, 1, 1))
    newcomer = make_member(tree["C2"], full_name="Mới Kết Nạp", admission_date=date(2024, 9, 2))
    client.force_login(grassroots_cadre)

    response = client.get(_grid_url(tree["G1"], 2024))

    html = response.content.decode()
    assert response.status_code == 200
    assert [item["row"].member.full_name for item in response.context["members"]] == [
        "Đảng viên 0",
        "Đảng viên 1",
        "Đảng viên 2",
        "Đảng viên 3",
        "Mới Kết Nạp",
    ]
    values = {item["row"].member.pk: item["value"] for item in response.context["members"]}
    assert values[cell_members[0].pk] == "EXEMPT"
    assert values[newcomer.pk] == "NEW_MEMBER"
    assert values[cell_members[1].pk] == ""
    assert "Được đề xuất:" in html
    assert "Kết nạp ngày 02/09/2024" in html
    assert [u["unit"].placement.organization.code for u in response.context["units"]] == ["C1", "C2"]
    assert "Lưu nháp" in html
    assert "Gửi duyệt" in html


def test_grid_level_on_an_exempt_member_is_shown_on_its_row_and_nothing_is_saved(
    client, tree, grassroots_cadre, cell_members
):
    status_period_add(actor=grassroots_cadre, member=cell_members[0], kind=StatusKind.EXEMPT, start=date(2023, 1, 1))
    client.force_login(grassroots_cadre)
    data = _grid_post(cell_members, ["GOOD", "GOOD", "EXCELLENT", "COMPLETED"], **{f"c-{tree['C1'].pk}-rating": "GOOD"})

    response = client.post(_grid_url(tree["G1"], 2024), data)

    assert response.status_code == 200
    rows = {item["row"].member.pk: item for item in response.context["members"]}
    assert "nên không xếp loại" in " ".join(rows[cell_members[0].pk]["errors"])
    assert not rows[cell_members[0].pk]["errors"][0].startswith("Đảng viên 0")  # the row shows the name already
    assert rows[cell_members[1].pk]["errors"] == []
    assert rows[cell_members[2].pk]["value"] == "EXCELLENT"  # what was typed is kept
    assert "Chưa lưu gì" in response.content.decode()
    assert MemberRating.objects.count() == 0
    assert OrganizationRating.objects.count() == 0


def test_grid_save_draft_saves_members_and_cells_and_skips_untouched_rows(client, tree, grassroots_cadre, cell_members):
    client.force_login(grassroots_cadre)
    data = _grid_post(cell_members, ["GOOD", "EXCELLENT", "", "COMPLETED"], **{f"c-{tree['C1'].pk}-rating": "GOOD"})

    response = client.post(_grid_url(tree["G1"], 2024), data)

    assert response.status_code == 302
    assert dict(MemberRating.objects.values_list("member__full_name", "level")) == {
        "Đảng viên 0": "GOOD",
        "Đảng viên 1": "EXCELLENT",
        "Đảng viên 3": "COMPLETED",
    }
    assert OrganizationRating.objects.get().level == "GOOD"
    assert Submission.objects.get().state == SubmissionState.DRAFT
    page = client.get(response["Location"])
    assert "Đã lưu nháp" in page.content.decode()
    assert "1 đảng viên chưa có xếp loại đã lưu" in page.content.decode()
    assert [n for _label, n in page.context["tally"]] == [1, 1, 1, 0, 0]


def test_grid_clearing_a_saved_rating_is_refused_with_the_service_message(client, tree, grassroots_cadre, cell_members):
    client.force_login(grassroots_cadre)
    client.post(_grid_url(tree["G1"], 2024), _grid_post(cell_members, ["GOOD"] * 4))

    response = client.post(_grid_url(tree["G1"], 2024), _grid_post(cell_members, ["", "GOOD", "GOOD", "GOOD"]))

    rows = {item["row"].member.pk: item for item in response.context["members"]}
    assert rows[cell_members[0].pk]["errors"]
    assert MemberRating.objects.get(member=cell_members[0]).level == "GOOD"


def test_grid_submit_sends_a_complete_grid(client, tree, grassroots_cadre, cell_members):
    client.force_login(grassroots_cadre)

    response = client.post(_grid_url(tree["G1"], 2024), _grid_post(cell_members, ["GOOD"] * 4, action="submit"))

    submission = Submission.objects.get()
    assert response.status_code == 302
    assert submission.state == SubmissionState.SUBMITTED
    assert submission.submitted_by == grassroots_cadre
    page = client.get(response["Location"]).content.decode()
    assert "Đã gửi" in page
    assert 'name="action" value="submit"' not in page  # locked while waiting


def test_grid_submit_of_an_incomplete_grid_keeps_the_draft_and_says_why(client, tree, grassroots_cadre, cell_members):
    client.force_login(grassroots_cadre)

    response = client.post(
        _grid_url(tree["G1"], 2024), _grid_post(cell_members, ["GOOD", "GOOD", "", ""], action="submit"), follow=True
    )

    assert Submission.objects.get().state == SubmissionState.DRAFT
    assert MemberRating.objects.count() == 2
    assert "2 đảng viên chưa có" in response.content.decode()


def test_grid_score_takes_a_decimal_comma_in_2025_and_shows_band_errors(client, tree, grassroots_cadre, cell_members):
    client.force_login(grassroots_cadre)
    url = _grid_url(tree["G1"], 2025)
    ok = _grid_post(cell_members, ["GOOD"] * 4, **{f"m-{cell_members[0].pk}-score": "89,5"})
    bad = _grid_post(cell_members, ["GOOD"] * 4, **{f"m-{cell_members[1].pk}-score": "95"})
    not_a_number = _grid_post(cell_members, ["GOOD"] * 4, **{f"m-{cell_members[2].pk}-score": "abc"})

    saved = client.post(url, ok)
    refused = client.post(url, bad)
    invalid = client.post(url, not_a_number)

    assert saved.status_code == 302
    assert MemberRating.objects.get(member=cell_members[0]).score == Decimal("89.5")
    assert "không khớp" in " ".join(refused.context["members"][1]["errors"])
    assert invalid.context["members"][2]["errors"]
    assert "89,5" in client.get(url).content.decode()


def test_grid_sick_leave_tick_in_132_years(client, tree, grassroots_cadre, cell_members):
    client.force_login(grassroots_cadre)
    data = _grid_post(cell_members, ["GOOD"] * 4, **{f"m-{cell_members[0].pk}-sick": "on"})

    response = client.post(_grid_url(tree["G1"], 2021), data)

    assert "nghỉ ốm" in " ".join(response.context["members"][0]["errors"])
    assert "Nghỉ ốm từ 3 tháng" in client.get(_grid_url(tree["G1"], 2021)).content.decode()
    assert "Nghỉ ốm từ 3 tháng" not in client.get(_grid_url(tree["G1"], 2024)).content.decode()


def test_grid_disciplined_member_is_flagged_and_refused_above_not_completed(
    client, tree, grassroots_cadre, cell_members
):
    discipline_add(
        actor=grassroots_cadre, member=cell_members[0], kind=DisciplineKind.REPRIMAND, decided_on=date(2024, 4, 1)
    )
    client.force_login(grassroots_cadre)

    page = client.get(_grid_url(tree["G1"], 2024)).content.decode()
    response = client.post(_grid_url(tree["G1"], 2024), _grid_post(cell_members, ["GOOD"] * 4))

    assert "bị kỷ luật năm 2024" in page
    assert "bị kỷ luật trong năm 2024" in " ".join(response.context["members"][0]["errors"])


def test_grid_after_approval_is_read_only_and_names_the_approver(
    client, tree, grassroots_cadre, board_user, cell_members
):
    submission = _submitted(tree, grassroots_cadre, cell_members)
    services.submission_approve(actor=board_user, submission=submission)
    client.force_login(grassroots_cadre)

    response = client.get(_grid_url(tree["G1"], 2024))

    html = response.content.decode()
    assert response.context["editable"] is False
    assert "<select" not in html.split("rating-grid")[1]
    assert "Đã duyệt" in html
    assert "board" in html


def test_grid_and_queue_show_a_submission_approved_without_a_recorded_approver(
    client, tree, root_user, district_cadre, grassroots_cadre
):
    # Loaded data (the demo, imports) may carry the state without who and when.
    Submission.objects.create(organization=tree["G1"], year=RatingYear.objects.get(year=2024), state="APPROVED")
    client.force_login(grassroots_cadre)
    grid = client.get(_grid_url(tree["G1"], 2024))
    client.force_login(district_cadre)
    queue = client.get(reverse("evaluations:queue") + "?nam=2024&trang_thai=")
    review = client.get(_review_url(tree["G1"], 2024))

    assert "đã được duyệt và khóa" in grid.content.decode()
    assert queue.status_code == 200
    assert review.status_code == 200


def test_grid_of_another_district_is_404_and_a_read_only_role_gets_403_on_post(
    client, tree, other_district_cadre, steering_user, cell_members
):
    client.force_login(other_district_cadre)
    hidden = client.get(_grid_url(tree["G1"], 2024))
    client.force_login(steering_user)
    readable = client.get(_grid_url(tree["G1"], 2024))
    refused = client.post(_grid_url(tree["G1"], 2024), _grid_post(cell_members, ["GOOD"] * 4))

    assert hidden.status_code == 404
    assert readable.status_code == 200
    assert readable.context["editable"] is False
    assert refused.status_code == 403
    assert MemberRating.objects.count() == 0


def test_grid_of_a_cell_is_404(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)

    assert client.get(_grid_url(tree["C1"], 2024)).status_code == 404
    assert client.get(reverse("evaluations:grid", args=[tree["G1"].pk, 1999])).status_code == 404


def _grid_queries(client, tree, count, total):
    for i in range(count):
        make_member(tree["C1" if i % 2 else "C2"], full_name=f"Người {i:03d}", admission_date=ADMITTED)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_grid_url(tree["G1"], 2024))
    assert response.status_code == 200
    assert len(response.context["members"]) == total
    return len(queries)


def test_grid_runs_the_same_number_of_queries_for_5_and_40_members(client, tree, grassroots_cadre, root_user):
    client.force_login(grassroots_cadre)
    small = _grid_queries(client, tree, 5, total=5)
    big = _grid_queries(client, tree, 35, total=40)

    assert small == big
    assert big <= 30


def test_grid_list_shows_the_users_organizations_with_their_state(client, tree, grassroots_cadre, cell_members):
    _submitted(tree, grassroots_cadre, cell_members)
    client.force_login(grassroots_cadre)

    response = client.get(reverse("evaluations:grids") + "?nam=2024")

    html = response.content.decode()
    assert [row["placement"].organization.code for row in response.context["rows"]] == ["G1"]
    assert "Đã gửi" in html


def test_grid_latest_opens_the_latest_open_year(client, tree, grassroots_cadre):
    RatingYear.objects.filter(year=2025).update(state=YearState.CLOSED)
    client.force_login(grassroots_cadre)

    response = client.get(reverse("evaluations:grid_latest", args=[tree["G1"].pk]))

    assert response["Location"] == _grid_url(tree["G1"], 2024)


# --- approval queue ----------------------------------------------------------------------------------------------


def test_queue_lists_submitted_tccsd_directly_under_the_users_nodes(
    client, tree, root_user, grassroots_cadre, board_user, district_cadre, cell_members
):
    _submitted(tree, grassroots_cadre, cell_members)
    make_member(tree["G2"], full_name="Ở Tây Hòa", admission_date=ADMITTED)
    client.force_login(board_user)

    submitted = client.get(reverse("evaluations:queue") + "?nam=2024")
    everything = client.get(reverse("evaluations:queue") + "?nam=2024&trang_thai=")
    client.force_login(district_cadre)
    ended = client.get(reverse("evaluations:queue") + "?nam=2024&trang_thai=")

    assert [r["placement"].organization.code for r in submitted.context["rows"]] == ["G1"]
    assert [r["placement"].organization.code for r in everything.context["rows"]] == ["G1", "G2"]
    tabs = {tab["value"]: tab["count"] for tab in submitted.context["tabs"]}
    assert tabs["SUBMITTED"] == 1
    assert tabs["NONE"] == 1  # G2: nothing entered yet
    # D1's role ended with D1 on 30/06/2025: nothing of 2024 is left for it to decide.
    assert ended.context["rows"] == []


def test_queue_for_a_grassroots_cadre_is_empty(client, tree, grassroots_cadre, cell_members):
    _submitted(tree, grassroots_cadre, cell_members)
    client.force_login(grassroots_cadre)

    response = client.get(reverse("evaluations:queue") + "?nam=2024")

    assert response.context["rows"] == []


def _g2_draft(tree, actor):
    """G2's 2024 ratings of one member, saved and not submitted."""
    g2_member = make_member(tree["G2"], admission_date=ADMITTED)
    return services.member_ratings_save(
        actor=actor,
        organization=tree["G2"],
        year=RatingYear.objects.get(year=2024),
        entries=[{"member_id": g2_member.pk, "level": "GOOD"}],
    )


def _approve_in_queue(client, *submissions):
    return client.post(
        reverse("evaluations:queue") + "?nam=2024&trang_thai=SUBMITTED",
        {"ho_so": [submission.pk for submission in submissions]},
        follow=True,
    )


def test_queue_approves_many_at_once_and_reports_refusals(
    client, tree, root_user, grassroots_cadre, board_user, cell_members
):
    submission = _submitted(tree, grassroots_cadre, cell_members)
    other = _g2_draft(tree, root_user)
    client.force_login(board_user)

    response = _approve_in_queue(client, submission, other)

    submission.refresh_from_db()
    other.refresh_from_db()
    html = response.content.decode()
    assert submission.state == SubmissionState.APPROVED
    assert submission.decided_by == board_user
    assert other.state == SubmissionState.DRAFT  # not submitted: refused with its state
    assert "Đã duyệt 1 tổ chức" in html


def test_queue_counts_a_foreign_submission_without_naming_it(
    client, tree, root_user, grassroots_cadre, district_cadre, cell_members, monkeypatch
):
    # In March 2025 D1 still stood and its cadre's role was in force: D1 approves G1's 2024 ratings.
    monkeypatch.setattr(scoping, "today", lambda: date(2025, 3, 1))
    submission = _submitted(tree, grassroots_cadre, cell_members)
    foreign = services.submission_submit(actor=root_user, submission=_g2_draft(tree, root_user))
    client.force_login(district_cadre)

    response = _approve_in_queue(client, submission, foreign)

    submission.refresh_from_db()
    foreign.refresh_from_db()
    html = response.content.decode()
    assert submission.state == SubmissionState.APPROVED
    assert foreign.state == SubmissionState.SUBMITTED
    assert "Đã duyệt 1 tổ chức" in html
    # G2 is outside D1's part of the tree: counted, never named.
    assert "1 hồ sơ đã chọn không có trong phần cây tổ chức bạn phụ trách." in html
    assert "Chi bộ Sở Tư pháp" not in html


def _queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("evaluations:queue") + "?nam=2024&trang_thai=")
    assert response.status_code == 200
    return len(queries), len(response.context["rows"])


def test_queue_runs_a_constant_number_of_queries(client, tree, root_user, board_user):
    client.force_login(board_user)
    small, rows_small = _queue_queries(client)
    for i in range(6):
        org = make_org(f"G1{i}", OrgKind.GRASSROOTS_CELL, parent=tree["D1"])
        member = make_member(org, admission_date=ADMITTED)
        saved = services.member_ratings_save(
            actor=root_user,
            organization=org,
            year=RatingYear.objects.get(year=2024),
            entries=[{"member_id": member.pk, "level": "GOOD"}],
        )
        if i % 2:
            services.submission_submit(actor=root_user, submission=saved)
    big, rows_big = _queue_queries(client)

    assert (rows_small, rows_big) == (2, 8)  # G1 and G2, then six more TCCSĐ under D1
    assert small == big


# --- review: approve, return, reopen, rate the TCCSĐ --------------------------------------------------------------


def test_review_approves(client, tree, grassroots_cadre, board_user, cell_members):
    _submitted(tree, grassroots_cadre, cell_members)
    client.force_login(board_user)

    page = client.get(_review_url(tree["G1"], 2024))
    response = client.post(_review_url(tree["G1"], 2024), {"action": "approve"}, follow=True)

    assert page.context["can_decide"] is True
    assert "Đảng viên 3" in page.content.decode()
    assert Submission.objects.get().state == SubmissionState.APPROVED
    assert "Đã duyệt kết quả xếp loại" in response.content.decode()


def test_review_return_needs_a_comment_shown_on_the_field(client, tree, grassroots_cadre, board_user, cell_members):
    _submitted(tree, grassroots_cadre, cell_members)
    client.force_login(board_user)

    refused = client.post(_review_url(tree["G1"], 2024), {"action": "return", "decision-comment": " "})
    returned = client.post(
        _review_url(tree["G1"], 2024), {"action": "return", "decision-comment": "Xem lại đảng viên 2"}
    )

    assert refused.status_code == 200
    assert refused.context["decision_form"].errors["comment"]
    assert returned.status_code == 302
    assert Submission.objects.get().state == SubmissionState.RETURNED
    client.force_login(grassroots_cadre)
    grid = client.get(_grid_url(tree["G1"], 2024)).content.decode()
    assert "Xem lại đảng viên 2" in grid
    assert 'value="submit"' in grid  # editable again


def test_review_reopen_needs_a_reason_and_flags_later_changes(client, tree, grassroots_cadre, board_user, cell_members):
    submission = _submitted(tree, grassroots_cadre, cell_members)
    services.submission_approve(actor=board_user, submission=submission)
    client.force_login(board_user)

    refused = client.post(_review_url(tree["G1"], 2024), {"action": "reopen", "reopen-reason": ""})
    client.post(_review_url(tree["G1"], 2024), {"action": "reopen", "reopen-reason": "Sai tên chi bộ"})
    client.force_login(grassroots_cadre)
    client.post(_grid_url(tree["G1"], 2024), _grid_post(cell_members, ["GOOD", "GOOD", "GOOD", "COMPLETED"]))
    client.force_login(board_user)
    queue = client.get(reverse("evaluations:queue") + "?nam=2024&trang_thai=")

    assert refused.context["reopen_form"].errors["reason"]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT
    assert submission.changed_after_approval is True
    assert "đã sửa sau khi duyệt" in queue.content.decode()


def test_review_rates_the_tccsd_while_its_ratings_are_a_draft(client, tree, grassroots_cadre, board_user):
    client.force_login(board_user)

    response = client.post(_review_url(tree["G1"], 2024), {"action": "rate", "own-rating": "EXCELLENT"})

    assert response.status_code == 302
    assert OrganizationRating.objects.get(organization=tree["G1"]).level == "EXCELLENT"


def test_review_by_the_tccsd_itself_offers_no_decision(client, tree, grassroots_cadre, cell_members):
    _submitted(tree, grassroots_cadre, cell_members)
    client.force_login(grassroots_cadre)

    page = client.get(_review_url(tree["G1"], 2024))
    response = client.post(_review_url(tree["G1"], 2024), {"action": "approve"})

    assert page.context["can_decide"] is False
    assert response.status_code == 403
    assert Submission.objects.get().state == SubmissionState.SUBMITTED


# --- rating years --------------------------------------------------------------------------------------------------


def test_years_board_closes_a_year_after_confirming(client, tree, board_user):
    client.force_login(board_user)

    listing = client.get(reverse("evaluations:years"))
    confirm = client.get(reverse("evaluations:year_close", args=[2022]))
    response = client.post(reverse("evaluations:year_close", args=[2022]), follow=True)

    assert "Đóng năm…" in listing.content.decode()
    assert confirm.status_code == 200
    assert RatingYear.objects.get(year=2022).state == YearState.CLOSED
    assert RatingYear.objects.get(year=2022).closed_by == board_user
    assert "Đã đóng năm đánh giá 2022" in response.content.decode()


def test_years_only_the_board_closes(client, tree, district_cadre):
    client.force_login(district_cadre)

    listing = client.get(reverse("evaluations:years"))
    response = client.post(reverse("evaluations:year_close", args=[2022]))

    assert "Đóng năm…" not in listing.content.decode()
    assert response.status_code == 403
    assert RatingYear.objects.get(year=2022).state == YearState.OPEN


def test_years_board_reopens_a_closed_year_with_a_reason(client, tree, board_user, grassroots_cadre):
    year = RatingYear.objects.get(year=2023)
    services.year_close(actor=board_user, year=year)
    client.force_login(grassroots_cadre)
    cadre_listing = client.get(reverse("evaluations:years"))
    cadre_post = client.post(reverse("evaluations:year_reopen", args=[2023]), {"reason": "Sửa số liệu"})
    client.force_login(board_user)

    listing = client.get(reverse("evaluations:years"))
    without = client.post(reverse("evaluations:year_reopen", args=[2023]), {"reason": " "})
    response = client.post(reverse("evaluations:year_reopen", args=[2023]), {"reason": "Bổ sung hồ sơ"}, follow=True)

    assert "Mở lại năm…" not in cadre_listing.content.decode()
    assert cadre_post.status_code == 403
    assert "Mở lại năm…" in listing.content.decode()
    assert without.status_code == 200
    assert "Mở lại phải có lý do." in without.content.decode()
    assert RatingYear.objects.get(year=2023).state == YearState.OPEN
    assert "Đã mở lại năm đánh giá 2023" in response.content.decode()
