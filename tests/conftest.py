import importlib
from datetime import date

import pytest
from django.apps import apps

from organizations.models import OrgKind, OrgType, RoleKind
from organizations.services import organization_move
from tests.factories import UserFactory, give_role, make_org, superuser

REFORM_DAY = date(2025, 7, 1)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's default language: a request in English (LocaleMiddleware activates the
    reader's language and leaves it active in the thread) must not turn a later test's labels English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def root_user(db):
    return superuser()


@pytest.fixture
def tree(db):
    """A small province drawn by hand, across the 1 July 2025 reform:

    P (province)
    ├─ D1 district (ends 30/06/2025)        ├─ D2 district (ends 30/06/2025)
    │  └─ G1 grassroots committee, WARD     │  └─ G2 grassroots cell, STATE_AGENCY
    │     ├─ C1 cell                        │
    │     └─ C2 cell                        │
    └─ X1 ward committee (from 01/07/2025) ← G1 and G2 re-attached there on 01/07/2025
    """
    p = make_org("P", OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Thử Nghiệm")
    d1 = make_org("D1", OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Đông Sơn")
    d2 = make_org("D2", OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Tây Hòa")
    g1 = make_org("G1", OrgKind.GRASSROOTS_COMMITTEE, parent=d1, org_type=OrgType.WARD, name="Đảng bộ phường Bắc")
    c1 = make_org("C1", OrgKind.CELL, parent=g1, name="Chi bộ khu phố 1")
    c2 = make_org("C2", OrgKind.CELL, parent=g1, name="Chi bộ khu phố 2")
    g2 = make_org("G2", OrgKind.GRASSROOTS_CELL, parent=d2, org_type=OrgType.STATE_AGENCY, name="Chi bộ Sở Tư pháp")
    x1 = make_org("X1", OrgKind.COMMUNE_COMMITTEE, parent=p, valid_from=REFORM_DAY, name="Đảng bộ phường Trung Tâm")
    admin = superuser()
    organization_move(actor=admin, organization=g1, new_parent=x1, on=REFORM_DAY)
    organization_move(actor=admin, organization=g2, new_parent=x1, on=REFORM_DAY)
    from organizations.services import organization_close

    organization_close(actor=admin, organization=d1, last_day=date(2025, 6, 30))
    organization_close(actor=admin, organization=d2, last_day=date(2025, 6, 30))
    return {"P": p, "D1": d1, "D2": d2, "G1": g1, "C1": c1, "C2": c2, "G2": g2, "X1": x1}


@pytest.fixture
def district_cadre(tree):
    # D1 ended on 30/06/2025, and the role with it: read-only history since (organizations.scoping).
    user = UserFactory(username="cadre_d1")
    give_role(user, tree["D1"], RoleKind.DISTRICT_CADRE, valid_to=date(2025, 6, 30))
    return user


@pytest.fixture
def other_district_cadre(tree):
    user = UserFactory(username="cadre_d2")
    give_role(user, tree["D2"], RoleKind.DISTRICT_CADRE, valid_to=date(2025, 6, 30))
    return user


@pytest.fixture
def steering_user(tree):
    user = UserFactory(username="steering")
    give_role(user, tree["P"], RoleKind.STEERING)
    return user


@pytest.fixture
def seed_rows(transactional_db):
    """The rows data migrations write (rating years, the program, its targets and indicator definitions, the
    coded lists): a transactional test may start from a database another one flushed. (serialized_rollback
    would restore them, but clashes with the content types another transactional test's flush re-creates.)"""
    for module, function in (
        ("evaluations.migrations.0002_rating_years", "create_years"),
        ("indicators.migrations.0002_program_2020_2025", "create_program"),
        ("members.migrations.0005_seed_codes", "create_codes"),
        ("indicators.migrations.0007_six_program_indicators", "load"),
        ("indicators.migrations.0008_tracked_definitions", "load"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def grassroots_cadre(tree):
    """A cadre of G1, which exists today (under X1 since the reform): writes G1's past and present."""
    user = UserFactory(username="cadre_g1", first_name="Cán bộ G1")
    give_role(user, tree["G1"], RoleKind.GRASSROOTS_CADRE)
    return user


@pytest.fixture
def board_user(tree):
    user = UserFactory(username="board")
    give_role(user, tree["P"], RoleKind.BOARD)
    return user


@pytest.fixture
def ward_cadre(tree):
    """A cadre of X1, the ward committee that took over G1 and G2 on 01/07/2025: their role starts that day."""
    user = UserFactory(username="cadre_x1")
    give_role(user, tree["X1"], RoleKind.DISTRICT_CADRE, valid_from=REFORM_DAY)
    return user
