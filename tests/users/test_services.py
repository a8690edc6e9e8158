"""The grant rules of organizations.policy as the services apply them, counted by hand on the tree of
tests/conftest.py (X1 holds G1 and G2 since 01/07/2025; X2 and its G3 are another ward)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from knox.models import AuthToken

from organizations import policy
from organizations.models import Role, RoleKind
from tests.conftest import REFORM_DAY
from tests.factories import UserFactory, give_role
from users import services
from users.models import Account

START = date(2026, 1, 1)


def test_role_grant_board_gives_a_district_cadre_role_with_its_dates(tree, board_user, newcomer):
    role = services.role_grant(
        actor=board_user, user=newcomer, organization=tree["X1"], kind=RoleKind.DISTRICT_CADRE, valid_from=START
    )

    assert (role.organization, role.kind, role.valid_from, role.valid_to) == (
        tree["X1"],
        RoleKind.DISTRICT_CADRE,
        START,
        None,
    )
    assert role.history.get().history_user == board_user


def test_role_grant_ward_cadre_gives_a_grassroots_role_in_its_subtree(tree, ward_cadre, newcomer):
    role = services.role_grant(
        actor=ward_cadre, user=newcomer, organization=tree["G2"], kind=RoleKind.GRASSROOTS_CADRE, valid_from=START
    )

    assert Role.objects.filter(user=newcomer).get() == role


def test_role_grant_refuses_an_organization_above_the_grantor(tree, ward_cadre, newcomer):
    with pytest.raises(PermissionDenied) as error:
        services.role_grant(
            actor=ward_cadre, user=newcomer, organization=tree["P"], kind=RoleKind.DISTRICT_CADRE, valid_from=START
        )

    assert str(error.value) == str(policy.GRANT_OUTSIDE)
    assert not Role.objects.filter(user=newcomer).exists()


def test_role_grant_refuses_an_organization_outside_the_grantor(tree, other_ward, ward_cadre, newcomer):
    with pytest.raises(PermissionDenied) as error:
        services.role_grant(
            actor=ward_cadre,
            user=newcomer,
            organization=other_ward["G3"],
            kind=RoleKind.GRASSROOTS_CADRE,
            valid_from=START,
        )

    assert str(error.value) == str(policy.GRANT_OUTSIDE)
    assert not Role.objects.filter(user=newcomer).exists()


def test_role_grant_refuses_a_kind_above_the_grantor(tree, ward_cadre, grassroots_cadre, newcomer):
    with pytest.raises(ValidationError) as steering:
        services.role_grant(
            actor=ward_cadre, user=newcomer, organization=tree["X1"], kind=RoleKind.STEERING, valid_from=START
        )
    with pytest.raises(ValidationError) as district:
        services.role_grant(
            actor=grassroots_cadre,
            user=newcomer,
            organization=tree["G1"],
            kind=RoleKind.DISTRICT_CADRE,
            valid_from=START,
        )

    assert "kind" in steering.value.message_dict
    assert "kind" in district.value.message_dict
    assert not Role.objects.filter(user=newcomer).exists()


def test_role_grant_refuses_the_grantor_itself(tree, ward_cadre):
    with pytest.raises(ValidationError) as error:
        services.role_grant(
            actor=ward_cadre,
            user=ward_cadre,
            organization=tree["G1"],
            kind=RoleKind.GRASSROOTS_CADRE,
            valid_from=START,
        )

    assert error.value.message_dict["user"] == [str(policy.GRANT_TO_SELF)]
    assert Role.objects.filter(user=ward_cadre).count() == 1


def test_role_grant_refuses_a_role_outlasting_the_grantors_own(tree, newcomer):
    cadre = UserFactory(username="term_x1")
    give_role(cadre, tree["X1"], RoleKind.DISTRICT_CADRE, valid_from=REFORM_DAY, valid_to=date(2027, 12, 31))

    with pytest.raises(ValidationError) as open_ended:
        services.role_grant(
            actor=cadre, user=newcomer, organization=tree["G1"], kind=RoleKind.GRASSROOTS_CADRE, valid_from=START
        )
    with pytest.raises(ValidationError) as longer:
        services.role_grant(
            actor=cadre,
            user=newcomer,
            organization=tree["G1"],
            kind=RoleKind.GRASSROOTS_CADRE,
            valid_from=START,
            valid_to=date(2028, 1, 1),
        )
    granted = services.role_grant(
        actor=cadre,
        user=newcomer,
        organization=tree["G1"],
        kind=RoleKind.GRASSROOTS_CADRE,
        valid_from=START,
        valid_to=date(2027, 12, 31),
    )

    assert "31/12/2027" in " ".join(open_ended.value.message_dict["valid_to"])
    assert "valid_to" in longer.value.message_dict
    assert granted.valid_to == date(2027, 12, 31)


def test_role_grant_refuses_a_grantor_whose_role_has_ended(tree, district_cadre, newcomer):
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=district_cadre,
            user=newcomer,
            organization=tree["G1"],
            kind=RoleKind.GRASSROOTS_CADRE,
            valid_from=START,
        )

    assert not Role.objects.filter(user=newcomer).exists()


def test_role_grant_refuses_a_kind_on_the_wrong_level_of_organization(tree, board_user, newcomer):
    with pytest.raises(ValidationError) as error:
        services.role_grant(
            actor=board_user, user=newcomer, organization=tree["X1"], kind=RoleKind.GRASSROOTS_CADRE, valid_from=START
        )

    assert "Đảng bộ phường Trung Tâm" in " ".join(error.value.message_dict["organization"])


def test_role_grant_refuses_a_second_grant_of_the_same_role(tree, board_user, newcomer):
    services.role_grant(
        actor=board_user, user=newcomer, organization=tree["G1"], kind=RoleKind.GRASSROOTS_CADRE, valid_from=START
    )

    with pytest.raises(ValidationError, match="01/01/2026"):
        services.role_grant(
            actor=board_user,
            user=newcomer,
            organization=tree["G1"],
            kind=RoleKind.GRASSROOTS_CADRE,
            valid_from=date(2026, 6, 1),
        )


def test_role_end_dates_the_role_and_keeps_it(tree, ward_cadre, newcomer):
    role = give_role(newcomer, tree["G1"], RoleKind.GRASSROOTS_CADRE, valid_from=START)

    services.role_end(actor=ward_cadre, role=role, last_day=date(2026, 11, 30))

    role.refresh_from_db()
    assert role.valid_to == date(2026, 11, 30)
    latest = role.history.latest()
    assert (latest.history_user, latest.history_type, latest.valid_to) == (ward_cadre, "~", date(2026, 11, 30))


def test_role_end_refuses_a_role_outside_the_actors_subtree(tree, other_ward, ward_cadre, x2_cadre):
    role = Role.objects.get(user=x2_cadre)

    with pytest.raises(PermissionDenied):
        services.role_end(actor=ward_cadre, role=role, last_day=date(2026, 11, 30))

    role.refresh_from_db()
    assert role.valid_to is None


def test_role_end_refuses_the_actors_own_role(tree, ward_cadre):
    role = Role.objects.get(user=ward_cadre)

    with pytest.raises(ValidationError):
        services.role_end(actor=ward_cadre, role=role, last_day=date(2026, 11, 30))

    role.refresh_from_db()
    assert role.valid_to is None


def test_role_update_refuses_a_start_before_the_organization(tree, board_user, newcomer):
    role = give_role(newcomer, tree["X1"], RoleKind.DISTRICT_CADRE, valid_from=START)

    with pytest.raises(ValidationError) as error:
        services.role_update(actor=board_user, role=role, valid_from=date(2025, 1, 1), valid_to=None)

    assert "01/07/2025" in " ".join(error.value.message_dict["valid_from"])


def test_user_create_makes_a_login_whose_initial_password_must_be_changed(tree, ward_cadre):
    user, password = services.user_create(
        actor=ward_cadre,
        username="cb_g2",
        full_name="Lê Thị Thu",
        kind=RoleKind.GRASSROOTS_CADRE,
        organization=tree["G2"],
        valid_from=START,
    )

    assert user.check_password(password)
    assert len(password) == 12
    assert user.get_full_name() == "Lê Thị Thu"
    assert Account.objects.get(user=user).must_change_password is True
    assert list(Role.objects.filter(user=user).values_list("organization__code", "kind")) == [
        ("G2", RoleKind.GRASSROOTS_CADRE)
    ]
    assert user.history.get().history_user == ward_cadre


def test_user_create_refuses_a_taken_login_and_writes_nothing(tree, ward_cadre, newcomer):
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=ward_cadre,
            username="NEWCOMER",
            full_name="Lê Thị Thu",
            kind=RoleKind.GRASSROOTS_CADRE,
            organization=tree["G2"],
            valid_from=START,
        )

    assert "username" in error.value.message_dict
    assert Role.objects.count() == 1


def test_user_create_refuses_a_role_outside_and_writes_nothing(tree, other_ward, ward_cadre):
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=ward_cadre,
            username="cb_g3",
            full_name="Lê Thị Thu",
            kind=RoleKind.GRASSROOTS_CADRE,
            organization=other_ward["G3"],
            valid_from=START,
        )

    assert not Account.objects.exists()
    assert not Role.objects.filter(user__username="cb_g3").exists()


def test_user_deactivate_stops_a_login_of_the_subtree_and_revokes_its_tokens(tree, ward_cadre, grassroots_cadre):
    AuthToken.objects.create(user=grassroots_cadre)

    services.user_deactivate(actor=ward_cadre, user=grassroots_cadre)

    grassroots_cadre.refresh_from_db()
    assert grassroots_cadre.is_active is False
    assert not AuthToken.objects.filter(user=grassroots_cadre).exists()
    latest = grassroots_cadre.history.latest()
    assert (latest.history_user, latest.is_active) == (ward_cadre, False)


def test_user_deactivate_refuses_a_user_with_a_role_outside_the_subtree(tree, other_ward, ward_cadre, grassroots_cadre):
    give_role(grassroots_cadre, other_ward["G3"], RoleKind.GRASSROOTS_CADRE, valid_from=START)

    with pytest.raises(PermissionDenied) as error:
        services.user_deactivate(actor=ward_cadre, user=grassroots_cadre)

    grassroots_cadre.refresh_from_db()
    assert str(error.value) == str(policy.USER_OUTSIDE)
    assert grassroots_cadre.is_active is True


def test_user_deactivate_refuses_a_user_with_a_role_above_the_actor(tree, ward_cadre, board_user):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=ward_cadre, user=board_user)

    board_user.refresh_from_db()
    assert board_user.is_active is True


def test_user_deactivate_refuses_the_actor_itself(tree, ward_cadre):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=ward_cadre, user=ward_cadre)

    ward_cadre.refresh_from_db()
    assert ward_cadre.is_active is True


def test_user_reactivate_opens_a_deactivated_login_again(tree, ward_cadre, grassroots_cadre):
    services.user_deactivate(actor=ward_cadre, user=grassroots_cadre)

    services.user_reactivate(actor=ward_cadre, user=grassroots_cadre)

    grassroots_cadre.refresh_from_db()
    assert grassroots_cadre.is_active is True


def test_user_password_reset_sets_a_new_initial_password(tree, ward_cadre, grassroots_cadre):
    password = services.user_password_reset(actor=ward_cadre, user=grassroots_cadre, password="Mat-khau-moi-2026")

    grassroots_cadre.refresh_from_db()
    assert password == "Mat-khau-moi-2026"
    assert grassroots_cadre.check_password("Mat-khau-moi-2026")
    assert Account.objects.get(user=grassroots_cadre).must_change_password is True


def test_user_password_reset_refuses_a_weak_typed_password(tree, ward_cadre, grassroots_cadre):
    with pytest.raises(ValidationError) as error:
        services.user_password_reset(actor=ward_cadre, user=grassroots_cadre, password="123")

    grassroots_cadre.refresh_from_db()
    assert "password" in error.value.message_dict
    assert grassroots_cadre.check_password("pw")
