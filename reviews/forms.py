"""Forms of the reporting pages. They parse; the services decide (their refusals land on the fields they name)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.target_forms import ServiceErrors
from organizations.forms import DATE_INPUT_FORMATS, DayInput

from .models import SECTIONS, DutyKind, ReportingUnitKind, YearlyReview

CHOOSE_ORGANIZATION = _("Choose a district-level committee from the list.")


def _day(label, required=True):
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DayInput)


class PlanForm(ServiceErrors, forms.Form):
    number = forms.CharField(label=_("Number"), max_length=40, help_text=_("As on the plan, e.g. 05-KH/HU."))
    issued_on = _day(_("Issued on"))
    title = forms.CharField(label=_("Title"), max_length=500)
    document = forms.FileField(label=_("Document (PDF or DOCX, at most 10 MB)"), required=False, allow_empty_file=True)


class ReviewForm(ServiceErrors, forms.Form):
    """The six sections, and a file to attach on the same save."""

    file = forms.FileField(
        label=_("Attach a file (PDF, DOCX or XLSX, at most 10 MB)"), required=False, allow_empty_file=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = {}
        for name in SECTIONS:
            sections[name] = forms.CharField(
                label=YearlyReview._meta.get_field(name).verbose_name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        self.fields = {**sections, "file": self.fields["file"]}


class ReturnForm(ServiceErrors, forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class UnitForm(ServiceErrors, forms.Form):
    def __init__(self, *args, organizations=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._organizations = {str(org.pk): org for org in organizations}
        self.fields["code"] = forms.CharField(label=_("Code"), max_length=32)
        self.fields["name"] = forms.CharField(label=_("Name"), max_length=255)
        if not editing:
            self.fields["kind"] = forms.ChoiceField(label=_("Kind"), choices=ReportingUnitKind.choices)
            self.fields["organization"] = forms.ChoiceField(
                label=_("Organization in the tree (a committee only)"),
                required=False,
                choices=[("", "—"), *((str(o.pk), f"{o.name} ({o.code})") for o in organizations)],
                error_messages={"invalid_choice": CHOOSE_ORGANIZATION},
            )
        self.fields["owes_plan"] = forms.BooleanField(label=_("Owes an implementation plan"), required=False)
        self.fields["owes_reviews"] = forms.BooleanField(label=_("Owes yearly reviews"), required=False)
        self.fields["valid_from"] = _day(_("Valid from"))
        self.fields["valid_to"] = _day(_("Valid to"), required=False)

    def organization(self):
        return self._organizations.get(self.cleaned_data.get("organization") or "")


class DueDateForm(ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("What is due"), choices=DutyKind.choices)
    due_on = _day(_("Due on"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._units = {str(unit.pk): unit for unit in units}
        self.fields["unit"] = forms.ChoiceField(
            label=_("Reporting unit (empty: the default for every unit)"),
            required=False,
            choices=[("", "—"), *((str(u.pk), f"{u.name} ({u.code})") for u in units)],
        )

    def unit(self):
        return self._units.get(self.cleaned_data.get("unit") or "")
