"""The "new report" form: a program year and a scope from the user's own part of the tree."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INDENT = "\u2003"  # an em space: a drop-down cannot be styled, so depth is shown with whitespace


def default_year(program):
    """The latest program year that has ended (reports are made after the year closes), else the first."""
    today = timezone.localdate()
    ended = [year for year in program.years if year < today.year]
    return ended[-1] if ended else program.first_year


class ReportRequestForm(forms.Form):
    nam = forms.TypedChoiceField(label=_("Year"), coerce=int)
    to_chuc = forms.TypedChoiceField(label=_("Scope"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, program, placements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [(year, str(year)) for year in reversed(program.years)]
        placements = list(placements)
        top = min((p.depth for p in placements), default=0)
        self.fields["to_chuc"].choices = [
            ("", _("The whole of my scope")),
            *((p.organization_id, f"{INDENT * (p.depth - top)}{p.organization}") for p in placements),
        ]
