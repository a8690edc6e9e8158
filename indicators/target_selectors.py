"""Reads of the program's targets and the districts' own targets: the targets page, its forms, and which target
applies to the scope a dashboard shows."""

from dataclasses import dataclass
from datetime import date

from django.shortcuts import get_object_or_404

from organizations import scoping
from organizations.models import Organization, OrgLevel

from .definitions import definitions_for
from .models import Program, Target, TargetOverride
from .selectors.figures import program_overrides, program_targets


@dataclass(frozen=True)
class AppliedTarget:
    """The target a node is judged against for one indicator: the program's, or an ancestor's own."""

    indicator: str
    label: str
    comparator: str
    threshold: object
    # The district-level unit whose own target applies; None for the program's (the province's).
    source: str | None
    decided_on: date | None
    decision_number: str


def _readable(actor, overrides):
    """The overrides on units the actor may read, each on its unit's last day when it has ended (a former
    district's cadre still reads its past): one scoping read per distinct day."""
    today = scoping.today()
    by_day = {}
    for override in overrides:
        ended = override.organization.valid_to
        by_day.setdefault(min(today, ended) if ended else today, []).append(override)
    readable = []
    for day, group in by_day.items():
        ids = {o.organization_id for o in group}
        visible = set(
            scoping.visible_placements(actor, day)
            .filter(organization_id__in=ids)
            .values_list("organization_id", flat=True)
        )
        readable += [o for o in group if o.organization_id in visible]
    return sorted(readable, key=lambda o: o.organization.code)


def _with_definitions(targets, program):
    """The targets with their indicator definitions attached (`target.indicator_name`), from the definitions the
    program object has read already: the dashboard reads them once per request."""
    definitions = {definition.code: definition for definition in definitions_for(program)}
    for target in targets:
        target._definition = definitions.get(target.indicator)
    return targets


def target_list(*, actor, program):
    """The program's targets, each with the overrides of the units the actor may read (`target.shown_overrides`)."""
    targets = _with_definitions(list(program.targets.order_by("indicator")), program)
    overrides = (
        TargetOverride.objects.filter(target__program=program)
        .select_related("organization")
        .order_by("organization__code")
    )
    by_target = {}
    for override in _readable(actor, overrides):
        by_target.setdefault(override.target_id, []).append(override)
    for target in targets:
        target.shown_overrides = by_target.get(target.pk, [])
    return targets


def program_get(*, code):
    """An action program by its code (the programs are the province's: every role may read them)."""
    return get_object_or_404(Program, code=code)


def target_get(*, program, target_id):
    """One target of the program (the targets are the province's: every role may read them)."""
    return get_object_or_404(Target, pk=target_id, program=program)


def override_organizations(*, actor):
    """The district-level units the actor may give a target of their own, by code."""
    return list(
        Organization.objects.filter(
            level=OrgLevel.UPPER_GRASSROOTS, pk__in=scoping.writable_now_org_ids(actor)
        ).order_by("code")
    )


def overridden_organizations(*, actor, target):
    """The units the actor may write that have an own target for `target` (the choices of ending one)."""
    return list(
        Organization.objects.filter(
            target_overrides__target=target, pk__in=scoping.writable_now_org_ids(actor)
        ).order_by("code")
    )


def applied_targets(*, node, program):
    """Per indicator, the target that applies to `node` (a resolved scope): the nearest own target of the node
    or an ancestor, else the program's. From the targets and overrides the program object has read already (the
    dashboard judged its figures with them)."""
    ancestry = [int(part) for part in node.path.strip("/").split("/")][::-1]
    overrides = program_overrides(program)
    targets = sorted(program_targets(program).values(), key=lambda target: target.indicator)
    applied = []
    for target in _with_definitions(targets, program):
        found = next((overrides[(target.pk, org)] for org in ancestry if (target.pk, org) in overrides), None)
        source = found or target
        applied.append(
            AppliedTarget(
                indicator=target.indicator,
                label=target.indicator_name,
                comparator=target.get_comparator_display(),
                threshold=source.threshold,
                source=found.organization.name if found else None,
                decided_on=source.decided_on,
                decision_number=source.decision_number,
            )
        )
    return applied
