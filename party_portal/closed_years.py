"""The lock of closed rating years on dated facts (member events, seats, theory levels, statuses, discipline).

Closing a year belongs to evaluations, but the facts it freezes are written by members, which must not import
evaluations (the apps depend one way: organizations ← members ← evaluations ← …). So this lower layer holds
only the question — "which of these years are closed?" — and evaluations answers it: its AppConfig.ready
registers a function reading RatingYear. Without evaluations installed no year is ever closed.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

YEAR_CLOSED = _(
    "The rating year %(year)s is closed: a change dated %(date)s would alter its locked figures. "
    "The Provincial Organization Board must reopen the year first."
)

# No party record predates this year; the registered functions are asked about years from it on.
FIRST_YEAR = 1930

_closed_years_of = []


def register(function):
    """`function(years)` returns the closed years among `years` (a set of ints)."""
    if function not in _closed_years_of:
        _closed_years_of.append(function)
    return function


def closed_years(years):
    years = set(years)
    closed = set()
    for function in _closed_years_of:
        closed |= set(function(years))
    return closed


def reached(day, closed, *, until=None):
    """The earliest of the `closed` years that a fact dated `day` (counting to `until`, default today) reaches."""
    last = until or timezone.localdate()
    hit = [year for year in closed if day.year <= year <= max(day.year, last.year)]
    return min(hit) if hit else None


def refusal_text(day, year):
    return YEAR_CLOSED % {"year": year, "date": day.strftime("%d/%m/%Y")}


def closed_until_today():
    """Every closed year up to this one, for a check over many dates (an import)."""
    return closed_years(range(FIRST_YEAR, timezone.localdate().year + 1))


def require_open(day, *, until=None, field="date"):
    """Refuse a fact dated `day` when it reaches a closed year.

    A fact counts at every 31/12 from its date to `until` (default: today) — a back-dated death or admission
    changes the rolls of every year end after it, a seat or a status period every year end it spans — so each
    of those years must be open. Pass `until=day` for a fact that counts in its own year only (discipline).
    """
    last = until or timezone.localdate()
    year = reached(day, closed_years(range(day.year, max(day.year, last.year) + 1)), until=last)
    if year is not None:
        params = {"year": year, "date": day.strftime("%d/%m/%Y")}
        raise ValidationError({field: ValidationError(YEAR_CLOSED, params=params, code="year_closed")})
