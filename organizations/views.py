"""The organization tree: roots of the user's scope, children loaded on demand with htmx, and search."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from . import pickers, selectors
from .forms import AsOfForm, TreeSearchForm


@login_required
def tree(request):
    form = TreeSearchForm.from_request(request)
    on = form.as_of
    query = form.cleaned_data.get("q", "").strip()
    context = {"form": form, "on": on, "query": query}
    if query:
        context["results"] = selectors.organization_search(actor=request.user, query=query, on=on)
    else:
        roots = list(selectors.tree_roots(actor=request.user, on=on))
        # A lone root (the province for the Board) is opened at once: a one-row tree says nothing.
        context.update(roots=roots, open_single=len(roots) == 1)
    # The search box and the date field swap only the tree's body; a history restore needs the whole page.
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    template = "organizations/_tree_body.html" if partial else "organizations/tree.html"
    return render(request, template, context)


@login_required
def children(request, organization_id):
    on = AsOfForm.from_request(request).as_of
    # Raises 404 for a node outside the user's scope, so a forged id reveals nothing.
    selectors.placement_get(actor=request.user, organization_id=organization_id, on=on)
    nodes = selectors.tree_children(actor=request.user, parent_id=organization_id, on=on)
    return render(request, "organizations/_children.html", {"nodes": nodes, "on": on})


@login_required
def picker(request):
    """The organization picker's suggestions as JSON: up to 20 organizations of the actor's scope on `ngay` whose
    code starts with, or whose name (with or without diacritics) holds, `q` (static/js/org_picker.js); with
    `ghi=1`, of the part of the tree the actor may change."""
    on = AsOfForm.from_request(request).as_of
    query = request.GET.get("q", "")[:100]
    # `ghi=1`: the part of the tree the actor may change (forms that administer or write), as of today.
    write = request.GET.get("ghi") == "1"
    placements = pickers.picker_options(actor=request.user, on=on, query=query, write=write)
    results = [
        {"id": p.organization_id, "code": p.organization.code, "name": p.organization.name, "depth": p.depth}
        for p in placements
    ]
    return JsonResponse({"results": results})
