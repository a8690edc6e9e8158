"""The kinds of Excel file of members, one module each (party_portal.imports; docs/imports.md)."""

from . import members, movements, theory_levels  # noqa: F401
