"""A small province loaded entirely through the Excel doors, by the Organization Board and two district-level cadres
it creates from a file; its six indicators for 2024 (and T3 for 2025, after a merger) equal values counted by hand.

Only the province and the Board's own login exist before the first upload. Everything else comes from files:

    P  Đảng bộ tỉnh
    ├─ D1 Huyện ủy An Bình                      ├─ D2 Huyện ủy Bình Minh
    │  ├─ G11 Đảng bộ xã An Phú (ĐBCS)         │  ├─ G21 Chi bộ xã Bình Yên (CBCS)
    │  │  └─ C111 Chi bộ thôn Một               │  └─ G22 Chi bộ Công ty Bình Minh (CBCS, formed 01/03/2024)
    │  ├─ G12 Chi bộ xã An Lạc (CBCS)  ┐ merged on 01/01/2025
    │  └─ G13 Chi bộ Trường THCS (CBCS) ┘ into G14

Members (record number: unit on 31/12/2023 → 31/12/2024, admitted, 2024 rating, theory, TCCSĐ committee seat):
    m1 100001TN  C111 → C111  2010   GOOD            intermediate 2015    G11 secretary
    m2 100002TN  C111 → C111  2015   GOOD            elementary 2016      G11 deputy secretary
    m3 100003TN  —    → C111  15/03/2024 GOOD        —                    C111 secretary (a cell: not T4)
    m4 100004TN  G11  → G11   2012   COMPLETED       intermediate 2012, advanced 2018 (second file)  G11 member
    m5 100005TN  G12  → G12   2008   GOOD            intermediate 2014    G12 secretary
    m6 100006TN  G12  → G21   2016   COMPLETED       —                    moved across districts on 01/06/2024
    m7 100007TN  G13  → G13   2019   NOT_COMPLETED   —                    G13 secretary
    m8 100008TN  —    → G13   01/09/2024 not rated (admitted after 30 June)
    m9 200001TN  G21  → G21   2011   GOOD            intermediate 2013    G21 secretary
    m10 200002TN G21  → G21   2020   GOOD            —                    G21 deputy secretary
    a1 200003TN  —    → G21   arrived from another province 10/05/2024 (admitted there in 2014)  GOOD
    m11 200004TN —    → G22   01/04/2024 GOOD
    m12 200005TN G21  → G22   2017, moved inside D2 on 01/03/2024  GOOD   intermediate 2020   G22 secretary
    m13 100009TN admitted into G14 on 10/02/2025 (after the merger)
TCCSĐ ratings 2024: G11 GOOD, G12 GOOD, G13 NOT_COMPLETED, G21 GOOD, G22 COMPLETED.
"""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from evaluations.models import ImportState
from organizations.models import Organization, OrgKind, RoleKind
from party_portal.imports import registry
from party_portal.imports.workbook import template_workbook
from tests.factories import UserFactory, give_role, make_org

from .conftest import confirm, upload

pytestmark = pytest.mark.django_db

CADRE_PASSWORD = "Huyen-Uy-An-Binh-2024!"
BOARD_PASSWORD = "Ban-To-Chuc-Tinh-Uy-2024!"


def _file(slug, rows):
    return template_workbook(registry.get(slug).importer.resource, title="test", rows=rows)


def _load(client, slug, rows, **fields):
    """Upload a file through the import page, check that no row is rejected, confirm it, upload it again."""
    job = upload(client, slug, _file(slug, rows), **fields)
    assert job.state == ImportState.READY, (slug, job.report.get("errors"), job.report.get("file_errors"))
    job = confirm(client, job)
    assert job.state == ImportState.DONE, (slug, job.report)
    # The same file again, by the same user: nothing new, nothing changed.
    counts = upload(client, slug, _file(slug, rows), **fields).report["counts"]
    assert (counts["new"], counts["updated"], counts["rejected"]) == (0, 0, 0), (slug, counts)
    return job


def _org(code, name, kind, parent, founded, org_type=""):
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "org_type": org_type,
        "parent_code": parent,
        "valid_from": founded,
    }


def _member(record, name, gender, born, unit, admitted, theory="", obtained=None):
    return {
        "record_number": record,
        "full_name": name,
        "gender": gender,
        "date_of_birth": born,
        "organization_code": unit,
        "admission_date": admitted,
        "admission_kind": "Kết nạp",
        "theory_level": theory,
        "theory_obtained_on": obtained,
    }


def _seat(record, unit, role, start):
    return {"record_number": record, "organization_code": unit, "role": role, "start": start, "end": None}


def _rating(record, level="", reason=""):
    return {"record_number": record, "level": level, "not_rated_reason": reason}


def _log_in_first_time(board, username):
    """The Board gives the login an initial password on its page; the cadre logs in and must choose their own."""
    user_id = registry_user_id(username)
    response = board.post(reverse("users:password_reset", args=[user_id]), {"password": "Mat-Khau-Ban-Dau-7391"})
    assert response.status_code == 200, response.content.decode()[:1000]
    cadre = Client()
    response = cadre.post(reverse("login"), {"username": username, "password": "Mat-Khau-Ban-Dau-7391"})
    assert response.status_code == 302
    assert cadre.get(reverse("imports:home")).url == reverse("accounts:password_change")
    response = cadre.post(
        reverse("accounts:password_change"),
        {"old_password": "Mat-Khau-Ban-Dau-7391", "new_password1": CADRE_PASSWORD, "new_password2": CADRE_PASSWORD},
    )
    assert response.status_code == 302
    assert cadre.get(reverse("imports:home")).status_code == 200
    return cadre


def registry_user_id(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).pk


def _figures(code, year):
    out = StringIO()
    call_command("compliance", year=year, scope=code, user="bantochuc", format="json", stdout=out)
    indicators = json.loads(out.getvalue())["scope"]["indicators"]
    # The six targets, counted by hand below (the tracked figures of the JSON are counted in tests/indicators).
    targets = ("T1a", "T1b", "T2a", "T2b", "T3", "T4")
    return {
        name: (indicators[name]["numerator"], indicators[name]["denominator"], indicators[name]["status"])
        for name in targets
    }


@pytest.fixture
def board():
    province = make_org("P", OrgKind.PROVINCE_COMMITTEE, valid_from=date(2000, 1, 1), name="Đảng bộ tỉnh Thử Nghiệm")
    user = UserFactory(username="bantochuc", first_name="Ban Tổ chức Tỉnh ủy", password=BOARD_PASSWORD)
    give_role(user, province, RoleKind.BOARD)
    client = Client()
    response = client.post(reverse("login"), {"username": "bantochuc", "password": BOARD_PASSWORD})
    assert response.status_code == 302
    return client


def test_a_province_loaded_through_the_excel_doors_counts_as_by_hand(board):
    # The Board: the tree, then the two district cadres' logins and roles.
    _load(
        board,
        "to-chuc",
        [
            _org("D1", "Huyện ủy An Bình", "Huyện ủy / Thị ủy / Thành ủy", "P", "01/01/2000"),
            _org("D2", "Huyện ủy Bình Minh", "Huyện ủy / Thị ủy / Thành ủy", "P", "01/01/2000"),
            _org("G11", "Đảng bộ xã An Phú", "Đảng bộ cơ sở", "D1", "01/01/2000", "Xã"),
            _org("C111", "Chi bộ thôn Một", "Chi bộ trực thuộc", "G11", "01/01/2000"),
            _org("G12", "Chi bộ xã An Lạc", "Chi bộ cơ sở", "D1", "01/01/2000", "Xã"),
            _org("G13", "Chi bộ Trường THCS An Lạc", "Chi bộ cơ sở", "D1", "01/01/2000", "Đơn vị sự nghiệp công lập"),
            _org("G21", "Chi bộ xã Bình Yên", "Chi bộ cơ sở", "D2", "01/01/2000", "Xã"),
            _org(
                "G22",
                "Chi bộ Công ty Bình Minh",
                "Chi bộ cơ sở",
                "D2",
                "01/03/2024",
                "Doanh nghiệp ngoài khu vực nhà nước",
            ),
        ],
    )
    _load(
        board,
        "nguoi-dung",
        [
            {
                "username": "cb_anbinh",
                "full_name": "Trần Văn Bình",
                "email": "",
                "kind": "Cán bộ cấp huyện",
                "organization_code": "D1",
                "valid_from": "01/01/2000",
                "valid_to": None,
            },
            {
                "username": "cb_binhminh",
                "full_name": "Lê Thị Minh",
                "email": "",
                "kind": "Cán bộ cấp huyện",
                "organization_code": "D2",
                "valid_from": "01/01/2000",
                "valid_to": None,
            },
        ],
    )
    an_binh = _log_in_first_time(board, "cb_anbinh")
    binh_minh = _log_in_first_time(board, "cb_binhminh")

    # Each district enters its own members, theory levels and committee seats.
    _load(
        an_binh,
        "dang-vien",
        [
            _member("100001TN", "Nguyễn Văn An", "Nam", "02/03/1975", "C111", "10/05/2010", "Trung cấp", "01/06/2015"),
            _member("100002TN", "Phạm Thị Bích", "Nữ", "14/07/1980", "C111", "01/03/2015", "Sơ cấp", "01/06/2016"),
            _member("100003TN", "Đỗ Văn Cường", "Nam", "20/10/1998", "C111", "15/03/2024"),
            _member("100004TN", "Hoàng Văn Dũng", "Nam", "05/05/1970", "G11", "01/01/2012"),
            _member("100005TN", "Vũ Thị Én", "Nữ", "11/11/1968", "G12", "08/08/2008", "Trung cấp", "01/09/2014"),
            _member("100006TN", "Bùi Văn Phúc", "Nam", "30/01/1990", "G12", "12/12/2016"),
            _member("100007TN", "Đặng Thị Giang", "Nữ", "09/09/1985", "G13", "19/05/2019"),
            _member("100008TN", "Ngô Văn Hải", "Nam", "03/04/2000", "G13", "01/09/2024"),
        ],
    )
    _load(
        binh_minh,
        "dang-vien",
        [
            _member("200001TN", "Lý Văn Khánh", "Nam", "01/01/1972", "G21", "03/02/2011", "Trung cấp", "01/07/2013"),
            _member("200002TN", "Mai Thị Lan", "Nữ", "15/06/1992", "G21", "02/09/2020"),
            _member("200004TN", "Trịnh Văn Nam", "Nam", "21/12/1999", "G22", "01/04/2024"),
            _member("200005TN", "Phan Thị Oanh", "Nữ", "07/07/1987", "G21", "19/05/2017", "Trung cấp", "01/10/2020"),
        ],
    )
    # A second level for m4 and a first one for him: several levels per member come by the theory levels file.
    _load(
        an_binh,
        "trinh-do-ly-luan",
        [
            {"record_number": "100004TN", "theory_level": "Trung cấp", "theory_obtained_on": "01/06/2012"},
            {"record_number": "100004TN", "theory_level": "Cao cấp", "theory_obtained_on": "01/06/2018"},
        ],
    )
    # Inside D2 its cadre moves m12 to the new company cell; across districts and from outside, the Board.
    _load(
        binh_minh,
        "chuyen-sinh-hoat",
        [
            {
                "record_number": "200005TN",
                "movement": "Chuyển sinh hoạt trong tỉnh",
                "date": "01/03/2024",
                "organization_code": "G22",
            }
        ],
    )
    _load(
        board,
        "chuyen-sinh-hoat",
        [
            {
                "record_number": "100006TN",
                "movement": "Chuyển sinh hoạt trong tỉnh",
                "date": "01/06/2024",
                "organization_code": "G21",
            },
            {
                "record_number": "200003TN",
                "movement": "Chuyển đến (ngoài tỉnh)",
                "date": "10/05/2024",
                "organization_code": "G21",
                "full_name": "Cao Văn Quý",
                "gender": "Nam",
                "date_of_birth": "16/08/1984",
                "admission_date": "03/02/2014",
                "note": "Từ Đảng bộ tỉnh Hà Giang",
            },
        ],
    )
    _load(
        an_binh,
        "cap-uy",
        [
            _seat("100001TN", "G11", "Bí thư", "01/01/2021"),
            _seat("100002TN", "G11", "Phó Bí thư", "01/01/2021"),
            _seat("100004TN", "G11", "Cấp ủy viên", "01/01/2021"),
            _seat("100003TN", "C111", "Bí thư", "01/08/2024"),
            _seat("100005TN", "G12", "Bí thư", "01/01/2021"),
            _seat("100007TN", "G13", "Bí thư", "01/01/2021"),
        ],
    )
    _load(
        binh_minh,
        "cap-uy",
        [
            _seat("200001TN", "G21", "Bí thư", "01/01/2021"),
            _seat("200002TN", "G21", "Phó Bí thư", "01/01/2021"),
            _seat("200005TN", "G22", "Bí thư", "15/03/2024"),
        ],
    )

    # The 2024 ratings: members per TCCSĐ by their district's cadre, then the TCCSĐ themselves per district.
    organization = {org.code: org.pk for org in Organization.objects.all()}
    member_ratings = {
        ("G11", an_binh): [
            _rating("100001TN", "Hoàn thành tốt nhiệm vụ"),
            _rating("100002TN", "Hoàn thành tốt nhiệm vụ"),
            _rating("100003TN", "Hoàn thành tốt nhiệm vụ"),
            _rating("100004TN", "Hoàn thành nhiệm vụ"),
        ],
        ("G12", an_binh): [_rating("100005TN", "Hoàn thành tốt nhiệm vụ")],
        ("G13", an_binh): [
            _rating("100007TN", "Không hoàn thành nhiệm vụ"),
            _rating("100008TN", reason="Kết nạp chưa đủ 6 tháng tính đến 31/12"),
        ],
        ("G21", binh_minh): [
            _rating("200001TN", "Hoàn thành tốt nhiệm vụ"),
            _rating("200002TN", "Hoàn thành tốt nhiệm vụ"),
            _rating("200003TN", "Hoàn thành tốt nhiệm vụ"),
            _rating("100006TN", "Hoàn thành nhiệm vụ"),
        ],
        ("G22", binh_minh): [
            _rating("200004TN", "Hoàn thành tốt nhiệm vụ"),
            _rating("200005TN", "Hoàn thành tốt nhiệm vụ"),
        ],
    }
    for (code, cadre), rows in member_ratings.items():
        _load(cadre, "xep-loai", rows, to_chuc=organization[code], nam=2024)
    _load(
        an_binh,
        "xep-loai-to-chuc",
        [
            {"code": "G11", "level": "Hoàn thành tốt nhiệm vụ"},
            {"code": "G12", "level": "Hoàn thành tốt nhiệm vụ"},
            {"code": "G13", "level": "Không hoàn thành nhiệm vụ"},
        ],
        to_chuc=organization["D1"],
        nam=2024,
    )
    _load(
        binh_minh,
        "xep-loai-to-chuc",
        [{"code": "G21", "level": "Hoàn thành tốt nhiệm vụ"}, {"code": "G22", "level": "Hoàn thành nhiệm vụ"}],
        to_chuc=organization["D2"],
        nam=2024,
    )

    # The Board merges G12 and G13 into a new G14 on 01/01/2025, which admits m13 in February.
    _load(
        board,
        "sap-xep-to-chuc",
        [
            {
                "operation": "1",
                "kind": "Sáp nhập",
                "effective_on": "01/01/2025",
                "decision_number": "125-QĐ/TU",
                "decision_date": "15/12/2024",
                "old_code": code,
                "new_code": "G14",
                "new_name": "Chi bộ xã An Lạc",
                "new_kind": "Chi bộ cơ sở",
                "new_type": "Xã",
                "new_parent_code": "D1",
            }
            for code in ("G12", "G13")
        ],
    )
    _load(an_binh, "dang-vien", [_member("100009TN", "Tạ Văn Sơn", "Nam", "12/12/2001", "G14", "10/02/2025")])

    # By hand, 2024 (each figure: numerator, denominator, verdict):
    # T1a TCCSĐ good or better over TCCSĐ rated — D1: G11, G12 of 3; D2: G21 of 2; P: 3 of 5.
    # T1b TCCSĐ not completed — D1: G13 of 3; D2: none; P: 1 of 5 (20 % ≥ 0.3 %).
    # T2a members good or better over rated (m8 not rated) — D1: m1 m2 m3 m5 of m1 m2 m3 m4 m5 m7 = 4/6;
    #     D2: m9 m10 a1 m11 m12 of those and m6 = 5/6; P: 9/12.
    # T2b members not completed — D1: m7 = 1/6; D2: 0/6; P: 1/12.
    # T3 admissions in 2024 over the rolls on 31/12/2023 — D1: m3, m8 over m1 m2 m4 m5 m6 m7 = 2/6;
    #     D2: m11 over m9 m10 m12 = 1/3 (the arrival a1 is no admission); P: 3/9.
    # T4 TCCSĐ committee members with intermediate theory or higher on 31/12/2024 (m3 sits on a cell's committee)
    #     — D1: m1 m4 m5 of m1 m2 m4 m5 m7 = 3/5; D2: m9 m12 of m9 m10 m12 = 2/3; P: 5/8 (judged in 2025 only).
    assert _figures("D1", 2024) == {
        "T1a": (2, 3, "not_met"),
        "T1b": (1, 3, "not_met"),
        "T2a": (4, 6, "not_met"),
        "T2b": (1, 6, "not_met"),
        "T3": (2, 6, "met"),
        "T4": (3, 5, "not_met"),
    }
    assert _figures("D2", 2024) == {
        "T1a": (1, 2, "not_met"),
        "T1b": (0, 2, "met"),
        "T2a": (5, 6, "not_met"),
        "T2b": (0, 6, "met"),
        "T3": (1, 3, "met"),
        "T4": (2, 3, "not_met"),
    }
    assert _figures("P", 2024) == {
        "T1a": (3, 5, "not_met"),
        "T1b": (1, 5, "not_met"),
        "T2a": (9, 12, "not_met"),
        "T2b": (1, 12, "not_met"),
        "T3": (3, 9, "met"),
        "T4": (5, 8, "not_met"),
    }
    # 2025, after the merger: m13 admitted into G14, over the rolls of 31/12/2024, which hold G12's and G13's
    # members where their successor G14 sits — D1: m1 m2 m3 m4 m5 m7 m8 = 1/7; P: those and m6 m9 m10 a1 m11 m12 = 1/13.
    assert _figures("D1", 2025)["T3"][:2] == (1, 7)
    assert _figures("P", 2025)["T3"][:2] == (1, 13)
    g14 = Organization.objects.get(code="G14")
    assert sorted(g14.memberships.filter(end__isnull=True).values_list("member__record_number", flat=True)) == [
        "100005TN",
        "100007TN",
        "100008TN",
        "100009TN",
    ]
