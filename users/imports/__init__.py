"""The kinds of Excel file of user administration, one module each (party_portal.imports; docs/imports.md)."""

from . import users  # noqa: F401
