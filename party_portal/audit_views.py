"""The audit trail page of any audited record (/lich-su/<kind>/<id>/), for whoever may read the record."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .audit_kinds import KINDS, newest_row
from .audit_trail import audit_trail


@login_required
def trail_view(request, kind, object_id):
    """404 for an unknown kind, a record that never existed or one outside the actor's part of the tree alike."""
    found = KINDS.get(kind)
    row = newest_row(found, object_id) if found else None
    if row is None or not found.may_read(request.user, row):
        raise Http404
    context = {
        "kind": found.model._meta.verbose_name,
        "record": row,
        "deleted": row.history_type == "-",
        "entries": audit_trail(parts=found.parts(row)),
    }
    return render(request, "audit/trail.html", context)
