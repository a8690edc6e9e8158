"""The organizations a scope covers over a period: the tree of the period's last day, and the units that ended
inside the period where they went (docs/counting-rules.md §3). Statistics over a period (Biểu 1, Biểu 2, the
rolls' movement) count these, so a merged unit's members and admissions are not lost."""

from django.http import Http404

from . import scoping
from .models import Organization, OrgLevel, Placement


def scope_placement(actor, organization_id, on):
    """The scope's placement on `on`: the given organization, or the top of the actor's part of the tree."""
    placements = scoping.visible_placements(actor, on).select_related("organization")
    if organization_id is not None:
        placement = placements.filter(organization_id=organization_id).first()
    else:
        placement = placements.order_by("depth", "path").first()
    if placement is None:
        raise Http404
    return placement


def snapshot_org_ids(actor, placement, on):
    """Ids of the organizations of the scope's subtree on `on` (the tree as it stood that day); the whole of the
    actor's part of the tree when `placement` is None."""
    placements = scoping.visible_placements(actor, on)
    if placement is not None:
        placements = placements.filter(path__startswith=placement.path)
    return set(placements.values_list("organization_id", flat=True))


def _heir(org, successors, on):
    """The organization in force on `on` that took over `org`, following successors, or None."""
    seen = set()
    todo = [org.pk]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for successor in successors.get(current, ()):
            if successor.valid_on(on):
                return successor
            todo.append(successor.pk)
    return None


def period_org_ids(actor, placement, period_start, period_end):
    """Ids of the organizations a form over the period counts: the scope's subtree on its last day, and the units
    that ended inside the period where they went (docs/counting-rules.md §3).

    An ended unit goes where its successor (or the successor of the nearest ended unit above it, for the cells of
    a merged TCCSĐ) sits on the last day; a unit dissolved without successor counts where it last sat.
    """
    ids = snapshot_org_ids(actor, placement, period_end)
    ended = list(Organization.objects.filter(valid_to__gte=period_start, valid_to__lt=period_end))
    if not ended:
        return ids
    successors = {}
    for successor in Organization.objects.filter(successor_of__isnull=False):
        successors.setdefault(successor.successor_of_id, []).append(successor)
    by_id = {org.pk: org for org in ended}
    last = {
        p.organization_id: p
        for p in Placement.objects.filter(organization_id__in=by_id).order_by("valid_from")
        if p.valid_from <= by_id[p.organization_id].valid_to
    }
    for org in ended:
        placement_then = last.get(org.pk)
        chain = [org.pk]
        if placement_then is not None:
            chain += list(reversed(placement_then.ancestor_ids))
        heir = None
        for node in chain:
            # Up through the ended units of the same TCCSĐ only: a district that ended too is not the heir of
            # a TCCSĐ dissolved under it.
            if node not in by_id:
                break
            heir = _heir(by_id[node], successors, period_end)
            if heir is not None or by_id[node].level != OrgLevel.BELOW_GRASSROOTS:
                break
        if heir is not None:
            if heir.pk in ids:
                ids.add(org.pk)
        elif placement_then is not None and _reached(actor, placement, placement_then, org.valid_to):
            ids.add(org.pk)
    return ids


def _reached(actor, scope, placement_then, day):
    """Whether the scope covered a dissolved unit's last position, as the actor may read it on its last day."""
    if scope is None:
        return scoping.can_access(actor, placement_then.organization_id, day)
    scope_then = Placement.objects.on(day).filter(organization_id=scope.organization_id).first()
    if scope_then is None or not placement_then.path.startswith(scope_then.path):
        return False
    return scoping.can_access(actor, placement_then.organization_id, day)
