"""The kinds of Excel file of evaluations, one module each (party_portal.imports; docs/imports.md)."""

from . import organization_ratings, ratings  # noqa: F401
