"""Every read of the organization tree a page, API or report needs; all scoped to the acting user."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from party_portal.text import fold

from . import scoping
from .models import GRASSROOTS_KINDS, Organization, OrgLevel, Placement, Reorganization
from .querysets import valid_on_q


def _child_count(on):
    children = (
        Placement.objects.on(on)
        .filter(parent=OuterRef("organization_id"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(children), 0)


def tree_roots(*, actor, on):
    """The top nodes of the actor's part of the tree as of `on`."""
    paths = scoping.scope_paths(actor, on)
    return (
        Placement.objects.on(on)
        .filter(path__in=paths)
        .select_related("organization")
        .annotate(child_count=_child_count(on))
        .order_by("organization__code")
    )


def tree_children(*, actor, parent_id, on):
    """Direct sub-units of `parent_id` as of `on`, each with its own number of sub-units."""
    return (
        scoping.visible_placements(actor, on)
        .filter(parent_id=parent_id)
        .select_related("organization")
        .annotate(child_count=_child_count(on))
        .order_by("organization__kind", "organization__code")
    )


def organization_search(*, actor, query, on, limit=50):
    """Organizations in scope on `on` whose name (ignoring diacritics) or code contains `query`."""
    folded = fold(query)
    return (
        scoping.visible_placements(actor, on)
        .filter(Q(organization__name_folded__contains=folded) | Q(organization__code__icontains=query.strip()))
        .select_related("organization", "parent")
        .order_by("depth", "organization__code")[:limit]
    )


def placement_get(*, actor, organization_id, on):
    """The organization's placement on `on`, if the actor may see it; 404 otherwise (no existence leak)."""
    placement = (
        scoping.visible_placements(actor, on)
        .filter(organization_id=organization_id)
        .select_related("organization", "organization__successor_of", "parent")
        .first()
    )
    if placement is None:
        raise Http404
    return placement


def ancestors(*, placement):
    """The chain from the root down to the placement's parent, in order."""
    ids = placement.ancestor_ids
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def organization_history(*, organization):
    """Every placement the organization has had, oldest first, with its parent."""
    return organization.placements.select_related("parent").order_by("valid_from")


def subtree_placements(*, actor, organization_id, on):
    """The whole subtree of a node as of `on` (the node included), within the actor's scope."""
    root = placement_get(actor=actor, organization_id=organization_id, on=on)
    return scoping.visible_placements(actor, on).filter(path__startswith=root.path)


def grassroots_under(*, actor, organization_id, on):
    """The TCCSĐ (grassroots committees and cells) in a node's subtree as of `on`."""
    return subtree_placements(actor=actor, organization_id=organization_id, on=on).filter(
        organization__kind__in=GRASSROOTS_KINDS,
    )


def organizations_valid_on(on):
    return Organization.objects.filter(valid_on_q(on))


def organization_choices(*, actor, on):
    """Organizations in scope on `on` down to the TCCSĐ, in tree order (path), for a filter's drop-down.

    Cells and groups are left out: a province has thousands, too many for one list.
    """
    return (
        scoping.visible_placements(actor, on)
        .exclude(organization__level=OrgLevel.BELOW_GRASSROOTS)
        .select_related("organization")
        .order_by("path")
    )


def organization_for_write(*, actor, organization_id, on):
    """The organization a write names, if the actor may change it on `on`; PermissionDenied otherwise, the same
    for an unknown id as for one outside the scope (a forged id reveals nothing)."""
    scoping.require_access(actor, organization_id, on, write=True)
    return Organization.objects.get(pk=organization_id)


def placement_by_code(*, actor, code, on):
    """The placement on `on` of the organization with this code, if the actor may see it; 404 otherwise."""
    placement = (
        scoping.visible_placements(actor, on).filter(organization__code=code).select_related("organization").first()
    )
    if placement is None:
        raise Http404
    return placement


def reorganization_list(*, actor):
    """Reorganizations naming an organization the actor may read in its present position, newest first."""
    ids = (
        scoping.present_placements().under_paths(scoping.scope_paths(actor, scoping.today())).values("organization_id")
    )
    return (
        Reorganization.objects.filter(
            Q(organization_id__in=ids) | Q(links__predecessor_id__in=ids) | Q(links__successor_id__in=ids)
        )
        .distinct()
        .select_related("organization", "new_parent", "actor")
        .prefetch_related("links__predecessor", "links__successor")
        .order_by("-effective_on", "-pk")
    )
