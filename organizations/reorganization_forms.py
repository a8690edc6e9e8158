"""Forms of the tree pages that change it: create an organization, and each kind of reorganization. Organizations
are picked and typed by code — never by internal id — and resolved on the effective date."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE_INPUT_FORMATS, DayInput
from .models import OrgKind, OrgType, ReorganizationKind
from .reorganization_inputs import arguments_for, organization_by_code, successor_by_code

# A split names its successors on the page in this many rows (the API and the Excel file take any number).
SPLIT_ROWS = 4
CODES_LIST = "org-codes"
INVALID_CHOICE = _("Choose one of the organizations in the list.")
MAPPING_LINE = _("Line %(line)s of the mapping is not “code or record number = successor code”.")


def _date(label, required=True):
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DayInput)


def _code(label, required=True, help_text=""):
    widget = forms.TextInput(attrs={"list": CODES_LIST, "autocomplete": "off", "size": 16})
    return forms.CharField(label=label, required=required, max_length=32, widget=widget, help_text=help_text)


class OrganizationPick(forms.ChoiceField):
    """A drop-down of organizations by code ("code – name"); its choices are set per actor."""


class OrganizationsPick(forms.MultipleChoiceField):
    pass


def _pick(label, required=True, help_text=""):
    return OrganizationPick(
        label=label, required=required, help_text=help_text, error_messages={"invalid_choice": INVALID_CHOICE}
    )


def _blank(choices):
    return [("", _("— choose —")), *choices]


class ServiceErrorForm(forms.Form):
    """A form whose service's ValidationError lands on the field it names, or above the form."""

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
    parent = _pick(_("Parent organization"), required=False, help_text=_("Empty: a unit at the top of the tree."))

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = _blank(codes)

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

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, OrganizationPick):
                field.choices = _blank(codes)
            elif isinstance(field, OrganizationsPick):
                field.choices = codes

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
    predecessors = OrganizationsPick(
        label=_("Organizations merged"),
        error_messages={"invalid_choice": INVALID_CHOICE},
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
    organization = _code(_("Organization moved (code)"), help_text=_("With all its sub-units and members."))
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
    organization = _code(_("Organization renamed (code)"))
    new_name = forms.CharField(label=_("New name"), max_length=255)
    field_order = ["organization", "new_name"]

    def values(self, actor):
        return {"organization": self.org(actor, self.cleaned_data["organization"], "organization")}


class DissolveForm(ReorganizationForm):
    kind = ReorganizationKind.DISSOLVE
    organization = _code(
        _("Organization dissolved (code)"),
        help_text=_("It and its sub-units end the day before the effective date; no member may remain on their rolls."),
    )
    field_order = ["organization"]

    def values(self, actor):
        return {"organization": self.org(actor, self.cleaned_data["organization"], "organization")}
