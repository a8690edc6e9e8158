"""Member pages for committee seats and the end of dated records: a seat on any unit of the member's past the
actor may change, and the last day of a seat or a status period (each page calls one service)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import policy, scoping

from . import selectors, services
from .forms import CommitteeSeatForm, EndForm
from .models import Member
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
