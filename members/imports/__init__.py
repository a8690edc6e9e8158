"""The kinds of Excel file of members, one module each (party_portal.imports; docs/imports.md)."""

from . import committee_seats, disciplines, members, movements, status_periods, theory_levels  # noqa: F401
