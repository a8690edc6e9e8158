"""A reporting cycle on the hand-drawn tree (tests/conftest.py), after the reform: X1 (G1 and G2 under it on
31/12/2025) and a second commune X2, each a reporting unit of the 2020–2025 program, whose 2025 reviews are due on
31/01/2026; the 2025 ratings are due on 20/01/2026. Every user has an e-mail address."""

from datetime import date

import pytest

from indicators.models import Program
from organizations.models import OrgKind, RoleKind
from reviews.models import DueDate, DutyKind, ReportingUnit, ReportingUnitKind
from tests.conftest import REFORM_DAY
from tests.factories import UserFactory, give_role, make_org

REVIEW_DUE = date(2026, 1, 31)


def _user(username, organization, kind, **role):
    user = UserFactory(username=username, email=f"{username}@example.vn", first_name=username)
    give_role(user, organization, kind, **role)
    return user


@pytest.fixture
def cycle(tree):
    program = Program.objects.get(code="CTHD-2020-2025")
    x2 = make_org("X2", OrgKind.COMMUNE_COMMITTEE, parent=tree["P"], valid_from=REFORM_DAY, name="Đảng bộ xã Tây Sơn")
    users = {
        "x1": _user("cadre_x1", tree["X1"], RoleKind.DISTRICT_CADRE, valid_from=REFORM_DAY),
        "x2": _user("cadre_x2", x2, RoleKind.DISTRICT_CADRE, valid_from=REFORM_DAY),
        "g1": _user("cadre_g1", tree["G1"], RoleKind.GRASSROOTS_CADRE),
        "g2": _user("cadre_g2", tree["G2"], RoleKind.GRASSROOTS_CADRE),
        "board": _user("board", tree["P"], RoleKind.BOARD),
        "steering": _user("steering", tree["P"], RoleKind.STEERING),
        # D1's cadre: the role ended with D1 on 30/06/2025.
        "d1": _user("cadre_d1", tree["D1"], RoleKind.DISTRICT_CADRE, valid_to=date(2025, 6, 30)),
    }
    units = {
        code: ReportingUnit.objects.create(
            program=program,
            code=code,
            name=org.name,
            kind=ReportingUnitKind.COMMITTEE,
            organization=org,
            parent=org,
            owes_plan=False,
            valid_from=REFORM_DAY,
        )
        for code, org in (("X1", tree["X1"]), ("X2", x2))
    }
    DueDate.objects.create(program=program, kind=DutyKind.REVIEW, year=2025, due_on=REVIEW_DUE)
    return {"program": program, "orgs": {**tree, "X2": x2}, "users": users, "units": units}
