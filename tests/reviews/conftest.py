"""A small province for the reporting cycle, drawn by hand:

P (province)
├─ D1 district committee "Huyện ủy Đông Sơn" (in force)  ── G1 grassroots cell with 4 members
└─ D2 district committee "Huyện ủy Tây Hòa" (in force)   ── G2 grassroots cell with 1 member

In 2024 G1's members are rated GOOD, GOOD, GOOD, COMPLETED (T2a = 3/4) and G1 itself GOOD (T1a = 1/1), approved.
"""

from datetime import date

import pytest

from evaluations.models import RatingYear
from evaluations.services import (
    member_ratings_save,
    organization_rating_save,
    submission_approve,
    submission_get_or_create,
    submission_submit,
)
from indicators.models import Program
from organizations.models import OrgKind, RoleKind
from reviews import services
from reviews.models import DutyKind, ReportingUnitKind
from tests.factories import UserFactory, give_role, make_member, make_org, superuser

YEAR = 2024
LEVELS = ("GOOD", "GOOD", "GOOD", "COMPLETED")


@pytest.fixture
def province(db):
    return build_province()


def build_province():
    root = superuser()
    p = make_org("RP", OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Hòa Lạc", actor=root)
    d1 = make_org("RD1", OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Đông Sơn", actor=root)
    d2 = make_org("RD2", OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Tây Hòa", actor=root)
    g1 = make_org("RG1", OrgKind.GRASSROOTS_CELL, parent=d1, name="Chi bộ Trường Tiểu học Đông Sơn", actor=root)
    g2 = make_org("RG2", OrgKind.GRASSROOTS_CELL, parent=d2, name="Chi bộ Trạm Y tế Tây Hòa", actor=root)
    members = [make_member(g1, admission_date=date(2019, 3, 2), actor=root) for _ in LEVELS]
    make_member(g2, admission_date=date(2019, 3, 2), actor=root)
    users = {}
    for name, kind, org in (
        ("board", RoleKind.BOARD, p),
        ("steering", RoleKind.STEERING, p),
        ("cadre_d1", RoleKind.DISTRICT_CADRE, d1),
        ("cadre_d2", RoleKind.DISTRICT_CADRE, d2),
        ("cadre_g1", RoleKind.GRASSROOTS_CADRE, g1),
    ):
        users[name] = UserFactory(username=f"rv_{name}", first_name=name)
        give_role(users[name], org, kind)
    return {"root": root, "P": p, "D1": d1, "D2": d2, "G1": g1, "G2": g2, "members": members, **users}


@pytest.fixture
def program(db):
    return Program.objects.get(code="CTHD-2020-2025")


def rate_g1(province, levels=LEVELS):
    """G1's 2024 ratings entered, submitted and approved (by the level above: D1's cadre)."""
    root = province["root"]
    year = RatingYear.objects.get(year=YEAR)
    entries = [{"member_id": m.pk, "level": level} for m, level in zip(province["members"], levels, strict=True)]
    member_ratings_save(actor=root, organization=province["G1"], year=year, entries=entries)
    organization_rating_save(actor=province["cadre_d1"], organization=province["G1"], year=year, level="GOOD")
    submission = submission_get_or_create(actor=root, organization=province["G1"], year=year)
    submission = submission_submit(actor=root, submission=submission)
    return submission_approve(actor=province["cadre_d1"], submission=submission)


@pytest.fixture
def units(province, program):
    return build_units(province, program)


def build_units(province, program):
    """D1 and D2 as committees, and a party delegation outside the tree; the default 2024 review due date."""
    board = province["board"]
    made = {
        key: services.reporting_unit_create(
            actor=board,
            program=program,
            code=f"BC-{key}",
            name=province[key].name,
            kind=ReportingUnitKind.COMMITTEE,
            organization=province[key],
            valid_from=date(2020, 1, 1),
        )
        for key in ("D1", "D2")
    }
    made["HD"] = services.reporting_unit_create(
        actor=board,
        program=program,
        code="BC-HD",
        name="Đảng đoàn Hội đồng nhân dân tỉnh",
        kind=ReportingUnitKind.PARTY_DELEGATION,
        valid_from=date(2020, 1, 1),
    )
    services.due_date_set(actor=board, program=program, kind=DutyKind.REVIEW, year=YEAR, due_on=date(2024, 12, 15))
    return made
