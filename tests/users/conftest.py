import pytest

from organizations.models import OrgKind, OrgType, RoleKind
from tests.conftest import REFORM_DAY
from tests.factories import UserFactory, give_role, make_org


@pytest.fixture
def other_ward(tree):
    """X2, a second commune-level committee formed at the reform, with its own TCCSĐ G3: outside X1's subtree."""
    x2 = make_org("X2", OrgKind.COMMUNE_COMMITTEE, parent=tree["P"], valid_from=REFORM_DAY, name="Đảng bộ xã Hòa Bình")
    g3 = make_org(
        "G3",
        OrgKind.GRASSROOTS_CELL,
        parent=x2,
        valid_from=REFORM_DAY,
        org_type=OrgType.STATE_AGENCY,
        name="Chi bộ Trạm Y tế Hòa Bình",
    )
    return {"X2": x2, "G3": g3}


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer", first_name="Nguyễn Văn Mới")


@pytest.fixture
def x2_cadre(other_ward):
    user = UserFactory(username="cadre_x2", first_name="Trần Thị Hòa")
    give_role(user, other_ward["X2"], RoleKind.DISTRICT_CADRE, valid_from=REFORM_DAY)
    return user
