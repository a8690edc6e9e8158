"""Turn what a page, an API call or an Excel row names (codes, ids) into the organizations a reorganization acts on,
with a message naming the field when one cannot be found in the actor's part of the tree."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from . import scoping
from .models import Organization, ReorganizationKind
from .reorganization_plan import NewUnit

CODE_NOT_FOUND = _("No organization with the code %(code)s is in force on %(date)s in your part of the tree.")
REQUIRED_FOR_KIND = _("This field is required for this kind of reorganization.")

# The arguments each kind takes besides the date and the decision (organizations.reorganizations.PLANNERS).
FIELDS_OF_KIND = {
    ReorganizationKind.MERGE: ("predecessors", "successor"),
    ReorganizationKind.SPLIT: ("predecessor", "successors", "mapping"),
    ReorganizationKind.MOVE: ("organization", "new_parent"),
    ReorganizationKind.RENAME: ("organization", "new_name"),
    ReorganizationKind.DISSOLVE: ("organization",),
}
OPTIONAL = {"mapping"}
DECISION_FIELDS = ("decision_number", "decision_date", "note")


def _not_found(field, code, on):
    return ValidationError(
        {field: ValidationError(CODE_NOT_FOUND, params={"code": code, "date": on.strftime("%d/%m/%Y")})}
    )


def organization_by_code(*, actor, code, on, field):
    """The organization with this code in force on `on` in the actor's part of the tree."""
    placement = scoping.visible_placements(actor, on).filter(organization__code=code).select_related("organization")
    found = placement.first()
    if found is None:
        raise _not_found(field, code, on)
    return found.organization


def organization_by_id(*, actor, organization_id, on, field):
    """The organization with this id, if the actor may read it on `on`; an unknown id reads like an unseen one."""
    if not scoping.can_access(actor, organization_id, on):
        raise PermissionDenied(scoping.NOT_IN_SCOPE)
    return Organization.objects.get(pk=organization_id)


def successor_by_code(*, actor, code, on, field, name="", kind="", org_type="", parent_code=""):
    """An organization in force with this code in the actor's part of the tree, or a new one to create (name,
    kind, type, parent by code)."""
    existing = scoping.visible_placements(actor, on).filter(organization__code=code).select_related("organization")
    if existing.exists():
        return existing.first().organization
    if not name:
        # Named without a name to create it under: an existing one was meant, and one out of sight is not told apart.
        raise _not_found(field, code, on)
    parent = organization_by_code(actor=actor, code=parent_code, on=on, field="parent") if parent_code else None
    return NewUnit(code=code, name=name, kind=kind, org_type=org_type or "", parent=parent)


def arguments_for(kind, values):
    """The planner's keyword arguments from a dict of resolved values; a missing one is an error on its field."""
    missing = {
        name: REQUIRED_FOR_KIND
        for name in FIELDS_OF_KIND[kind]
        if name not in OPTIONAL and values.get(name) in (None, "", [])
    }
    if missing:
        raise ValidationError(missing)
    arguments = {name: values[name] for name in FIELDS_OF_KIND[kind] if name in values}
    arguments.update({name: values[name] for name in DECISION_FIELDS if values.get(name) is not None})
    arguments["effective_on"] = values["effective_on"]
    return arguments
