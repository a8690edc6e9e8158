"""Member pages for committee seats, government posts and the end of dated records: a seat or a post on any unit
of the member's past the actor may change, and the last day of a seat, a post or a status period; and the page
of a cell's attendance at its meetings for a quarter (each page calls one service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import policy, scoping

from . import record_selectors, record_services, selectors, services
from .forms import CommitteeSeatForm, EndForm
from .models import Member
from .record_forms import AttendanceForm, GovernmentPostForm
from .views import _call_service, _done, _member_for_write, _render_form


def _member_for_seat(request, member_id):
    """A member and the committees the actor may seat them on (members.selectors.seat_organizations): the seat
    page opens to whoever may change a unit of the member's past, not only their latest one (a seat on a cell's
    committee held before a move). Nothing to offer: the member's latest unit decides between 404 and 403."""
    member = Member.objects.filter(pk=member_id).first()
    committees = list(selectors.seat_organizations(actor=request.user, member=member)) if member else []
    if not committees:
        _member_for_write(request, member_id)
        raise PermissionDenied(scoping.NOT_IN_SCOPE)
    return member, committees


@login_required
def committee_seat_add(request, member_id):
    member, committees = _member_for_seat(request, member_id)
    latest = member.memberships.order_by("-start").values_list("organization_id", flat=True).first()
    form = CommitteeSeatForm(request.POST or None, initial={"organization": latest})
    form.set_committees(committees)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, _record = _call_service(
            form,
            lambda: services.committee_seat_add(
                actor=request.user,
                member=member,
                organization=form.organization(),
                role=data["role"],
                start=data["start"],
                end=data["end"],
            ),
        )
        if done:
            return _done(request, member, _("The committee seat was recorded."))
    return _render_form(request, form, title=_("Add a committee seat"), member=member)


def _end_view(request, record, service, *, title, intro, done_message):
    """A page with one date, the record's last day, calling one service (a seat or a status period)."""
    form = EndForm(request.POST or None, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done, _record = _call_service(form, lambda: service(actor=request.user, end=form.cleaned_data["end"]))
        if done:
            return _done(request, record.member, done_message)
    return _render_form(request, form, title=title, member=record.member, intro=intro, submit=_("End"))


@login_required
def committee_seat_end(request, seat_id):
    seat = selectors.seat_get(actor=request.user, seat_id=seat_id)
    policy.require(request.user, policy.ENTER_DATA, seat.organization_id, seat.start)
    intro = _("%(role)s on the committee of %(org)s since %(date)s.") % {
        "role": seat.get_role_display(),
        "org": seat.organization.name,
        "date": seat.start.strftime("%d/%m/%Y"),
    }
    return _end_view(
        request,
        seat,
        lambda **kwargs: services.committee_seat_end(seat=seat, **kwargs),
        title=_("End a committee seat"),
        intro=intro,
        done_message=_("The committee seat was ended."),
    )


@login_required
def status_period_end(request, status_period_id):
    period = selectors.status_period_get(actor=request.user, period_id=status_period_id)
    services.require_member_access(request.user, period.member, on=period.start, write=True)
    intro = _("%(status)s since %(date)s.") % {
        "status": period.get_kind_display(),
        "date": period.start.strftime("%d/%m/%Y"),
    }
    return _end_view(
        request,
        period,
        lambda **kwargs: services.status_period_end(period=period, **kwargs),
        title=_("End a status period"),
        intro=intro,
        done_message=_("The status period was ended."),
    )


@login_required
def government_post_add(request, member_id):
    """A government or community post, serving a unit of the member's past the actor may change (as a seat)."""
    member, units = _member_for_seat(request, member_id)
    latest = member.memberships.order_by("-start").values_list("organization_id", flat=True).first()
    form = GovernmentPostForm(request.POST or None, initial={"organization": latest})
    form.set_organizations(units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, _record = _call_service(
            form,
            lambda: record_services.government_post_add(
                actor=request.user,
                member=member,
                kind=data["kind"],
                organization=form.organization(),
                place=data["place"],
                start=data["start"],
                end=data["end"],
            ),
        )
        if done:
            return _done(request, member, _("The government or community post was recorded."))
    return _render_form(request, form, title=_("Add a government or community post"), member=member)


@login_required
def government_post_end(request, post_id):
    post = record_selectors.government_post_get(actor=request.user, post_id=post_id)
    policy.require(request.user, policy.ENTER_DATA, post.organization_id, post.start)
    intro = _("%(post)s serving %(org)s since %(date)s.") % {
        "post": post.kind.name,
        "org": post.organization.name,
        "date": post.start.strftime("%d/%m/%Y"),
    }
    return _end_view(
        request,
        post,
        lambda **kwargs: record_services.government_post_end(post=post, **kwargs),
        title=_("End a government or community post"),
        intro=intro,
        done_message=_("The government or community post was ended."),
    )


def _quarter_links(organization_id, year, quarter):
    """The previous and the next quarter's pages (the next one only once it has begun)."""
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    following = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    first, _last = record_selectors.quarter_dates(*following)
    return {
        "previous": (organization_id, *previous),
        "following": (organization_id, *following) if first <= timezone.localdate() else None,
    }


@login_required
def meeting_attendance(request, organization_id, year, quarter):
    """Per committee member assigned to a cell, the meetings of the quarter held and attended; all or nothing."""
    placement = record_selectors.cell_get(
        actor=request.user, organization_id=organization_id, year=year, quarter=quarter
    )
    _first, last = record_selectors.quarter_dates(year, quarter)
    day = record_selectors.attendance_day(placement, last)
    can_write = policy.can(request.user, policy.ENTER_DATA, organization_id, day)
    if request.method == "POST" and not can_write:
        policy.require(request.user, policy.ENTER_DATA, organization_id, day)
    members = record_selectors.assigned_committee_members(placement=placement, year=year, quarter=quarter)
    rows = record_selectors.attendance_of(organization_id=organization_id, year=year, quarter=quarter)
    form = AttendanceForm(request.POST or None, members=members, rows=rows)
    if request.method == "POST" and form.is_valid():
        done, written = _call_service(
            form,
            lambda: record_services.attendance_save(
                actor=request.user, placement=placement, year=year, quarter=quarter, entries=form.entries()
            ),
        )
        if done:
            messages.success(request, _("Attendance saved: %(count)s rows written.") % {"count": written})
            return redirect("members:attendance", organization_id=organization_id, year=year, quarter=quarter)
    context = {
        "form": form,
        "organization": placement.organization,
        "year": year,
        "quarter": quarter,
        "can_write": can_write,
        "links": _quarter_links(organization_id, year, quarter),
    }
    return render(request, "members/attendance_form.html", context)
