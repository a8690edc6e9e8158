"""Member pages, and the organization page (it lists members, and organizations must not import members)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from organizations import policy, scoping
from organizations import selectors as org_selectors
from organizations.forms import AsOfForm
from organizations.models import OrgKind, OrgLevel
from party_portal import counting, excel
from party_portal.audit_trail import audit_trail

from . import exports, selectors, services, unit_picker
from .forms import (
    TRANSFER_WITHIN,
    DisciplineForm,
    MemberAdmitForm,
    MemberArriveForm,
    MemberFilterForm,
    MemberIdentityForm,
    MovementForm,
    StatusPeriodForm,
    TheoryLevelForm,
)
from .models import Member, SeatRole, TheoryLevel

PAGE_SIZE = 50
PAGE_PARAM = "trang"

# Secretary first, as on a committee's own list; the selector orders by the stored code.
SEAT_RANK = {role: rank for rank, role in enumerate(SeatRole.values)}


def _theory_label(level):
    return TheoryLevel(level or TheoryLevel.NONE).label


def _page_of_stints(request, stints, on, *, count_key):
    """One page of roll stints (in name order), each labelled for display (theory level, official or
    probationary on `on`).

    The "next" and "previous" links carry the position of the page they leave (`sau`: the last row's member,
    `truoc`: the first row's): the page they lead to starts there in the name index, so page 100 reached by
    "next" costs what the first page costs. The last page is read from the end of the list backwards. Any
    other page — a page number typed in the address, an unknown position — is found by skipping rows: its
    ids first, in the list's order, without the theory level or the organization (PostgreSQL would compute
    the theory-level subquery and join the organization of every row it skips), then the 50 rows whole.
    Beyond 1,000 rows the count is an estimate (or a cached exact count) unless asked for exactly
    (party_portal.counting)."""
    paginator = counting.LargeCountPaginator(
        stints.values_list("pk", flat=True), PAGE_SIZE, key=count_key, exact=counting.wants_exact(request)
    )
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    after, before = _position(request, AFTER_PARAM, on), _position(request, BEFORE_PARAM, on)
    if page.number == 1:  # nothing skipped: one query, as before
        rows = list(stints[:PAGE_SIZE])
    elif after is not None:
        rows = list(stints.filter(_past(after, "gt"))[:PAGE_SIZE])
    elif before is not None:
        rows = list(stints.filter(_past(before, "lt")).reverse()[:PAGE_SIZE])[::-1]
    elif page.number == paginator.num_pages:
        rows = list(stints.reverse()[: paginator.count - (page.number - 1) * PAGE_SIZE])[::-1]
    else:
        rows = list(stints.filter(pk__in=list(page.object_list)))
    page.object_list = rows
    if rows:
        page.after, page.before = rows[-1].member_id, rows[0].member_id
    for stint in rows:
        stint.theory_label = _theory_label(stint.theory_level)
        stint.is_official = stint.member.is_official_on(on)
    return page


# The position a "next" or "previous" link carries: a member's id (see _page_of_stints).
AFTER_PARAM = "sau"
BEFORE_PARAM = "truoc"


def _position(request, param, on):
    """(name_folded, member id) of the member the link names, or None (no link, not a number, or no member on the
    reader's rolls on `on`). A link names a row of the list, so the member is read through the reader's scope:
    a position cannot place a member the reader may not see."""
    value = request.GET.get(param, "")
    if not value.isdigit():
        return None
    rolls = selectors.rolls(actor=request.user, on=on).filter(member_id=int(value))
    name = rolls.values_list("member__name_folded", flat=True).first()
    return None if name is None else (name, int(value))


def _positioned(request, on):
    """Whether _page_of_stints reads this page forward from a "next" link's position (past the first page): the
    walk of the name index then starts at that row, and a search needs no lower bound of its own. A "previous"
    link's page is read backwards, and that walk stops at the bound."""
    number = request.GET.get(PAGE_PARAM, "")
    return number.isdigit() and int(number) > 1 and _position(request, AFTER_PARAM, on) is not None


def _past(position, direction):
    """Stints after ("gt") or before ("lt") `position` in the list's order (name_folded, member id). The
    redundant bound on the name alone lets PostgreSQL start its walk of the name index at the position."""
    name, member_id = position
    return Q(**{f"member__name_folded__{direction}e": name}) & (
        Q(**{f"member__name_folded__{direction}": name})
        | Q(member__name_folded=name, **{f"member_id__{direction}": member_id})
    )


@login_required
def member_list(request):
    on = AsOfForm.from_request(request).as_of
    form = MemberFilterForm.from_request(request, actor=request.user)
    filters = form.filters()
    stints = selectors.member_list(actor=request.user, on=on, positioned=_positioned(request, on), **filters)
    page = _page_of_stints(
        request, stints, on, count_key=counting.cache_key("members:list", request.user.pk, on, filters)
    )
    export_url = excel.download_url(request, "members:list_export", page_param=PAGE_PARAM)
    return render(request, "members/member_list.html", {"form": form, "on": on, "page": page, "export_url": export_url})


@login_required
def member_list_export(request):
    """The member list page as an Excel file: same scope, date and filters, every page."""
    on = AsOfForm.from_request(request).as_of
    form = MemberFilterForm.from_request(request, actor=request.user)
    filters = form.filters()
    stints = selectors.member_list(actor=request.user, on=on, **filters)
    # The header names the filtered organization, else the top of the actor's scope (a cell's secretary: the cell).
    organization = form.chosen_organization()
    if organization is None:
        chosen = scoping.visible_placements(request.user, on).select_related("organization").order_by("depth").first()
        if chosen is None:
            raise Http404
        organization = chosen.organization
    content = exports.member_list_workbook(
        organization=organization, stints=stints, on=on, filters_text=exports.filters_text(form)
    )
    return excel.xlsx_response(content, f"dang-vien-{organization.code}-{on:%Y%m%d}.xlsx")


def _mark_endable(actor, records):
    """Set `can_end` on each open record (a seat, a post) whose unit the actor may change today."""
    open_units = {record.organization_id for record in records if record.end is None}
    if not open_units:
        return
    endable = set(
        scoping.present_placements()
        .filter(organization_id__in=open_units)
        .filter(organization_id__in=scoping.writable_now_org_ids(actor))
        .values_list("organization_id", flat=True)
    )
    for record in records:
        record.can_end = record.end is None and record.organization_id in endable


def _seat_links(actor, member, history, can_write):
    """Whether the member page links to adding a seat or a post, and to ending each open seat and post
    (`can_end`): the units the actor may change today. The pages behind the links check again, on the dates
    entered."""
    records = [*history.committee_seats, *history.government_posts]
    for record in records:
        record.can_end = False
    if not policy.can(actor, policy.ENTER_DATA):
        return False
    _mark_endable(actor, records)
    # Who may change the member's latest unit may seat them on its committee; others perhaps on an earlier one.
    return can_write or selectors.seat_organizations(actor=actor, member=member).exists()


@login_required
def member_detail(request, member_id):
    form = AsOfForm.from_request(request)
    on = form.as_of
    member = selectors.member_get(actor=request.user, member_id=member_id, on=on)
    history = selectors.member_history(member=member)
    for qualification in history.theory_levels:
        qualification.label = _theory_label(qualification.level)
    last_stint = next((s for s in reversed(history.memberships) if s.start <= on), None)
    latest = history.memberships[-1] if history.memberships else None
    can_write = latest is not None and policy.can(request.user, policy.ENTER_DATA, latest.organization_id)
    context = {
        # The data-entry links: the services check the same scope again on every write.
        "can_write": can_write,
        "can_add_seat": _seat_links(request.user, member, history, can_write),
        "form": form,
        "member": member,
        "on": on,
        "is_official": member.is_official_on(on),
        "last_stint": last_stint,
        # A stint ending on D no longer counts on D (Membership's rule).
        "on_rolls": last_stint is not None and (last_stint.end is None or last_stint.end > on),
        "statuses": [p for p in history.status_periods if p.start <= on and (p.end is None or p.end >= on)],
        "history": history,
        # The identity's own trail here; the page links to the trail of all the member's records.
        "audit": audit_trail(parts=[(Member, {"id": member.pk})]),
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
    organization = placement.organization
    can_write = policy.can(request.user, policy.ENTER_DATA, organization_id)
    context = {
        "can_admit": can_write and organization.level in unit_picker.UNIT_LEVELS,
        "is_grassroots": organization.is_grassroots,
        # A cell's page leads to its committee members' attendance at its meetings, in the quarter of the date shown.
        "attendance_quarter": (on.year, (on.month - 1) // 3 + 1) if organization.kind == OrgKind.CELL else None,
        "form": form,
        "placement": placement,
        "organization": placement.organization,
        "on": on,
        "ancestors": org_selectors.ancestors(placement=placement),
        "placements": org_selectors.organization_history(organization=placement.organization),
        "children": org_selectors.tree_children(actor=request.user, parent_id=organization_id, on=on),
        "committee": committee,
        "page": _page_of_stints(
            request,
            stints,
            on,
            count_key=counting.cache_key("members:organization", request.user.pk, on, organization_id),
        ),
        "members_export_url": _members_export_url(organization, on),
    }
    return render(request, "members/organization_detail.html", context)


def _members_export_url(organization, on):
    """The member list download filtered to `organization` on `on`: the same members as its page lists. The
    list's organization filter offers the levels down to the TCCSĐ, so a cell's page has no link ("")."""
    if organization.level == OrgLevel.BELOW_GRASSROOTS:
        return ""
    query = urlencode({"ngay": on.strftime("%d/%m/%Y"), "to_chuc": organization.pk})
    return f"{reverse('members:list_export')}?{query}"


# --- Data entry: each page below calls exactly one service; PermissionDenied becomes the 403 page ----------------


def _call_service(form, call):
    """Run one service; its ValidationError lands on the form. Returns (done, result)."""
    try:
        with transaction.atomic():
            return True, call()
    except ValidationError as error:
        form.apply_service_error(error)
        return False, None


def _member_for_write(request, member_id):
    """A member the actor can see, whose latest organization the actor may change today (403 otherwise)."""
    today = timezone.localdate()
    member = selectors.member_get(actor=request.user, member_id=member_id, on=today)
    stint = member.memberships.select_related("organization").order_by("-start").first()
    policy.require(request.user, policy.ENTER_DATA, stint.organization_id, today)
    return member, stint, today


def _render_form(request, form, *, title, member=None, organization=None, intro="", submit=None):
    back = (
        reverse("members:detail", args=[member.pk])
        if member
        else reverse("organization_detail", args=[organization.pk])
    )
    context = {
        "form": form,
        "title": title,
        "member": member,
        "organization": organization,
        "intro": intro,
        "submit_label": submit or _("Save"),
        "back_url": back,
    }
    return render(request, "members/member_form.html", context)


def _done(request, member, message):
    messages.success(request, message)
    return redirect("members:detail", member_id=member.pk)


def _new_member_page(request, organization_id, form_class, create, *, title, intro, done_message):
    """A page creating a member at a unit the actor may write; the unit of the page is only the default."""
    today = timezone.localdate()
    placement = org_selectors.placement_get(actor=request.user, organization_id=organization_id, on=today)
    policy.require(request.user, policy.ENTER_DATA, organization_id, today)
    form = form_class(request.POST or None, actor=request.user, initial={"organization": placement.organization.code})
    if request.method == "POST" and form.is_valid():
        done, member = _call_service(form, lambda: create(form.cleaned_data, form.identity()))
        if done:
            return _done(request, member, done_message % {"name": member.full_name})
    return _render_form(request, form, title=title, organization=placement.organization, intro=intro)


@login_required
def member_create(request, organization_id):
    """Admit a new member into a unit of the actor's writable scope (members.services.member_admit)."""

    def create(data, identity):
        return services.member_admit(
            actor=request.user,
            organization=data["organization"],
            admission_date=data["admission_date"],
            readmission=data["readmission"],
            **identity,
        )

    return _new_member_page(
        request, organization_id, MemberAdmitForm, create,
        title=_("New party member"),
        intro=_("Admission (or re-admission) of a person who has no record in the portal yet."),
        done_message=_("%(name)s was admitted."),
    )  # fmt: skip


@login_required
def member_arrive(request, organization_id):
    """Enter a member transferred in from another province (members.services.member_arrive)."""

    def create(data, identity):
        return services.member_arrive(
            actor=request.user,
            organization=data["organization"],
            arrival_date=data["arrival_date"],
            admission_date=data["admission_date"],
            note=data["note"],
            **identity,
        )

    return _new_member_page(
        request, organization_id, MemberArriveForm, create,
        title=_("Member arriving from another province"),
        intro=_(
            "A party member transferred in from outside the province: the admission date is the one in their "
            "record; the arrival counts on the rolls, not as an admission of the year."
        ),
        done_message=_("%(name)s was entered as arriving from another province."),
    )  # fmt: skip


@login_required
def unit_options(request):
    """Suggestions for a unit code box: the units the actor may write today whose code or name holds the text."""
    field = request.GET.get("truong", "organization")
    query = request.GET.get(field, "")[:100]
    placements = unit_picker.writable_units(request.user, timezone.localdate(), query=query)[: unit_picker.SUGGESTIONS]
    return render(request, "members/_unit_options.html", {"placements": placements})


@login_required
def member_edit(request, member_id):
    member, _stint, _today = _member_for_write(request, member_id)
    form = MemberIdentityForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_identity()
        if not changed:
            return _done(request, member, _("Nothing was changed."))
        done, _member = _call_service(
            form, lambda: services.member_update(actor=request.user, member=member, **changed)
        )
        if done:
            return _done(request, member, _("The identity was saved."))
    return _render_form(request, form, title=_("Edit identity"), member=member)


def _record_movement(actor, member, form):
    data = form.cleaned_data
    if data["kind"] == TRANSFER_WITHIN:
        return services.member_transfer(
            actor=actor, member=member, to_organization=data["organization"], date=data["date"], note=data["note"]
        )
    return services.movement_record(
        actor=actor,
        member=member,
        kind=data["kind"],
        date=data["date"],
        organization=data["organization"],
        transfer_scope=data["transfer_scope"],
        note=data["note"],
    )


@login_required
def movement_add(request, member_id):
    member, stint, today = _member_for_write(request, member_id)
    initial = {"organization": stint.organization.code, "date": today}
    form = MovementForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        done, _event = _call_service(form, lambda: _record_movement(request.user, member, form))
        if done:
            return _done(request, member, _("The movement was recorded."))
    return _render_form(request, form, title=_("Record a movement"), member=member)


def _member_record_view(request, member_id, form_class, service, *, title, done_message):
    """A form whose fields are exactly the service's keyword arguments besides the actor and the member."""
    member, _stint, _today = _member_for_write(request, member_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done, _record = _call_service(form, lambda: service(actor=request.user, member=member, **form.cleaned_data))
        if done:
            return _done(request, member, done_message)
    return _render_form(request, form, title=title, member=member)


@login_required
def theory_level_add(request, member_id):
    return _member_record_view(
        request, member_id, TheoryLevelForm, services.theory_level_add,
        title=_("Add a political theory level"), done_message=_("The political theory level was recorded."),
    )  # fmt: skip


@login_required
def discipline_add(request, member_id):
    return _member_record_view(
        request, member_id, DisciplineForm, services.discipline_add,
        title=_("Record a discipline"), done_message=_("The discipline was recorded."),
    )  # fmt: skip


@login_required
def status_period_add(request, member_id):
    member, _stint, _today = _member_for_write(request, member_id)
    form = StatusPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, _record = _call_service(
            form,
            lambda: services.status_period_add(
                actor=request.user,
                member=member,
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                host_organization=data["host_code"],
                reason=data["reason"],
            ),
        )
        if done:
            return _done(request, member, _("The status period was recorded."))
    return _render_form(
        request,
        form,
        title=_("Add a status period"),
        member=member,
        intro=_(
            "Exempt and suspended members are not rated for the year; temporary activity elsewhere changes nothing."
        ),
    )
