"""The landing page and the profile page. The home page starts with what waits for the user (counted by
evaluations.work_selectors, scoped to them), each task a link to the page where it is done; their figures are
one click away (the dashboard of their part of the tree). The profile lists the user's roles with their dates."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations import work_selectors
from evaluations.forms import SLUG_OF_STATE
from evaluations.models import SubmissionState
from organizations import policy, scoping


def help_url():
    return reverse("help:index")


def _queue_url(year, state):
    return f"{reverse('evaluations:queue')}?{urlencode({'nam': year, 'trang_thai': SLUG_OF_STATE[state]})}"


def _grid_url(work):
    if work.only_grid is not None:
        return reverse("evaluations:grid", args=[work.only_grid, work.year])
    return f"{reverse('evaluations:grids')}?{urlencode({'nam': work.year})}"


def _task(label, count, url, *, late=False, note=""):
    return {"label": label, "count": count, "url": url, "late": late, "note": note}


def tasks(work):
    """The home page's list: only the tasks with something to do, most urgent first."""
    due = formats.date_format(work.due, "d/m/Y") if work.due else ""
    due_note = (_("was due on %(date)s") if work.late else _("due on %(date)s")) % {"date": due}
    rows = []
    if work.returned:
        rows.append(
            _task(
                ngettext(
                    "rating grid returned by the level above, to correct and send again",
                    "rating grids returned by the level above, to correct and send again",
                    work.returned,
                ),
                work.returned,
                _grid_url(work),
                late=work.late,
                note=due_note,
            )
        )
    if work.to_enter:
        rows.append(
            _task(
                ngettext(
                    "rating grid of %(year)s to enter and send",
                    "rating grids of %(year)s to enter and send",
                    work.to_enter,
                )
                % {"year": work.year},
                work.to_enter,
                _grid_url(work),
                late=work.late,
                note=due_note,
            )
        )
    if work.to_approve:
        rows.append(
            _task(
                ngettext(
                    "submission of %(year)s waiting for your approval",
                    "submissions of %(year)s waiting for your approval",
                    work.to_approve,
                )
                % {"year": work.year},
                work.to_approve,
                _queue_url(work.year, SubmissionState.SUBMITTED),
            )
        )
    if work.not_sent_below and work.late:
        rows.append(
            _task(
                ngettext(
                    "organization below you has not sent its %(year)s ratings",
                    "organizations below you have not sent their %(year)s ratings",
                    work.not_sent_below,
                )
                % {"year": work.year},
                work.not_sent_below,
                f"{reverse('indicators:progress')}?{urlencode({'nam': work.year})}",
                late=True,
                note=due_note,
            )
        )
    if work.failed_imports:
        rows.append(
            _task(
                ngettext(
                    "of your Excel uploads was not imported",
                    "of your Excel uploads were not imported",
                    work.failed_imports,
                ),
                work.failed_imports,
                reverse("imports:home"),
            )
        )
    if work.years_to_close:
        years = work.years_to_close
        rows.append(
            _task(
                ngettext(
                    "rating year over and still open (%(years)s): close it once its ratings are approved",
                    "rating years over and still open (%(years)s): close each once its ratings are approved",
                    len(years),
                )
                % {"years": ", ".join(str(year) for year in years)},
                len(years),
                reverse("evaluations:year_close", args=[years[0]]) if len(years) == 1 else reverse("evaluations:years"),
            )
        )
    return rows


@login_required
def home_view(request):
    work = work_selectors.work_for(actor=request.user)
    allowed = policy.allowed_actions(request.user)
    context = {
        "work": work,
        "tasks": tasks(work),
        "can_enter": policy.ENTER_DATA in allowed,
        "can_approve": policy.APPROVE in allowed,
        "help_url": help_url(),
    }
    return render(request, "home.html", context)


@login_required
def profile_view(request):
    today = scoping.today()
    roles = [{"role": role, "live": role.is_live_on(today)} for role in policy.roles_of(request.user)]
    return render(request, "accounts/profile.html", {"roles": roles, "help_url": help_url()})
