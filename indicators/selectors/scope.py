"""Scope resolution: the node an actor reads, the subtree under it as of a date, and its ancestors."""

from dataclasses import dataclass

from django.http import Http404

from organizations import scoping
from organizations.models import GRASSROOTS_KINDS, Organization, Placement

from ..models import Program


@dataclass(frozen=True)
class Node:
    id: int
    code: str
    name: str
    kind: str
    org_type: str
    path: str
    depth: int


def default_program():
    """The latest program; there is always one (a data migration loads 2020–2025) unless an admin removed it."""
    program = Program.objects.order_by("-last_year", "code").first()
    if program is None:
        raise Http404("No action program is defined.")
    return program


# A placement's columns that make a Node, in its fields' order: `Node(*row)` for a row of values_list(*NODE_FIELDS).
NODE_FIELDS = (
    "organization_id",
    "organization__code",
    "organization__name",
    "organization__kind",
    "organization__org_type",
    "path",
    "depth",
)


def _subtree(scope_path, on):
    rows = Placement.objects.on(on).filter(path__startswith=scope_path).values_list(*NODE_FIELDS)
    return {row[0]: Node(*row) for row in rows}


def _in_subtree(scope_path, on):
    """A filter on organization_id: the organizations of the subtree as of `on`, as a subquery (never a
    list of thousands of ids), or nothing at all for a whole tree."""
    if scope_path is None:
        return {}
    return {
        "organization_id__in": Placement.objects.on(on).filter(path__startswith=scope_path).values("organization_id")
    }


def _grassroots_of(nodes):
    """Map every organization of the subtree to the TCCSĐ it belongs to (itself for a TCCSĐ)."""
    grassroots = {node_id for node_id, node in nodes.items() if node.kind in GRASSROOTS_KINDS}
    owner = {}
    for node_id, node in nodes.items():
        for ancestor in (int(part) for part in node.path.strip("/").split("/")):
            if ancestor in grassroots:
                owner[node_id] = ancestor
                break
    return owner


def resolve_scope(*, actor, scope_id, on):
    """The scope node as of `on`: the given one if the actor may read it, else the top of the actor's scope."""
    if scope_id is None:
        paths = scoping.scope_paths(actor, on)
        if not paths:
            raise Http404
        placement = Placement.objects.on(on).select_related("organization").get(path=paths[0])
    else:
        placement = (
            scoping.visible_placements(actor, on)
            .filter(organization_id=scope_id)
            .select_related("organization")
            .first()
        )
        if placement is None:
            raise Http404
    org = placement.organization
    return Node(org.pk, org.code, org.name, org.kind, org.org_type, placement.path, placement.depth)


def scope_ancestors(*, actor, node, on):
    """The ancestors of a node that the actor may open (their part of the tree), root first: [(id, name)]."""
    paths = scoping.scope_paths(actor, on)
    ids = [int(part) for part in node.path.strip("/").split("/")[:-1]]
    prefixes = {org_id: "/" + "/".join(str(i) for i in ids[: n + 1]) + "/" for n, org_id in enumerate(ids)}
    visible = [org_id for org_id in ids if any(prefixes[org_id].startswith(path) for path in paths)]
    names = dict(Organization.objects.filter(pk__in=visible).values_list("pk", "name"))
    return [(org_id, names[org_id]) for org_id in visible if org_id in names]
