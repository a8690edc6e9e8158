"""The audit trail of any audited record, readable in the portal: who, when, through which door, and what changed
(old → new, by the field's name as people call it and the value as the pages show it).

One selector reads the simple-history rows of one or several records (a member with every dated record of theirs)
and diffs each row against the one before it of the same record. Its cost does not grow with the rows: one query
per kind of record, then one per kind of related object named in the changes (their display names, in bulk).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .doors import ADMIN, API, COMMAND, IMPORT, OTHER, TASK, WEB

DOOR_LABELS = {
    WEB: _("web page"),
    ADMIN: _("administration"),
    API: _("API"),
    COMMAND: _("command"),
    TASK: _("background task"),
    IMPORT: _("file import"),
    OTHER: _("other"),
}
ACTION_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
EMPTY = "—"
# Derived or bookkeeping columns: listing them would double every real change or show machine state.
EXCLUDED_FIELDS = {"id", "name_folded"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class TrailEntry:
    when: datetime
    who: str
    door: str
    action: str
    deleted: bool
    record: str
    changes: list


def _label(field):
    """The field's name as people call it; a foreign key left unnamed takes its model's name."""
    verbose = str(field.verbose_name)
    if field.is_relation and verbose == field.name.replace("_", " "):
        return capfirst(field.related_model._meta.verbose_name)
    return capfirst(verbose)


def _related_name(obj):
    for attribute in ("full_name", "name", "year", "username"):
        value = getattr(obj, attribute, None)
        if value not in (None, ""):
            if attribute == "username" and (obj.get_full_name() if hasattr(obj, "get_full_name") else ""):
                return obj.get_full_name()
            return str(value)
    return str(obj)


def _shown(field, value, related):
    if value in (None, ""):
        return EMPTY
    if field.is_relation:
        return related.get((field.related_model, value), EMPTY)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return formats.date_format(value, "d/m/Y H:i")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return formats.number_format(value.normalize(), use_l10n=True)
    return str(value)


def _fields(model):
    history_model = model.history.model
    tracked = {field.name for field in history_model.tracked_fields}
    return [
        field
        for field in model._meta.concrete_fields
        if field.name in tracked and field.name not in EXCLUDED_FIELDS and not isinstance(field, models.JSONField)
    ]


def _related_values(parts_rows):
    """Display names of every related object named in the rows: one query per related model."""
    wanted = defaultdict(set)
    for model, rows in parts_rows:
        for field in _fields(model):
            if field.is_relation:
                wanted[field.related_model].update(getattr(row, field.attname) for row in rows)
    related = {}
    for related_model, ids in wanted.items():
        ids.discard(None)
        if ids:
            for pk, obj in related_model._base_manager.in_bulk(ids).items():
                related[(related_model, pk)] = _related_name(obj)
    return related


def _who(row):
    user = row.history_user
    if user is None:
        return EMPTY
    return user.get_full_name() or user.get_username()


def _entries(model, rows, related):
    fields = _fields(model)
    kind = capfirst(model._meta.verbose_name)
    entries = []
    previous = {}
    for row in rows:
        before = previous.get(row.id)
        changes = []
        for field in fields:
            new = getattr(row, field.attname)
            old = getattr(before, field.attname) if before is not None else None
            if row.history_type == "-" or (before is not None and old == new) or (before is None and new in (None, "")):
                continue
            changes.append(FieldChange(_label(field), _shown(field, old, related), _shown(field, new, related)))
        entries.append(
            TrailEntry(
                when=row.history_date,
                who=_who(row),
                door=str(DOOR_LABELS.get(row.history_door, row.history_door)),
                action=str(ACTION_LABELS.get(row.history_type, row.history_type)),
                deleted=row.history_type == "-",
                record=kind,
                changes=changes,
            )
        )
        previous[row.id] = row
    return entries


def audit_trail(*, parts):
    """The audit rows of the records named by `parts` — (model, filter on its history rows) pairs — newest first.

    The caller has checked that the actor may read every record named (party_portal.audit_kinds)."""
    parts_rows = []
    for model, lookup in parts:
        rows = list(
            model.history.model.objects.filter(**lookup)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        parts_rows.append((model, rows))
    related = _related_values(parts_rows)
    entries = []
    for model, rows in parts_rows:
        entries += _entries(model, rows, related)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
