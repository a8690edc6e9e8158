"""The user guide in the portal (hướng dẫn sử dụng): one page per role and the counting rules of the indicators.

The guide is a document written in Vietnamese (templates/help/); only the page frame goes through gettext. The
pages hold no data of the tree, so any signed-in user may read every one of them; the index points each user
to the page of the role they hold.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from organizations.models import OrgKind, RoleKind

RULES = "quy-tac-tinh"
BOARD, STEERING, DISTRICT, COMMUNE, GRASSROOTS = (
    "ban-to-chuc",
    "ban-chi-dao",
    "can-bo-huyen",
    "can-bo-xa",
    "can-bo-co-so",
)
# slug -> title; the order of the index.
PAGES = {
    BOARD: _("Provincial Organization Board"),
    STEERING: _("Steering Committee"),
    DISTRICT: _("District-level cadre"),
    COMMUNE: _("Commune / ward committee cadre"),
    GRASSROOTS: _("Grassroots cadre"),
    RULES: _("How every indicator is counted"),
}
ROLE_PAGES = {RoleKind.BOARD: BOARD, RoleKind.STEERING: STEERING, RoleKind.GRASSROOTS_CADRE: GRASSROOTS}


def page_of_role(role):
    """The guide page for one role (a district-level cadre of a commune or ward committee has a page of its own)."""
    if role.kind == RoleKind.DISTRICT_CADRE:
        return COMMUNE if role.organization.kind == OrgKind.COMMUNE_COMMITTEE else DISTRICT
    return ROLE_PAGES.get(role.kind)


def pages_of(user):
    """The guide pages of the roles the user holds, in the order of the index (ended roles included: their
    holders still read the past)."""
    mine = {page_of_role(role) for role in user.party_roles.select_related("organization")}
    return [slug for slug in PAGES if slug in mine]


@login_required
def index(request):
    mine = pages_of(request.user)
    pages = [{"slug": slug, "title": title, "mine": slug in mine} for slug, title in PAGES.items()]
    return render(request, "help/index.html", {"pages": pages})


@login_required
def page(request, slug):
    if slug not in PAGES:
        raise Http404
    return render(
        request,
        f"help/{slug}.html",
        {"slug": slug, "title": PAGES[slug], "pages": [(s, t) for s, t in PAGES.items() if s != slug]},
    )
