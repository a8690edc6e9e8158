"""What waits for the signed-in user, for the home page: grids to enter and send, submissions to approve, returned
ones, uploads that failed, years to close. Counts only, each read scoped to the actor through
organizations.policy and organizations.scoping; the home page turns them into links."""

from dataclasses import dataclass, field

from organizations import policy, scoping
from organizations.models import RoleKind
from party_portal.imports.selectors import RECENT_JOBS

from . import entry_selectors
from .models import ImportJob, ImportState, RatingYear, SubmissionState, YearState
from .selectors import ratings_due_date

# A grid still to be entered and sent by its TCCSĐ: nothing saved yet, a draft, or sent back by the level above.
NOT_SENT = (entry_selectors.NOT_STARTED, SubmissionState.DRAFT, SubmissionState.RETURNED)
# Uploads that ended without importing anything: checked with rows rejected, or failed while importing.
FAILED_IMPORTS = (ImportState.REJECTED, ImportState.FAILED)
# The roles that enter a TCCSĐ's grid and send it (the level above approves it, and rates the TCCSĐ itself).
ENTRY_KINDS = (RoleKind.GRASSROOTS_CADRE,)


@dataclass
class Work:
    """The counts of the home page's tasks for one actor; `year` is the open rating year they are about."""

    year: int | None = None
    due: object = None  # the day the year's ratings are due at the level above
    late: bool = False  # that day has passed
    to_enter: int = 0  # grids not sent yet (not started, draft), returned ones apart
    returned: int = 0
    only_grid: int | None = None  # the TCCSĐ's id when the actor enters exactly one grid (linked directly)
    to_approve: int = 0  # sent to the actor's level, waiting for a decision
    not_sent_below: int = 0  # TCCSĐ under the actor's level that have not sent their ratings
    failed_imports: int = 0
    years_to_close: list = field(default_factory=list)

    @property
    def total(self):
        return (
            self.to_enter
            + self.returned
            + self.to_approve
            + (self.not_sent_below if self.late else 0)
            + self.failed_imports
            + len(self.years_to_close)
        )


def open_rating_year():
    """The latest open rating year, or None."""
    return RatingYear.objects.filter(state=YearState.OPEN).order_by("-year").first()


def work_for(*, actor):
    """The actor's tasks (see Work), in a constant number of queries whatever the size of their part of the tree."""
    allowed = policy.allowed_actions(actor)
    year = open_rating_year()
    work = Work()
    if year is not None:
        work.year = year.year
        work.due = ratings_due_date(year.year)
        work.late = scoping.today() > work.due
        if policy.ENTER_DATA in allowed:
            entered = entry_selectors.grassroots_with_state(actor=actor, year=year.year, writer_kinds=ENTRY_KINDS)
            counts = entry_selectors.state_counts(entered)
            work.returned = counts.get(SubmissionState.RETURNED, 0)
            work.to_enter = sum(counts.get(state, 0) for state in NOT_SENT) - work.returned
            if sum(counts.values()) == 1:
                work.only_grid = entered.values_list("organization_id", flat=True).first()
        if policy.APPROVE in allowed:
            below = entry_selectors.state_counts(
                entry_selectors.grassroots_with_state(actor=actor, year=year.year, approver=True)
            )
            work.to_approve = below.get(SubmissionState.SUBMITTED, 0)
            work.not_sent_below = sum(below.get(state, 0) for state in NOT_SENT)
    if policy.IMPORT in allowed:
        # The uploads the import page lists (the latest ones); a failed one followed by a success still shows.
        states = ImportJob.objects.filter(created_by=actor).values_list("state", flat=True)
        work.failed_imports = sum(state in FAILED_IMPORTS for state in states[:RECENT_JOBS])
    if policy.CLOSE_YEAR in allowed:
        # A year can be closed once it is over; the Board closes it when the level above has approved.
        work.years_to_close = list(
            RatingYear.objects.filter(state=YearState.OPEN, year__lt=scoping.today().year)
            .order_by("year")
            .values_list("year", flat=True)
        )
    return work
