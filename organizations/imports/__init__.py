"""The kinds of Excel file of organizations, one module each (party_portal.imports; docs/imports.md)."""

from . import organizations, reorganizations  # noqa: F401
