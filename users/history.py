"""The audit trail of a user as its administrator reads it: the login, its account flag and its roles."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from organizations.models import Role

from .models import Account

ACCOUNT = _("Account")
LOGIN = _("Login")


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class AuditEntry:
    when: object
    who: object
    door: str
    action: str
    subject: str
    changes: list


def _shown(field, value):
    """Choice fields show their label, booleans yes/no; dates as the pages write them."""
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return value


def _entries(model, records, subject_of, shown_on_create):
    entries = []
    previous = {}
    for record in records:
        before = previous.get(record.id)
        changes = []
        if before is not None:
            for change in record.diff_against(before).changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    FieldChange(str(field.verbose_name), _shown(field, change.old), _shown(field, change.new))
                )
        elif record.history_type == "+":
            for name in shown_on_create:
                field = model._meta.get_field(name)
                value = _shown(field, getattr(record, field.attname))
                if value not in (None, ""):
                    changes.append(FieldChange(str(field.verbose_name), None, value))
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=record.history_user,
                door=record.history_door,
                action=record.history_type,
                subject=subject_of(record),
                changes=changes,
            )
        )
        previous[record.id] = record
    return entries


def user_audit_trail(*, user, roles):
    """Who changed what of the user and of `roles` (those the reader may see), when and through which door,
    newest first."""
    user_model = get_user_model()
    order = ("history_date", "history_id")
    login = user.history.select_related("history_user").order_by(*order)
    account = Account.history.filter(user_id=user.pk).select_related("history_user").order_by(*order)
    names = {role.pk: f"{role.get_kind_display()} – {role.organization.name}" for role in roles}
    role_records = (
        Role.history.filter(id__in=list(names)).select_related("history_user", "organization").order_by(*order)
    )
    entries = [
        *_entries(user_model, login, lambda r: LOGIN, ("username", "first_name", "email", "is_active")),
        *_entries(Account, account, lambda r: ACCOUNT, ("must_change_password",)),
        *_entries(Role, role_records, lambda r: names[r.id], ("valid_from", "valid_to")),
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
