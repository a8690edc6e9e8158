"""Member pages, and the organization page (it lists members, and organizations must not import members)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from organizations import selectors as org_selectors
from organizations.forms import AsOfForm
from party_portal import doors

from . import selectors
from .forms import MemberFilterForm
from .models import SeatRole, TheoryLevel

PAGE_SIZE = 50
PAGE_PARAM = "trang"

DOOR_LABELS = {
    doors.WEB: _("web page"),
    doors.ADMIN: _("administration"),
    doors.API: _("API"),
    doors.COMMAND: _("command"),
    doors.TASK: _("background task"),
    doors.IMPORT: _("file import"),
    doors.OTHER: _("other"),
}
ACTION_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Secretary first, as on a committee's own list; the selector orders by the stored code.
SEAT_RANK = {role: rank for rank, role in enumerate(SeatRole.values)}


def _theory_label(level):
    return TheoryLevel(level or TheoryLevel.NONE).label


def _page_of_stints(request, stints, on):
    """One page of roll stints, each labelled for display (theory level, official or probationary on `on`)."""
    page = Paginator(stints, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    for stint in page.object_list:
        stint.theory_label = _theory_label(stint.theory_level)
        stint.is_official = stint.member.is_official_on(on)
    return page


@login_required
def member_list(request):
    on = AsOfForm.from_request(request).as_of
    placements = org_selectors.organization_choices(actor=request.user, on=on)
    form = MemberFilterForm.from_request(request, placements=placements)
    stints = selectors.member_list(actor=request.user, on=on, **form.filters())
    page = _page_of_stints(request, stints, on)
    return render(request, "members/member_list.html", {"form": form, "on": on, "page": page})


@login_required
def member_detail(request, member_id):
    form = AsOfForm.from_request(request)
    on = form.as_of
    member = selectors.member_get(actor=request.user, member_id=member_id, on=on)
    history = selectors.member_history(member=member)
    for qualification in history.theory_levels:
        qualification.label = _theory_label(qualification.level)
    trail = selectors.member_audit_trail(member=member)
    audit = [
        {"entry": entry, "door": DOOR_LABELS.get(entry.door, entry.door), "action": ACTION_LABELS[entry.action]}
        for entry in trail
    ]
    last_stint = next((s for s in reversed(history.memberships) if s.start <= on), None)
    context = {
        "form": form,
        "member": member,
        "on": on,
        "is_official": member.is_official_on(on),
        "last_stint": last_stint,
        # A stint ending on D no longer counts on D (Membership's rule).
        "on_rolls": last_stint is not None and (last_stint.end is None or last_stint.end > on),
        "statuses": [p for p in history.status_periods if p.start <= on and (p.end is None or p.end >= on)],
        "history": history,
        "audit": audit,
    }
    return render(request, "members/member_detail.html", context)


@login_required
def organization_detail(request, organization_id):
    form = AsOfForm.from_request(request)
    on = form.as_of
    placement = org_selectors.placement_get(actor=request.user, organization_id=organization_id, on=on)
    committee = sorted(selectors.committee_on(organization_id=organization_id, on=on), key=lambda s: SEAT_RANK[s.role])
    for seat in committee:
        seat.theory_label = _theory_label(seat.theory_level)
    stints = selectors.member_list(actor=request.user, on=on, organization_id=organization_id)
    context = {
        "form": form,
        "placement": placement,
        "organization": placement.organization,
        "on": on,
        "ancestors": org_selectors.ancestors(placement=placement),
        "placements": org_selectors.organization_history(organization=placement.organization),
        "children": org_selectors.tree_children(actor=request.user, parent_id=organization_id, on=on),
        "committee": committee,
        "page": _page_of_stints(request, stints, on),
    }
    return render(request, "members/organization_detail.html", context)
