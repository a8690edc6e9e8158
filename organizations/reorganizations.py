"""Reorganizations as one operation: merge, split, move, rename, dissolve — effective on a date, previewed, then
applied and recorded with its successor links.

The level above decides a reorganization: the actor needs a Board or district-level role in force today reaching
the parent of every organization changed and every new parent (a unit at the top of the tree: the Board). Units
that end have their last day the day before the effective date; their members and sub-units go to the successors
on the effective date. Members live in the members app, which this one must not import: members registers the
functions that read and move them (`reorganization_plan.register_member_side`), as evaluations registers closed
years.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from party_portal import closed_years

from . import policy, scoping, services
from .models import Placement, Reorganization, ReorganizationKind, RoleKind, SuccessorLink
from .reorganization_plan import NewUnit, Plan, member_side

REORGANIZERS = (RoleKind.BOARD, RoleKind.DISTRICT_CADRE)

FUTURE_DATE = _("The effective date cannot be in the future: record the reorganization on the day it takes effect.")
NOT_IN_FORCE = _("The organization %(code)s does not exist on %(date)s.")
NO_PREDECESSOR = _("Choose at least one organization to merge.")
TOO_FEW_SUCCESSORS = _("A split needs at least two successor organizations.")
SUCCESSOR_IS_PREDECESSOR = _("The organization %(code)s cannot be both merged away and the one that continues.")
SUCCESSOR_INSIDE = _("The organization %(code)s lies inside an organization that ends; choose one outside it.")
NEW_UNIT_INCOMPLETE = _("The new organization %(code)s needs a name and a kind.")
STARTS_ON_DATE = _("The organization %(code)s starts on %(date)s: it cannot end the day before.")
CHANGED_LATER = _("The organization %(code)s has changes recorded after %(date)s; undo them before this date.")
EVENTS_LATER = _("Movements of members of %(code)s are recorded after %(date)s; a reorganization cannot precede them.")
MAPPING_UNKNOWN = _("%(key)s is neither a sub-unit nor a member on the rolls of %(code)s on %(date)s.")
MAPPING_TARGET = _("%(target)s is not one of the successors of this split.")
MEMBERS_REMAIN = _(
    "%(count)s members are on the rolls of %(code)s or its sub-units on %(date)s: move them first, or merge the "
    "organization instead of dissolving it."
)
SAME_NAME = _("The new name is the same as the current one.")
REORGANIZATION_NOTE = _("Reorganization effective %(date)s")
CHANGED_SINCE_PREVIEW = _("The data changed since the preview; look at the new preview before confirming.")


def _day(on):
    return on.strftime("%d/%m/%Y")


def _error(field_name, message, **params):
    return ValidationError({field_name: ValidationError(message, params=params)})


def _placement(organization, on, field_name):
    placement = Placement.objects.on(on).filter(organization=organization).first()
    if placement is None:
        raise _error(field_name, NOT_IN_FORCE, code=organization.code, date=_day(on))
    return placement


def _check_above(actor, organization, on, field_name):
    """The level above decides: a role reaching the parent on `on` (the Board for a unit at the top)."""
    placement = _placement(organization, on, field_name)
    if placement.parent_id is None:
        policy.require(actor, policy.MANAGE_TREE)
    else:
        scoping.require_access(actor, placement.parent_id, on, write=True, kinds=REORGANIZERS)
    return placement


def _check_parent(actor, parent, on, field_name):
    _placement(parent, on, field_name)
    scoping.require_access(actor, parent.pk, on, write=True, kinds=REORGANIZERS)


def _check_date(plan):
    if plan.effective_on > timezone.localdate():
        raise ValidationError({"effective_on": FUTURE_DATE})
    closed_years.require_open(plan.effective_on, field="effective_on")


def _check_ending(actor, plan, organizations, field_name):
    """Each ending organization: in force on the date, decided by the level above, with no later history."""
    on = plan.effective_on
    placements = {}
    for org in organizations:
        placements[org.pk] = _check_above(actor, org, on, field_name)
        if org.valid_from >= on:
            raise _error(field_name, STARTS_ON_DATE, code=org.code, date=_day(org.valid_from))
        later = Placement.objects.filter(path__contains=f"/{org.pk}/", valid_from__gt=on).exists()
        if later or (org.valid_to is not None):
            raise _error(field_name, CHANGED_LATER, code=org.code, date=_day(on))
    late = member_side().events_after([org.pk for org in organizations], on)
    for org in organizations:
        if org.pk in late:
            raise _error(field_name, EVENTS_LATER, code=org.code, date=_day(on))
    return placements


def _check_successor(actor, plan, unit, placements, field_name):
    """An existing successor must be in force and outside every ending subtree; a new one needs a free code."""
    on = plan.effective_on
    if isinstance(unit, NewUnit):
        if not unit.name or not unit.kind:
            raise _error(field_name, NEW_UNIT_INCOMPLETE, code=unit.code)
        if unit.parent is None:
            policy.require(actor, policy.MANAGE_TREE)
        else:
            _check_parent(actor, unit.parent, on, "parent")
            parent_path = _placement(unit.parent, on, "parent").path
            if any(parent_path.startswith(p.path) for p in placements.values()):
                raise _error("parent", SUCCESSOR_INSIDE, code=unit.parent.code)
        if services.code_taken(unit.code, on):
            raise _error("code", services.CODE_IN_USE, code=unit.code, date=_day(on))
        return
    if unit.pk in placements:
        raise _error(field_name, SUCCESSOR_IS_PREDECESSOR, code=unit.code)
    placement = _placement(unit, on, field_name)
    scoping.require_access(actor, unit.pk, on, write=True, kinds=REORGANIZERS)
    if any(placement.path.startswith(p.path) for p in placements.values()):
        raise _error(field_name, SUCCESSOR_INSIDE, code=unit.code)


def _contents(organization, on):
    """The sub-units directly under `organization` on `on`, and the members on its own rolls."""
    children = [
        p.organization for p in Placement.objects.on(on).filter(parent=organization).select_related("organization")
    ]
    members = member_side().on_rolls([organization.pk], on).get(organization.pk, [])
    return children, members


def plan_merge(*, actor, predecessors, successor, effective_on, **decision):
    """Merge `predecessors` into `successor` (an organization in force, or a NewUnit): they end the day before."""
    policy.require(actor, policy.REORGANIZE)
    plan = Plan(ReorganizationKind.MERGE, effective_on, **decision)
    _check_date(plan)
    if not predecessors:
        raise ValidationError({"predecessors": NO_PREDECESSOR})
    placements = _check_ending(actor, plan, predecessors, "predecessors")
    if isinstance(successor, NewUnit) and successor.parent is None:
        successor.parent = placements[predecessors[0].pk].parent
    _check_successor(actor, plan, successor, placements, "successor")
    plan.ends = list(predecessors)
    plan.successors = [successor]
    plan.begins = [successor] if isinstance(successor, NewUnit) else []
    for org in predecessors:
        children, members = _contents(org, effective_on)
        plan.unit_moves += [(child, org, successor) for child in children]
        if members:
            plan.member_moves.append(([member_id for member_id, _label in members], org, successor))
    return plan


def _successor_by_code(successors, code, field_name):
    for unit in successors:
        if unit.code == code:
            return unit
    raise _error(field_name, MAPPING_TARGET, target=code)


def plan_split(*, actor, predecessor, successors, effective_on, mapping=None, **decision):
    """Split `predecessor` into `successors`; `mapping` sends a sub-unit (by code) or a member (by party record
    number) to a successor's code, everything not named goes to the first successor."""
    policy.require(actor, policy.REORGANIZE)
    plan = Plan(ReorganizationKind.SPLIT, effective_on, **decision)
    _check_date(plan)
    if len(successors) < 2:
        raise ValidationError({"successors": TOO_FEW_SUCCESSORS})
    placements = _check_ending(actor, plan, [predecessor], "predecessor")
    for unit in successors:
        if isinstance(unit, NewUnit) and unit.parent is None:
            unit.parent = placements[predecessor.pk].parent
        _check_successor(actor, plan, unit, placements, "successors")
    children, members = _contents(predecessor, effective_on)
    child_by_code = {child.code: child for child in children}
    member_by_key = {label: member_id for member_id, label in members}
    unit_target = dict.fromkeys(child_by_code.values(), successors[0])
    member_target = dict.fromkeys(member_by_key.values(), successors[0])
    for key, code in (mapping or {}).items():
        target = _successor_by_code(successors, code, "mapping")
        if key in child_by_code:
            unit_target[child_by_code[key]] = target
        elif key in member_by_key:
            member_target[member_by_key[key]] = target
        else:
            raise _error("mapping", MAPPING_UNKNOWN, key=key, code=predecessor.code, date=_day(effective_on))
    plan.ends = [predecessor]
    plan.successors = list(successors)
    plan.begins = [unit for unit in successors if isinstance(unit, NewUnit)]
    plan.unit_moves = [(child, predecessor, target) for child, target in unit_target.items()]
    for target in successors:
        moving = [member_id for member_id, chosen in member_target.items() if chosen is target]
        if moving:
            plan.member_moves.append((moving, predecessor, target))
    return plan


def plan_move(*, actor, organization, new_parent, effective_on, **decision):
    """Re-attach `organization` and its subtree under `new_parent` from the date."""
    policy.require(actor, policy.REORGANIZE)
    plan = Plan(ReorganizationKind.MOVE, effective_on, organization=organization, new_parent=new_parent, **decision)
    _check_date(plan)
    _check_above(actor, organization, effective_on, "organization")
    _check_parent(actor, new_parent, effective_on, "new_parent")
    return plan


def plan_rename(*, actor, organization, new_name, effective_on, **decision):
    """Give `organization` a new name from the date (its old name stays on the record)."""
    policy.require(actor, policy.REORGANIZE)
    new_name = services.clean_name(new_name)
    plan = Plan(ReorganizationKind.RENAME, effective_on, organization=organization, new_name=new_name, **decision)
    _check_date(plan)
    _check_above(actor, organization, effective_on, "organization")
    if new_name == organization.name:
        raise ValidationError({"new_name": SAME_NAME})
    return plan


def plan_dissolve(*, actor, organization, effective_on, **decision):
    """End `organization` and its sub-units the day before the date; refused while members remain on their rolls."""
    policy.require(actor, policy.REORGANIZE)
    plan = Plan(ReorganizationKind.DISSOLVE, effective_on, organization=organization, **decision)
    _check_date(plan)
    placements = _check_ending(actor, plan, [organization], "organization")
    subtree = Placement.objects.on(effective_on).filter(path__startswith=placements[organization.pk].path)
    remaining = member_side().count_in_subtree(placements[organization.pk].path, effective_on)
    if remaining:
        raise _error("organization", MEMBERS_REMAIN, count=remaining, code=organization.code, date=_day(effective_on))
    plan.ends = [p.organization for p in subtree.select_related("organization").order_by("-depth", "path")]
    return plan


PLANNERS = {
    ReorganizationKind.MERGE: plan_merge,
    ReorganizationKind.SPLIT: plan_split,
    ReorganizationKind.MOVE: plan_move,
    ReorganizationKind.RENAME: plan_rename,
    ReorganizationKind.DISSOLVE: plan_dissolve,
}


def reorganization_preview(*, actor, kind, **arguments):
    """What the operation would change, checked as for applying it; nothing is written."""
    return PLANNERS[kind](actor=actor, **arguments)


def _resolve(unit):
    return unit.created if isinstance(unit, NewUnit) else unit


@transaction.atomic
def reorganization_apply(*, actor, kind, fingerprint=None, **arguments):
    """Carry out the operation and record it; with `fingerprint`, only if it still matches the preview."""
    plan = PLANNERS[kind](actor=actor, **arguments)
    if fingerprint is not None and fingerprint != plan.fingerprint():
        raise ValidationError(CHANGED_SINCE_PREVIEW)
    on = plan.effective_on
    operation = Reorganization(
        kind=kind,
        effective_on=on,
        decision_number=plan.decision_number,
        decision_date=plan.decision_date,
        note=plan.note,
        organization=plan.organization,
        new_parent=plan.new_parent,
        actor=actor,
    )
    for unit in plan.begins:
        unit.created = services.organization_create(
            actor=actor,
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            org_type=unit.org_type,
            valid_from=on,
            parent=unit.parent,
            successor_of=plan.ends[0] if kind in (ReorganizationKind.MERGE, ReorganizationKind.SPLIT) else None,
            record_link=False,
        )
    if kind == ReorganizationKind.MOVE:
        services.organization_move(actor=actor, organization=plan.organization, new_parent=plan.new_parent, on=on)
    if kind == ReorganizationKind.RENAME:
        operation.old_name, operation.new_name = plan.organization.name, plan.new_name
        services.organization_rename(actor=actor, organization=plan.organization, name=plan.new_name)
    for unit, _source, target in plan.unit_moves:
        services.organization_move(actor=actor, organization=unit, new_parent=_resolve(target), on=on)
    note = " – ".join(filter(None, [str(REORGANIZATION_NOTE) % {"date": _day(on)}, plan.decision_number]))
    moved = {}
    for member_ids, source, target in plan.member_moves:
        member_side().transfer(
            actor=actor,
            member_ids=member_ids,
            from_organization=source,
            to_organization=_resolve(target),
            on=on,
            note=note,
        )
        moved[(source.pk, _resolve(target).pk)] = len(member_ids)
    operation.members_moved = sum(moved.values())
    operation._history_user = actor
    operation.save()
    for org in plan.ends:
        member_side().end_seats(actor=actor, organization=org, last_day=plan.last_day)
        services.organization_close(actor=actor, organization=org, last_day=plan.last_day)
    if kind in (ReorganizationKind.MERGE, ReorganizationKind.SPLIT):
        for source in plan.ends:
            for target in map(_resolve, plan.successors):
                link = SuccessorLink(
                    reorganization=operation,
                    predecessor=source,
                    successor=target,
                    members_moved=moved.get((source.pk, target.pk), 0),
                )
                link._history_user = actor
                link.save()
    return operation
