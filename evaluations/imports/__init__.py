"""The kinds of Excel file of evaluations, one module each (party_portal.imports; docs/imports.md)."""

from . import ratings  # noqa: F401
