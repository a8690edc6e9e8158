"""The report pages' forms: a program year (or a period) and a scope from the user's own part of the tree."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.pickers import OrganizationPickerField, OrganizationPickerMixin

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

PERIOD_NEEDS_BOTH = _("A period needs both its first day (From) and its last day (To).")
PERIOD_ORDER = _("The last day of the period (To) is before its first day (From).")
# Never the id the browser sent: the choices are the actor's units on the period's last day.
SCOPE_NOT_OFFERED = _("This unit is not in your part of the tree on the last day of the period.")
PERIOD_IN_FUTURE = _("The period (From) starts after today.")


def default_year(program):
    """The latest program year that has ended (reports are made after the year closes), else the first."""
    today = timezone.localdate()
    ended = [year for year in program.years if year < today.year]
    return ended[-1] if ended else program.first_year


class ReportRequestForm(OrganizationPickerMixin, forms.Form):
    """A compliance report's year and scope. The scope is an organization picker looked up on 31/12 of the year
    (the tree the report counts): a province holds too many units for a drop-down. Empty: the actor's scope."""

    nam = forms.TypedChoiceField(label=_("Year"), coerce=int)
    to_chuc = OrganizationPickerField(label=_("Scope"), year_field="nam")

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [(year, str(year)) for year in reversed(program.years)]

    def picker_date(self):
        year = self.cleaned_data.get("nam")
        return date(year, 12, 31) if year else timezone.localdate()


class FormRequestForm(OrganizationPickerMixin, forms.Form):
    """A statistics form's scope and period: a year, or a period between two dates (they win when given).

    The scope is an organization picker (a code, or a name; suggestions as one types): a province holds too
    many units for a drop-down. It is looked up on the period's last day when the period is given by its days,
    else today (as the drop-down it replaces was)."""

    nam = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    tu = forms.DateField(label=_("From"), required=False, input_formats=DATE_FORMATS)
    den = forms.DateField(label=_("To"), required=False, input_formats=DATE_FORMATS)
    to_chuc = OrganizationPickerField(label=_("Scope"))
    picker_refusals = {"not_found": SCOPE_NOT_OFFERED}

    def picker_date(self):
        today = timezone.localdate()
        end = self.cleaned_data.get("den")
        return min(end, today) if end else today

    def clean(self):
        data = super().clean()
        start, end, year = data.get("tu"), data.get("den"), data.get("nam")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise forms.ValidationError(PERIOD_NEEDS_BOTH)
            if start > end:
                self.add_error("den", PERIOD_ORDER)
                return data
        else:
            year = year or timezone.localdate().year - 1
            start, end = date(year, 1, 1), date(year, 12, 31)
        if end > timezone.localdate():
            end = timezone.localdate()
            if start > end:
                self.add_error("tu", PERIOD_IN_FUTURE)
                return data
        data["period_start"], data["period_end"] = start, end
        return data
