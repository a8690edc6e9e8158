"""The form of a tracked figure: its measures picked from the registry by their labels, its unit, and how it is
judged. The service checks every rule (indicators.services.definition_create / definition_update), so a value
outside the lists gets the service's message naming the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import measures
from .models import Comparator, EvaluationMode, Unit
from .target_forms import ServiceErrors

YEAR_MIN, YEAR_MAX = 2000, 2100


def measure_label(measure):
    """A measure's label for any year: "admissions in N", "members on the rolls on 31/12/N-1"."""
    if not measure.extra.get("label_has_year"):
        return str(measure.label)
    offset = measure.extra.get("label_year_offset", 0)
    return str(measure.label) % {"year": f"N{offset:+d}" if offset else "N"}


def measure_options():
    """(name, label) of every registered measure, by label."""
    options = [(name, measure_label(measures.get_measure(name))) for name, _label in measures.measure_choices()]
    return sorted(options, key=lambda option: option[1])


class DefinitionForm(ServiceErrors, forms.Form):
    """Add (`with_code`) or edit (`with_active`) a tracked figure."""

    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    short_name_vi = forms.CharField(label=_("Short name (Vietnamese)"), max_length=120, required=False)
    short_name_en = forms.CharField(label=_("Short name (English)"), max_length=120, required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    comparator = forms.ChoiceField(
        label=_("Comparator"), choices=[("", _("— not judged —")), *Comparator.choices], required=False
    )
    threshold = forms.DecimalField(
        label=_("Threshold"),
        max_digits=9,
        decimal_places=3,
        required=False,
        localize=True,
        help_text=_("In the figure's unit; empty: the figure is shown, not judged."),
    )
    mode = forms.ChoiceField(label=_("Evaluation mode"), choices=EvaluationMode.choices)
    deadline_year = forms.IntegerField(label=_("Deadline year"), min_value=YEAR_MIN, max_value=YEAR_MAX, required=False)
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("Place on the dashboard; empty: after the last tracked figure."),
    )

    def __init__(self, *args, with_code=False, with_active=False, **kwargs):
        super().__init__(*args, **kwargs)
        options = measure_options()
        # Plain text fields shown as lists: a name outside the registry gets the service's message.
        self.fields["numerator"] = forms.CharField(
            label=_("Numerator measure"),
            widget=forms.Select(choices=[("", _("— choose —")), *options]),
            required=False,
        )
        self.fields["denominator"] = forms.CharField(
            label=_("Denominator measure"),
            widget=forms.Select(choices=[("", _("— none (a count) —")), *options]),
            required=False,
        )
        order = ["numerator", "denominator", "unit", "comparator", "threshold", "mode", "deadline_year", "order"]
        names = ["name_vi", "name_en", "short_name_vi", "short_name_en", *order]
        if with_code:
            self.fields["code"] = forms.CharField(
                label=_("Code"),
                max_length=16,
                required=False,
                help_text=_("Letters, digits, hyphens and underscores, e.g. KHAI_TRU."),
            )
            names.insert(0, "code")
        if with_active:
            self.fields["active"] = forms.BooleanField(
                label=_("Active"),
                required=False,
                help_text=_("An inactive figure leaves the dashboard; its definition and history are kept."),
            )
            names.append("active")
        self.order_fields(names)

    def values(self):
        """The cleaned values, as the service takes them (without the code)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "code"}
