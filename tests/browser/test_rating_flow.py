"""The year's ratings end to end in Chromium: a grassroots cadre fills the grid, meets a rule's message, fixes it
and sends it; a district cadre approves it. Each step waits for what the user would see; a missing one fails."""

from datetime import date

import pytest
from playwright.sync_api import expect

from evaluations.models import MemberRating, RatingYear, Submission, SubmissionState, rule_set_for_year
from members.models import StatusKind
from members.services import status_period_add
from organizations.models import RoleKind
from tests.factories import UserFactory, give_role, make_member

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2024  # G1 sits under district D1 on 31/12/2024, so D1's cadre approves it


@pytest.fixture
def people(tree, root_user):
    # A transactional test may start from a flushed database: the rating years of the data migration are gone.
    RatingYear.objects.get_or_create(year=YEAR, defaults={"rule_set": rule_set_for_year(YEAR)})
    grassroots = UserFactory(username="cadre_g1", first_name="Cán bộ Đảng bộ phường Bắc")
    give_role(grassroots, tree["G1"], RoleKind.GRASSROOTS_CADRE)
    district = UserFactory(username="cadre_d1", first_name="Cán bộ Huyện ủy Đông Sơn")
    give_role(district, tree["D1"], RoleKind.DISTRICT_CADRE)
    members = [
        make_member(tree["C1"], full_name=name, admission_date=date(2019, 5, 19))
        for name in ("Lê Văn An", "Phạm Thị Bích", "Hoàng Văn Cường")
    ]
    members.append(make_member(tree["C2"], full_name="Đỗ Thị Dung", admission_date=date(2019, 2, 3)))
    exempt = members[1]
    status_period_add(actor=root_user, member=exempt, kind=StatusKind.EXEMPT, start=date(2023, 7, 1))
    return {"grassroots": grassroots, "district": district, "members": members, "exempt": exempt}


def _row(page, member):
    return page.locator(f"#dv-{member.pk}")


def test_grassroots_cadre_rates_and_district_cadre_approves(page, tree, people):
    exempt = people["exempt"]

    # The grassroots cadre finds the grid through the menu and the year filter.
    log_in(page, "cadre_g1")
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Xếp loại").click()
    page.get_by_label("Năm").select_option(str(YEAR))
    page.get_by_role("button", name="Xem").click()
    page.get_by_role("link", name="Đảng bộ phường Bắc").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Xếp loại đảng viên năm {YEAR}")
    # The exemption on record is proposed as the reason, and said why.
    expect(_row(page, exempt).locator("select.rating")).to_have_value("EXEMPT")
    expect(_row(page, exempt)).to_contain_text("Miễn công tác và sinh hoạt đảng tại ngày 31/12/2024")

    # Fill the empty rows with "well completed", then (wrongly) rate the exempt member too and save.
    page.get_by_label("Điền các dòng còn trống bằng").select_option("GOOD")
    page.get_by_role("button", name="Điền", exact=True).click()
    _row(page, exempt).locator("select.rating").select_option("EXCELLENT")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("alert")).to_contain_text("Chưa lưu gì")
    expect(page.get_by_role("alert")).to_contain_text("Phạm Thị Bích")
    expect(page.locator(f"#dv-{exempt.pk} + tr.row-errors")).to_contain_text("nên không xếp loại")
    assert MemberRating.objects.count() == 0

    # Fix it (what was typed in the other rows is still there) and send for approval.
    expect(_row(page, people["members"][0]).locator("select.rating")).to_have_value("GOOD")
    _row(page, exempt).locator("select.rating").select_option("EXEMPT")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi kết quả xếp loại lên cấp trên để duyệt")
    expect(page.locator(".status-panel .state")).to_have_text("Đã gửi")
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    log_out(page)

    # The district cadre finds it waiting in the approval queue and approves it.
    log_in(page, "cadre_d1")
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Duyệt").click()
    page.get_by_label("Năm").select_option(str(YEAR))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("navigation", name="Trạng thái").get_by_role("link", name="Chờ duyệt")).to_contain_text("1")
    page.get_by_role("link", name="Đảng bộ phường Bắc").click()
    expect(page.locator("#members-grid")).to_contain_text("Phạm Thị Bích")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã duyệt kết quả xếp loại")
    expect(page.locator(".status-panel")).to_contain_text("Cán bộ Huyện ủy Đông Sơn")

    submission = Submission.objects.get(organization=tree["G1"], year__year=YEAR)
    assert submission.state == SubmissionState.APPROVED
    assert submission.decided_by == people["district"]
    assert dict(MemberRating.objects.values_list("member__full_name", "not_rated_reason")) == {
        "Lê Văn An": "",
        "Phạm Thị Bích": "EXEMPT",
        "Hoàng Văn Cường": "",
        "Đỗ Thị Dung": "",
    }
    assert set(MemberRating.objects.exclude(level="").values_list("level", flat=True)) == {"GOOD"}
