"""Every write to users and their roles: the grant rules of organizations.policy, dated roles, audited."""

import secrets
import string

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from organizations import policy, scoping
from organizations.models import Organization, Role, RoleKind
from party_portal.text import clean_text

from .models import Account

USERNAME_TAKEN = _("The login name “%(username)s” is already taken.")
USERNAME_INVALID = _("A login name may hold only letters, digits and the characters @ . + - _ (no spaces).")
ROLE_EXISTS = _(
    "%(user)s already has the role “%(kind)s” at %(organization)s (%(period)s): change the dates of that role "
    "instead of granting it again."
)
KIND_WRONG_LEVEL = _("The role “%(kind)s” is held on %(levels)s, not on %(organization)s.")
ROLE_BEFORE_ORGANIZATION = _("%(organization)s starts on %(date)s: the role cannot start before.")
ROLE_AFTER_ORGANIZATION = _("%(organization)s ends on %(date)s: the role must end by that day.")
DATES_ORDERED = _("The end date must not be before the start date.")
ROLE_ALREADY_ENDED = _("This role already ended on %(date)s.")
END_AFTER_CURRENT = _("The last day must not be after the role's current end, %(date)s.")
FULL_NAME_REQUIRED = _("Type the user's full name.")
ALREADY_ACTIVE = _("This account is already active.")
ALREADY_INACTIVE = _("This account is already deactivated.")

# Letters and digits that cannot be misread when an initial password is read out or copied by hand.
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
GENERATED_LENGTH = 12


def _day(value):
    return value.strftime("%d/%m/%Y")


def _period(role):
    start = _day(role.valid_from) if role.valid_from else "…"
    return f"{start} – {_day(role.valid_to) if role.valid_to else '…'}"


def generate_password():
    """An initial password: random, readable aloud, shown once and changed at the first login."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(GENERATED_LENGTH))


def _refuse_grant(actor, *, user, organization, kind, valid_to):
    refused = policy.grant_refusal(actor, user=user, organization_id=organization.pk, kind=kind, valid_to=valid_to)
    if refused is None:
        return
    field, message, params = refused
    if message is policy.GRANT_OUTSIDE or field == "organization":
        raise PermissionDenied(message % params if params else message)
    raise ValidationError({field: ValidationError(message, params=params)})


def _check_dates(*, organization, kind, valid_from, valid_to):
    levels = policy.KIND_LEVELS[RoleKind(kind)]
    if organization.level not in levels:
        names = ", ".join(str(level.label) for level in levels)
        raise ValidationError(
            {
                "organization": ValidationError(
                    KIND_WRONG_LEVEL,
                    params={"kind": RoleKind(kind).label, "levels": names, "organization": organization.name},
                )
            }
        )
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": DATES_ORDERED})
    if valid_from is not None and valid_from < organization.valid_from:
        raise ValidationError(
            {
                "valid_from": ValidationError(
                    ROLE_BEFORE_ORGANIZATION,
                    params={"organization": organization.name, "date": _day(organization.valid_from)},
                )
            }
        )
    if organization.valid_to is not None and (valid_to is None or valid_to > organization.valid_to):
        raise ValidationError(
            {
                "valid_to": ValidationError(
                    ROLE_AFTER_ORGANIZATION,
                    params={"organization": organization.name, "date": _day(organization.valid_to)},
                )
            }
        )


def _account(user):
    account, _created = Account.objects.get_or_create(user=user)
    return account


def _set_initial_password(*, actor, user, password):
    password_validation.validate_password(password, user)
    user.set_password(password)
    user._history_user = actor
    user.save(update_fields=["password"])
    account = _account(user)
    account.must_change_password = True
    account._history_user = actor
    account.save(update_fields=["must_change_password"])


@transaction.atomic
def role_grant(*, actor, user, organization, kind, valid_from, valid_to=None):
    """Give `user` the role `kind` on `organization` for a period, if the grant rules of the policy allow it."""
    _refuse_grant(actor, user=user, organization=organization, kind=kind, valid_to=valid_to)
    _check_dates(organization=organization, kind=kind, valid_from=valid_from, valid_to=valid_to)
    existing = Role.objects.filter(user=user, organization=organization, kind=kind).first()
    if existing is not None:
        raise ValidationError(
            ROLE_EXISTS,
            params={
                "user": user.get_full_name() or user.username,
                "kind": existing.get_kind_display(),
                "organization": organization.name,
                "period": _period(existing),
            },
        )
    role = Role(user=user, organization=organization, kind=kind, valid_from=valid_from, valid_to=valid_to)
    role._history_user = actor
    role.save()
    return role


@transaction.atomic
def role_update(*, actor, role, valid_from, valid_to):
    """Change the dates of a role (the grant rules apply to the new period); the old ones stay in its history."""
    role = Role.objects.select_for_update().select_related("organization", "user").get(pk=role.pk)
    _refuse_grant(actor, user=role.user, organization=role.organization, kind=role.kind, valid_to=valid_to)
    _check_dates(organization=role.organization, kind=role.kind, valid_from=valid_from, valid_to=valid_to)
    role.valid_from, role.valid_to = valid_from, valid_to
    role._history_user = actor
    role.save(update_fields=["valid_from", "valid_to"])
    return role


@transaction.atomic
def role_end(*, actor, role, last_day):
    """End a role on `last_day` (its last day in force, not after its current end): the role stays, dated, and
    still opens the past it covered."""
    role = Role.objects.select_for_update().select_related("organization", "user").get(pk=role.pk)
    _refuse_grant(actor, user=role.user, organization=role.organization, kind=role.kind, valid_to=last_day)
    if role.valid_to is not None and role.valid_to < scoping.today():
        raise ValidationError(ROLE_ALREADY_ENDED, params={"date": _day(role.valid_to)})
    if role.valid_to is not None and last_day > role.valid_to:
        raise ValidationError({"valid_to": ValidationError(END_AFTER_CURRENT, params={"date": _day(role.valid_to)})})
    if role.valid_from is not None and last_day < role.valid_from:
        raise ValidationError({"valid_to": DATES_ORDERED})
    role.valid_to = last_day
    role._history_user = actor
    role.save(update_fields=["valid_to"])
    return role


@transaction.atomic
def user_create(*, actor, username, full_name, email="", password=None, kind, organization, valid_from, valid_to=None):
    """Create a login with its first role (so that its creator keeps seeing it) and an initial password that must
    be changed at the first login; answers the user and the password, to be shown once."""
    username = (username or "").strip()
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise ValidationError({"username": USERNAME_INVALID}) from None
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": ValidationError(USERNAME_TAKEN, params={"username": username})})
    _refuse_grant(actor, user=None, organization=organization, kind=kind, valid_to=valid_to)
    _check_dates(organization=organization, kind=kind, valid_from=valid_from, valid_to=valid_to)
    # The whole name in first_name: get_full_name() gives it back in Vietnamese order (family name first).
    full_name = clean_text((full_name or "").strip(), field="full_name", label=_("full name"))
    if not full_name:
        raise ValidationError({"full_name": FULL_NAME_REQUIRED})
    user = get_user_model()(username=username, first_name=full_name[:150], email=email or "")
    password = password or generate_password()
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user._history_user = actor
    user.save()
    account = Account(user=user, must_change_password=True)
    account._history_user = actor
    account.save()
    role_grant(actor=actor, user=user, organization=organization, kind=kind, valid_from=valid_from, valid_to=valid_to)
    return user, password


def _refuse_user(actor, user):
    message = policy.user_refusal(actor, user, list(user.party_roles.select_related("organization")))
    if message is not None:
        raise PermissionDenied(message)


@transaction.atomic
def user_deactivate(*, actor, user):
    """Stop a login (its sessions and API tokens with it) when every current role of it is the actor's to grant."""
    _refuse_user(actor, user)
    if not user.is_active:
        raise ValidationError(ALREADY_INACTIVE)
    user.is_active = False
    user._history_user = actor
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_reactivate(*, actor, user):
    """Open a deactivated login again, under the same rule as deactivating it."""
    _refuse_user(actor, user)
    if user.is_active:
        raise ValidationError(ALREADY_ACTIVE)
    user.is_active = True
    user._history_user = actor
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_password_reset(*, actor, user, password=None):
    """Give a login a new initial password (generated unless typed) that must be changed at the next login; its
    sessions and API tokens end. Answers the password, to be shown once."""
    _refuse_user(actor, user)
    password = password or generate_password()
    try:
        _set_initial_password(actor=actor, user=user, password=password)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    return password


@transaction.atomic
def password_changed(*, user):
    """The user chose their own password (the change or reset page): the initial one is gone."""
    account = Account.objects.filter(user=user, must_change_password=True).first()
    if account is None:
        return
    account.must_change_password = False
    account._history_user = user
    account.save(update_fields=["must_change_password"])


def organization_for_grant(*, actor, organization_id):
    """The organization a grant names: PermissionDenied alike for an unknown id and one outside the scope."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or (not actor.is_superuser and not policy.administering_roles(actor, organization_id)):
        raise PermissionDenied(policy.GRANT_OUTSIDE)
    return organization
