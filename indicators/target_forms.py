"""Forms of the targets page: a target's threshold, a district's own target, and ending one, each under a
dated, numbered decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.forms import DATE_INPUT_FORMATS, DayInput

from .models import Comparator

CHOOSE_UNIT = _("Choose a district-level unit from the list.")


def _decision_fields(form):
    form.fields["decided_on"] = forms.DateField(
        label=_("Decided on"), input_formats=DATE_INPUT_FORMATS, widget=DayInput
    )
    form.fields["decision_number"] = forms.CharField(
        label=_("Decision number"), max_length=64, help_text=_("As on the decision, e.g. 15-QĐ/TU.")
    )


def _threshold_field():
    return forms.DecimalField(
        label=_("Threshold (%)"), max_digits=6, decimal_places=3, min_value=0, max_value=100, localize=True
    )


class ServiceErrors:
    """The service's ValidationError lands on the fields it names (the others on the form)."""

    def apply_service_error(self, error):
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class TargetForm(ServiceErrors, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comparator"] = forms.ChoiceField(label=_("Comparator"), choices=Comparator.choices)
        self.fields["threshold"] = _threshold_field()
        _decision_fields(self)


class _UnitForm(ServiceErrors, forms.Form):
    """A district-level unit chosen by name; a value not in the list says so without echoing it."""

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self._organizations = {str(org.pk): org for org in organizations}
        self.fields["organization"] = forms.ChoiceField(
            label=_("District-level unit"),
            choices=[("", _("— choose —")), *((str(org.pk), f"{org.name} ({org.code})") for org in organizations)],
            error_messages={"invalid_choice": CHOOSE_UNIT},
        )

    def organization(self):
        return self._organizations[self.cleaned_data["organization"]]


class OverrideForm(_UnitForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threshold"] = _threshold_field()
        _decision_fields(self)


class OverrideEndForm(_UnitForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _decision_fields(self)
