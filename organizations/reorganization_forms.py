"""Forms of the tree pages that change it: create an organization, and each kind of reorganization. Organizations
are picked by code or name in organization pickers (suggestions as one types: a province has too many for a
drop-down), resolved on the effective date in the part of the tree the actor may change, and passed on by code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import pickers
from .forms import DATE_INPUT_FORMATS, DayInput
from .models import OrgKind, OrgType, ReorganizationKind
from .reorganization_inputs import arguments_for, organization_by_code, successor_by_code

# A split names its successors on the page in this many rows (the API and the Excel file take any number).
SPLIT_ROWS = 4
MAPPING_LINE = _("Line %(line)s of the mapping is not “code or record number = successor code”.")


def _date(label, required=True):
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DayInput)


def _code(label, required=True, help_text=""):
    """A code that may be new (a successor): the picker suggests the existing ones, nothing is resolved."""
    widget = pickers.OrganizationPickerInput(attrs={"size": 16}, write=True, date_field="effective_on")
    return forms.CharField(label=label, required=required, max_length=32, widget=widget, help_text=help_text)


def _pick(label, required=True, help_text="", date_field="effective_on"):
    """An organization in force, picked by code or name; the form's clean turns it into its code."""
    return pickers.OrganizationPickerField(
        label=label, required=required, help_text=help_text, write=True, date_field=date_field
    )


def _blank(choices):
    return [("", _("— choose —")), *choices]


class ServiceErrorForm(forms.Form):
    """A form whose service's ValidationError lands on the field it names, or above the form. Its organization
    pickers are resolved on the date in `date_field` in the part of the tree the actor may change (a refusal is
    the picker's message on the field) and cleaned to the organizations' codes."""

    date_field = "effective_on"

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        on = data.get(self.date_field)
        for name, field in self.fields.items():
            if on is None or name in self.errors or not data.get(name):
                continue
            if isinstance(field, pickers.OrganizationPickerField):
                data[name] = self._picked_code(name, data[name], on)
            elif isinstance(field, pickers.OrganizationsPickerField):
                data[name] = [self._picked_code(name, text, on) for text in data[name]]
        return data

    def _picked_code(self, name, text, on):
        try:
            return pickers.resolve(actor=self.actor, on=on, text=text, write=True).organization.code
        except forms.ValidationError as error:
            self.add_error(name, error)
            return None

    def apply_service_error(self, error):
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class OrganizationCreateForm(ServiceErrorForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind of organization"), choices=_blank(OrgKind.choices))
    org_type = forms.ChoiceField(
        label=_("Type (loại hình)"),
        required=False,
        choices=_blank(OrgType.choices),
        help_text=_("For a grassroots organization (TCCSĐ) only."),
    )
    valid_from = _date(_("In force from"))
    parent = _pick(
        _("Parent organization"),
        required=False,
        help_text=_("Empty: a unit at the top of the tree."),
        date_field="valid_from",
    )
    date_field = "valid_from"

    def service_arguments(self, actor):
        data = dict(self.cleaned_data)
        parent = data.pop("parent")
        data["parent"] = (
            organization_by_code(actor=actor, code=parent, on=data["valid_from"], field="parent") if parent else None
        )
        return data


class ReorganizationForm(ServiceErrorForm):
    """The date and the decision every kind shares; subclasses add what they act on."""

    kind = None
    effective_on = _date(_("Effective date"))
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=64)
    decision_date = _date(_("Decision date"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def org(self, actor, code, field):
        return organization_by_code(actor=actor, code=code, on=self.cleaned_data["effective_on"], field=field)

    def values(self, actor):
        return {}

    def service_arguments(self, actor):
        """The planner's arguments: codes resolved on the effective date in the actor's part of the tree."""
        values = {**self.cleaned_data, **self.values(actor)}
        return arguments_for(self.kind, values)


class MergeForm(ReorganizationForm):
    kind = ReorganizationKind.MERGE
    predecessors = pickers.OrganizationsPickerField(
        label=_("Organizations merged"),
        write=True,
        date_field="effective_on",
        help_text=_("They end the day before the effective date."),
    )
    successor = _code(
        _("Organization that continues (code)"),
        help_text=_("The code of an organization in force, or a new code: then give the new one's name and kind."),
    )
    name = forms.CharField(label=_("Name of the new organization"), required=False, max_length=255)
    new_kind = forms.ChoiceField(
        label=_("Kind of the new organization"), required=False, choices=_blank(OrgKind.choices)
    )
    org_type = forms.ChoiceField(label=_("Type (loại hình)"), required=False, choices=_blank(OrgType.choices))
    parent = _pick(
        _("Parent of the new organization"),
        required=False,
        help_text=_("Empty: the parent of the first organization merged."),
    )
    field_order = ["predecessors", "successor", "name", "new_kind", "org_type", "parent", "effective_on"]

    def values(self, actor):
        data, on = self.cleaned_data, self.cleaned_data["effective_on"]
        successor = successor_by_code(
            actor=actor,
            code=data["successor"],
            on=on,
            field="successor",
            name=data["name"],
            kind=data["new_kind"],
            org_type=data["org_type"],
            parent_code=data["parent"],
        )
        return {
            "predecessors": [self.org(actor, code, "predecessors") for code in data["predecessors"]],
            "successor": successor,
        }


def _parse_mapping(text):
    mapping = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, target = line.partition("=")
        if not sep or not key.strip() or not target.strip():
            raise forms.ValidationError(MAPPING_LINE, params={"line": number})
        mapping[key.strip()] = target.strip()
    return mapping


class SplitForm(ReorganizationForm):
    kind = ReorganizationKind.SPLIT
    predecessor = _pick(_("Organization split"), help_text=_("It ends the day before the effective date."))
    mapping = forms.CharField(
        label=_("Distribution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "C2 = G1B\n123456TN = G1B"}),
        help_text=_(
            "One line per sub-unit (by code) or member on the split organization's own rolls (by party record "
            "number): “code = successor code”. Everything not named goes to the first successor."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, SPLIT_ROWS + 1):
            required = row <= 2
            label = _("Successor %(row)s") % {"row": row}
            self.fields[f"successor_{row}"] = _code(_("%(label)s: code") % {"label": label}, required=required)
            self.fields[f"successor_{row}_name"] = forms.CharField(
                label=_("%(label)s: name (new)") % {"label": label}, required=False, max_length=255
            )
            self.fields[f"successor_{row}_kind"] = forms.ChoiceField(
                label=_("%(label)s: kind (new)") % {"label": label}, required=False, choices=_blank(OrgKind.choices)
            )
            self.fields[f"successor_{row}_type"] = forms.ChoiceField(
                label=_("%(label)s: type (new)") % {"label": label}, required=False, choices=_blank(OrgType.choices)
            )
        self.order_fields(["predecessor", *[f for f in self.fields if f.startswith("successor_")], "mapping"])

    def clean_mapping(self):
        return _parse_mapping(self.cleaned_data["mapping"])

    def values(self, actor):
        data, on = self.cleaned_data, self.cleaned_data["effective_on"]
        successors = [
            successor_by_code(
                actor=actor,
                code=data[f"successor_{row}"],
                on=on,
                field="successors",
                name=data[f"successor_{row}_name"],
                kind=data[f"successor_{row}_kind"],
                org_type=data[f"successor_{row}_type"],
            )
            for row in range(1, SPLIT_ROWS + 1)
            if data.get(f"successor_{row}")
        ]
        return {"predecessor": self.org(actor, data["predecessor"], "predecessor"), "successors": successors}


class MoveForm(ReorganizationForm):
    kind = ReorganizationKind.MOVE
    organization = _pick(_("Organization moved (code)"), help_text=_("With all its sub-units and members."))
    new_parent = _pick(_("New parent"))
    field_order = ["organization", "new_parent"]

    def values(self, actor):
        data = self.cleaned_data
        return {
            "organization": self.org(actor, data["organization"], "organization"),
            "new_parent": self.org(actor, data["new_parent"], "new_parent"),
        }


class RenameForm(ReorganizationForm):
    kind = ReorganizationKind.RENAME
    organization = _pick(_("Organization renamed (code)"))
    new_name = forms.CharField(label=_("New name"), max_length=255)
    field_order = ["organization", "new_name"]

    def values(self, actor):
        return {"organization": self.org(actor, self.cleaned_data["organization"], "organization")}


class DissolveForm(ReorganizationForm):
    kind = ReorganizationKind.DISSOLVE
    organization = _pick(
        _("Organization dissolved (code)"),
        help_text=_("It and its sub-units end the day before the effective date; no member may remain on their rolls."),
    )
    field_order = ["organization"]

    def values(self, actor):
        return {"organization": self.org(actor, self.cleaned_data["organization"], "organization")}
