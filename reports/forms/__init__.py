"""The Party's statistics forms (Ban Tổ chức Trung ương, "Biểu số X-BTCTW") computed from the records.

Each module computes one form for a scope and a period into a `common.FormTable` (frozen, from aggregate
queries); `export` writes any of them as a Party document in Excel. docs/forms.md cites the layouts followed.
`inputs` holds the Django forms of the report pages.
"""

from . import bieu1, bieu2, bieu3, bieu5, register
from .inputs import FormRequestForm, ReportRequestForm, default_year

__all__ = ["FORMS", "FormRequestForm", "ReportRequestForm", "compute", "default_year"]

FORMS = {
    "bieu1": bieu1,
    "bieu2": bieu2,
    "bieu3": bieu3,
    "bieu5": bieu5,
    "register": register,
}


def compute(form, *, actor, organization_id, period_start, period_end):
    """The table of `form` (a key of FORMS) for the scope and the period, as `actor` may read it."""
    return FORMS[form].compute(
        actor=actor, organization_id=organization_id, period_start=period_start, period_end=period_end
    )
