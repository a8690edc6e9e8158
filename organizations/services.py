"""Every write to the organization tree: validated, scoped to the acting user, audited."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from party_portal.text import clean_text, fold

from . import policy, scoping
from .models import (
    GRASSROOTS_KINDS,
    LEVEL_OF_KIND,
    Organization,
    OrgKind,
    Placement,
    Reorganization,
    ReorganizationKind,
    SuccessorLink,
)

CODE_IN_USE = _("The code %(code)s is already used by an organization in force on %(date)s.")
PARENT_NOT_VALID = _("The parent organization does not exist on %(date)s.")
OWN_ANCESTOR = _("An organization cannot be placed under itself or one of its own sub-units.")
TYPE_REQUIRED = _("A grassroots organization (TCCSĐ) needs a type (loại hình).")
TYPE_NOT_ALLOWED = _("Only grassroots organizations (TCCSĐ) have a type (loại hình).")
ROOT_NEEDS_BOARD = _("Only the Provincial Organization Board can create a top-level organization.")
HAS_OPEN_CHILDREN = _("This organization still has sub-units on %(date)s; move or close them first.")
DATES_ORDERED = _("The end date must not be before the start date.")


def clean_name(name):
    """The services write without a full_clean: the name field's rule (NFC, no invisible characters) is
    applied here."""
    return clean_text(name, field="name", label=Organization._meta.get_field("name").verbose_name)


def code_taken(code, valid_from, exclude_id=None):
    clash = Organization.objects.filter(code=code).exclude(valid_to__lt=valid_from)
    if exclude_id:
        clash = clash.exclude(pk=exclude_id)
    return clash.exists()


@transaction.atomic
def organization_create(
    *, actor, code, name, kind, valid_from, parent=None, org_type="", successor_of=None, record_link=True
):
    """Create an organization under `parent` (which the actor must be able to write) from `valid_from`; a
    `successor_of` is also recorded as a successor link (a merge of one), unless the caller records its own."""
    if parent is None:
        if not policy.can(actor, policy.MANAGE_TREE):
            raise PermissionDenied(ROOT_NEEDS_BOARD)
    else:
        scoping.require_access(actor, parent.pk, valid_from, write=True)
    name = clean_name(name)
    if kind in GRASSROOTS_KINDS and not org_type:
        raise ValidationError({"org_type": TYPE_REQUIRED})
    if kind not in GRASSROOTS_KINDS and org_type:
        raise ValidationError({"org_type": TYPE_NOT_ALLOWED})
    if code_taken(code, valid_from):
        raise ValidationError(
            {"code": ValidationError(CODE_IN_USE, params={"code": code, "date": valid_from.strftime("%d/%m/%Y")})}
        )
    parent_placement = None
    if parent is not None:
        parent_placement = Placement.objects.on(valid_from).filter(organization=parent).first()
        if parent_placement is None:
            raise ValidationError(
                {"parent": ValidationError(PARENT_NOT_VALID, params={"date": valid_from.strftime("%d/%m/%Y")})}
            )
    org = Organization(
        code=code,
        name=name,
        name_folded=fold(name),
        kind=kind,
        level=LEVEL_OF_KIND[OrgKind(kind)],
        org_type=org_type,
        valid_from=valid_from,
        successor_of=successor_of,
    )
    # simple-history finds the user by itself only inside a web request; commands, tasks and imports
    # act too, so every service names its actor on the audit row.
    org._history_user = actor
    org.save()
    prefix = parent_placement.path if parent_placement else "/"
    placement = Placement(
        organization=org,
        parent=parent,
        valid_from=valid_from,
        path=f"{prefix}{org.pk}/",
        depth=parent_placement.depth + 1 if parent_placement else 0,
    )
    placement._history_user = actor
    placement.save()
    if successor_of is not None and record_link:
        _record_succession(actor, successor_of, org)
    return org


def _record_succession(actor, predecessor, successor):
    operation = Reorganization(kind=ReorganizationKind.MERGE, effective_on=successor.valid_from, actor=actor)
    operation._history_user = actor
    operation.save()
    link = SuccessorLink(reorganization=operation, predecessor=predecessor, successor=successor)
    link._history_user = actor
    link.save()


@transaction.atomic
def organization_move(*, actor, organization, new_parent, on):
    """Re-attach `organization` and its whole subtree under `new_parent` from `on`; the past stays as it was."""
    day = on.strftime("%d/%m/%Y")
    current = Placement.objects.on(on).select_for_update().get(organization=organization)
    scoping.require_access(actor, organization.pk, on, write=True)
    scoping.require_access(actor, new_parent.pk, on, write=True)
    target = Placement.objects.on(on).filter(organization=new_parent).first()
    if target is None:
        raise ValidationError({"parent": ValidationError(PARENT_NOT_VALID, params={"date": day})})
    if target.path.startswith(current.path):
        raise ValidationError({"parent": OWN_ANCESTOR})
    subtree = list(Placement.objects.on(on).filter(path__startswith=current.path).order_by("depth"))
    new_prefix = target.path
    old_prefix = current.path[: -len(f"{organization.pk}/")]
    depth_shift = target.depth + 1 - current.depth
    replacements = []
    for placement in subtree:
        replacements.append(
            Placement(
                organization_id=placement.organization_id,
                parent=new_parent if placement.pk == current.pk else placement.parent,
                valid_from=on,
                valid_to=placement.valid_to,
                path=new_prefix + placement.path[len(old_prefix) :],
                depth=placement.depth + depth_shift,
            )
        )
        placement._history_user = actor
        if placement.valid_from == on:
            placement.delete()
        else:
            placement.valid_to = on - timedelta(days=1)
            placement.save(update_fields=["valid_to"])
    for placement in replacements:
        placement._history_user = actor
        placement.save()
    return organization


@transaction.atomic
def organization_close(*, actor, organization, last_day):
    """End `organization` on `last_day` (inclusive); it must have no sub-unit in force after that."""
    # A last day before the start has no tree to check scope in; the start's tree decides, then the dates.
    scoping.require_access(actor, organization.pk, max(last_day, organization.valid_from), write=True)
    if last_day < organization.valid_from:
        raise ValidationError({"valid_to": DATES_ORDERED})
    after = last_day + timedelta(days=1)
    open_children = Placement.objects.filter(parent=organization).exclude(valid_to__lte=last_day)
    if open_children.exists():
        raise ValidationError(HAS_OPEN_CHILDREN, params={"date": after.strftime("%d/%m/%Y")})
    organization.valid_to = last_day
    organization._history_user = actor
    organization.save(update_fields=["valid_to"])
    for placement in Placement.objects.filter(organization=organization).exclude(valid_to__lte=last_day):
        placement.valid_to = last_day
        placement._history_user = actor
        placement.save(update_fields=["valid_to"])
    return organization


@transaction.atomic
def organization_rename(*, actor, organization, name):
    """Rename an organization; scope is judged on the tree of today (or of its last day, if it has ended)."""
    on = organization.valid_to or max(timezone.localdate(), organization.valid_from)
    scoping.require_access(actor, organization.pk, on, write=True)
    name = clean_name(name)
    organization.name = name
    organization.name_folded = fold(name)
    organization._history_user = actor
    organization.save(update_fields=["name", "name_folded"])
    return organization
