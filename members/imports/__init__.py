"""The kinds of Excel file of members, one module each (party_portal.imports; docs/imports.md)."""

from . import (  # noqa: F401
    committee_seats,
    disciplines,
    government_posts,
    meeting_attendance,
    members,
    movements,
    status_periods,
    theory_levels,
)
