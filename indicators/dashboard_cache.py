"""The dashboard's figures part, rendered once per node and snapshot and shared by every reader of the node.

What the figures of a node show depends on the node's snapshots (their times), the targets, the language, whether
each year is still open, and the years in which the reader may see the node (the trend): the shared key holds all
of them and nothing of the reader, so two readers share an entry only when they may read exactly the same
figures. The page around it (breadcrumb, toolbar) is still rendered per user.

`warm_dashboards(year)` renders the entries of the nodes opened most (each top node and the units directly under
it) right after a snapshot refresh, in the refresh job: the first visitor then gets a rendered page.
"""

import hashlib
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from evaluations.models import Level, NotRatedReason
from organizations import scoping
from organizations.models import Placement

from . import dashboard, selectors, target_selectors
from .definitions import definitions_for

# The time limit only bounds the memory of pages nobody opens again: a newer snapshot changes the key.
# 0 turns the cache off (bench/dashboard_load.py --no-cache).
DASHBOARD_CACHE_SECONDS = 3600


def cache_seconds():
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", DASHBOARD_CACHE_SECONDS)


def node_stamp(*, program, versions):
    """What a node's figures depend on besides the reader and the language: its snapshots' times (a newer
    snapshot changes it), the targets, and which years are still open (closing a year turns its provisional
    verdicts final without recomputing a snapshot)."""
    stamp = ",".join(f"{y}:{versions[y].timestamp()}" for y in sorted(versions))
    open_years = ",".join(str(y) for y in sorted(selectors.provisional_years(versions, program)))
    return f"{selectors.targets_version(program)}:{stamp}:{open_years}"


def body_key(*, year, scope_id, stamp, seen_years, tables_of=""):
    """The shared key of a node's figures part (of its page of one group's tables with `tables_of`): no user in
    it (see the module's docstring)."""
    seen = ",".join(str(y) for y in sorted(seen_years))
    # The stamp (six snapshot times, the targets, the open years) and the years seen, as a digest: spelled out
    # they took the key past the 250 characters memcached accepts.
    digest = hashlib.sha256(f"{stamp}:{seen}:{tables_of}".encode()).hexdigest()[:32]
    return f"indicators:dashboard-body:{translation.get_language()}:{year}:{scope_id}:{digest}"


def _cells_summary(cells):
    """Ratings of the cells (chi bộ trực thuộc) of the scope, kept apart from T1: [(label, n)]."""
    rows = [(Level(level).label, cells[level]) for level in Level.values]
    rows += [(NotRatedReason(reason).label, cells[reason]) for reason in NotRatedReason.values if cells[reason]]
    return {"total": cells["total"], "rows": rows}


def _first_group(program):
    """The definition group whose tables the dashboard shows: that of the first definition the program judges or
    tracks (dashboard.sections puts the tables in its first section with figures)."""
    definitions = definitions_for(program)
    rules = selectors.program_rules(program, definitions)
    return next((d.group for d in definitions if d.code in rules), None)


def render_body(*, actor, program, year, scope, nodes=None, tables_of=""):
    """The figures part (tiles, trend, tables) of a node's dashboard, read through the scoped selectors as
    `actor`; it uses nothing of a request, so a job can render it. `nodes`: selectors.trend_nodes of the actor.
    With `tables_of` (a definition group after the first): the tables of that group, for its page."""
    result = selectors.compliance_snapshot(
        actor=actor,
        year=year,
        scope_id=scope.id,
        program=program,
        tables_group=tables_of or _first_group(program),
        scope=scope,
    )
    if tables_of:
        sections = [s for s in dashboard.sections(result, None, tables_of=tables_of) if s.group == tables_of]
        context = {"year": year, "scope": scope, "sections": sections}
        return render_to_string("indicators/_group_tables.html", context)
    trend = selectors.compliance_trend(actor=actor, scope_id=scope.id, program=program, nodes=nodes)
    context = {
        "program": program,
        "year": year,
        "scope": scope,
        "result": result,
        "sections": dashboard.sections(result, trend),
        "cells": _cells_summary(result.cells),
        "chart": dashboard.chart_data(trend, program),
        "applied_targets": target_selectors.applied_targets(node=scope, program=program),
    }
    return render_to_string("indicators/_dashboard_body.html", context)


def shared_body(*, actor, program, year, scope, stamp, tables_of=""):
    """(the figures part of the node's dashboard — or of its page of `tables_of`'s tables —, its shared key):
    from the cache, else rendered and stored. `stamp` is node_stamp of the node's snapshot versions."""
    nodes = selectors.trend_nodes(actor=actor, scope_id=scope.id, program=program)
    key = body_key(year=year, scope_id=scope.id, stamp=stamp, seen_years=nodes, tables_of=tables_of)
    seconds = cache_seconds()
    body = cache.get(key) if seconds else None
    if body is None:
        body = render_body(actor=actor, program=program, year=year, scope=scope, nodes=nodes, tables_of=tables_of)
        if seconds:
            cache.set(key, body, seconds)
    return body, key


def reader_of(org_id, root_id, on):
    """An active user holding a role on the node (else on its top node) that reads it on `on`: the entry is
    rendered as a real reader through the scoped selectors, and serves every reader who sees the same years."""
    roles = Q(
        Q(party_roles__valid_from__isnull=True) | Q(party_roles__valid_from__lte=timezone.localdate()),
        Q(party_roles__valid_to__isnull=True) | Q(party_roles__valid_to__gte=on),
    )
    users = get_user_model().objects.filter(roles, is_active=True)
    for organization_id in (org_id, root_id):
        user = users.filter(party_roles__organization_id=organization_id).order_by("pk").first()
        if user is not None:
            return user
    return None


def warm_dashboards(year):
    """Render the shared figures part of each top node and each unit directly under it for `year`, in the
    default language; a node nobody reads is skipped. Run by the refresh job after the snapshot lands.
    Returns how many entries were rendered."""
    seconds = cache_seconds()
    if not seconds:
        return 0
    program = selectors.default_program()
    if year not in program.years:
        return 0
    on = date(year, 12, 31)
    warmed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for root_id in Placement.objects.on(on).filter(parent__isnull=True).values_list("organization_id", flat=True):
            children = Placement.objects.on(on).filter(parent_id=root_id).values_list("organization_id", flat=True)
            for org_id in [root_id, *children]:
                # One page each, its reader's scope read once per day asked, as a request would.
                with scoping.remembering():
                    warmed += _warm_one(program, year, on, org_id, root_id)
    return warmed


def _warm_one(program, year, on, org_id, root_id):
    """Render the shared figures part of one node as its reader: 1 if rendered, 0 if nobody reads it."""
    reader = reader_of(org_id, root_id, on)
    if reader is None:
        return 0
    try:
        scope = selectors.resolve_scope(actor=reader, scope_id=org_id, on=on)
    except Http404:
        return 0
    versions = selectors.snapshot_versions(actor=reader, node=scope, program=program)
    if year not in versions:
        return 0
    stamp = node_stamp(program=program, versions=versions)
    shared_body(actor=reader, program=program, year=year, scope=scope, stamp=stamp)
    return 1
