"""Filters of the member list, and the data-entry forms of members (each calls one service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.forms import DATE_INPUT_FORMATS, AsOfForm, DayInput
from organizations.models import Organization
from organizations.pickers import OrganizationPickerField, OrganizationPickerMixin

from .models import (
    CODED_FIELDS,
    DisciplineKind,
    Gender,
    Member,
    MovementKind,
    SeatRole,
    StatusKind,
    TheoryLevel,
    TransferScope,
)
from .record_selectors import choosable_codes
from .unit_picker import UnitCodeField, UnitPickerMixin

ANY = ("", _("All"))
INDENT = "\u2003"  # an em space: the drop-down cannot be styled, so depth is shown with whitespace


class MemberFilterForm(OrganizationPickerMixin, AsOfForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, record, card or CCCD number")}),
    )
    # A search-as-you-type box (a code, or a name): the scope may hold thousands of organizations.
    to_chuc = OrganizationPickerField(label=_("Organization"))
    gioi_tinh = forms.ChoiceField(label=_("Gender"), required=False, choices=[ANY, *Gender.choices])
    ly_luan = forms.TypedChoiceField(
        label=_("Political theory"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[ANY, *TheoryLevel.choices],
    )

    def filters(self):
        data = self.cleaned_data
        return {
            "query": data.get("q", "").strip(),
            "organization_id": data.get("to_chuc"),
            "gender": data.get("gioi_tinh", ""),
            "theory_level": data.get("ly_luan"),
        }


# --- Data entry: each form below feeds exactly one service call (members.services) ------------------------------

IDENTITY_FIELDS = [
    "full_name",
    "gender",
    "date_of_birth",
    "ethnicity",
    "religion",
    "record_number",
    "card_number",
    "citizen_id",
]
# The coded records the program's tracked figures count (members.record_models), edited with the identity.
RECORD_FIELDS = [*CODED_FIELDS, "youth_union_at_admission"]
MEMBER_FIELDS = [*IDENTITY_FIELDS, *RECORD_FIELDS]
# A within-province transfer is a pair of events (out, then in) written by members.services.member_transfer.
TRANSFER_WITHIN = "TRANSFER_WITHIN"
MOVEMENT_CHOICES = [
    (
        _("Increase"),
        [
            (k.value, k.label)
            for k in (MovementKind.ADMITTED, MovementKind.READMITTED, MovementKind.TRANSFER_IN, MovementKind.RESTORED)
        ],
    ),
    (_("Within the province"), [(TRANSFER_WITHIN, _("Transfer to another organization of the province"))]),
    (
        _("Decrease"),
        [
            (k.value, k.label)
            for k in (
                MovementKind.TRANSFER_OUT,
                MovementKind.DECEASED,
                MovementKind.EXPELLED,
                MovementKind.STRUCK_OFF,
                MovementKind.WITHDRAWN,
            )
        ],
    ),
]
NOT_RECORDED = _("— not recorded —")
CARD_HELP = _("8 digits; only official members (12 months after admission) hold a card.")
NO_ORGANIZATION_CODE = _("No party organization has the code %(code)s.")


def date_input(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DayInput, **kwargs)


def unit_choices(placements):
    """Drop-down choices for placements in tree order, indented by depth (relative to the shallowest)."""
    placements = list(placements)
    top = min((p.depth for p in placements), default=0)
    return [(p.organization_id, f"{INDENT * (p.depth - top)}{p.organization}") for p in placements]


class ServiceErrorsMixin:
    """A form whose save is one service call; the service's ValidationError lands on the fields it names."""

    # Service argument names that differ from the form's field names.
    error_fields = {}

    def apply_service_error(self, error):
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                field = self.error_fields.get(name, name)
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class ServiceForm(ServiceErrorsMixin, forms.Form):
    pass


class OrganizationChoiceMixin:
    """An `organization` drop-down over placements already filtered to the actor's writable scope."""

    def set_organizations(self, placements, name="organization"):
        placements = list(placements)
        self._organizations = {p.organization_id: p.organization for p in placements}
        self.fields[name].choices = [("", _("— choose —")), *unit_choices(placements)]

    def organization(self, name="organization"):
        return self._organizations[self.cleaned_data[name]]


class MemberIdentityForm(ServiceErrorsMixin, forms.ModelForm):
    """Identity fields of a member and their coded records; the model's own checks run in the service, with its
    messages."""

    date_of_birth = date_input(_("date of birth"))

    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        help_texts = {"card_number": CARD_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each coded field offers the active codes of its list, and keeps the member's own even if deactivated.
        for name in CODED_FIELDS:
            field = Member._meta.get_field(name)
            current = getattr(self.instance, name) if self.instance.pk else None
            self.fields[name].queryset = choosable_codes(field.remote_field.limit_choices_to["list"], current)
            self.fields[name].empty_label = NOT_RECORDED

    def _post_clean(self):
        # Skip ModelForm's model validation: the service validates the member and words the clashes itself.
        pass

    def identity(self):
        return {name: self.cleaned_data[name] for name in MEMBER_FIELDS}

    def changed_identity(self):
        return {name: self.cleaned_data[name] for name in self.changed_data if name in MEMBER_FIELDS}


class MemberAdmitForm(UnitPickerMixin, MemberIdentityForm):
    organization = UnitCodeField(label=_("Admitted into"))
    admission_date = date_input(_("admission date"))
    readmission = forms.BooleanField(label=_("Re-admission (kết nạp lại)"), required=False)
    unit_date_field = "admission_date"

    class Meta(MemberIdentityForm.Meta):
        # Where and when first, as on the admission decision; then who.
        fields = ["organization", "admission_date", "readmission", *MEMBER_FIELDS]
        help_texts = {"card_number": CARD_HELP}


class MemberArriveForm(UnitPickerMixin, MemberIdentityForm):
    """A member transferred in from another province: their own admission date, and the day they arrive."""

    organization = UnitCodeField(label=_("Arrives at"))
    arrival_date = date_input(_("date of arrival"))
    admission_date = date_input(
        _("admission date"), help_text=_("The date of the admission ceremony, as in the member's party record.")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=255,
        help_text=_("For example the province and the organization the member comes from."),
    )
    unit_date_field = "arrival_date"

    class Meta(MemberIdentityForm.Meta):
        fields = ["organization", "arrival_date", "admission_date", "note", *MEMBER_FIELDS]
        help_texts = {"card_number": CARD_HELP}


class MovementForm(UnitPickerMixin, ServiceForm):
    kind = forms.ChoiceField(label=_("Movement"), choices=MOVEMENT_CHOICES)
    date = date_input(_("Date"))
    organization = UnitCodeField(
        label=_("Organization"),
        help_text=_(
            "The unit's code. For a decrease, the member's current organization; for an increase or a transfer, "
            "where to: any unit you may change, in any district."
        ),
    )
    transfer_scope = forms.ChoiceField(
        label=_("Transfer scope"),
        required=False,
        choices=[("", "—"), *TransferScope.choices],
        help_text=_("Only for a single transfer in or out."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)
    error_fields = {"to_organization": "organization"}


class TheoryLevelForm(ServiceForm):
    level = forms.TypedChoiceField(
        label=_("Political theory level"), coerce=int, choices=[c for c in TheoryLevel.choices if c[0]]
    )
    obtained_on = date_input(_("Obtained on"))


class DisciplineForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Discipline"), choices=DisciplineKind.choices)
    decided_on = date_input(_("Decided on"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=255)


class StatusPeriodForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Status"), choices=StatusKind.choices)
    start = date_input(_("From"))
    end = date_input(_("To"), required=False)
    host_code = forms.CharField(
        label=_("Code of the host organization"),
        required=False,
        max_length=32,
        help_text=_("Only for temporary activity elsewhere: the code of the organization the member joins."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=255)
    error_fields = {"host_organization": "host_code"}

    def clean_host_code(self):
        code = self.cleaned_data["host_code"].strip()
        if not code:
            return None
        host = Organization.objects.filter(code__iexact=code).order_by("-valid_from").first()
        if host is None:
            raise forms.ValidationError(NO_ORGANIZATION_CODE, params={"code": code})
        return host


NOT_A_COMMITTEE_CHOICE = _("Choose one of the committees in the list.")
ENDED_LABEL = _("%(label)s (until %(date)s)")


class CommitteeSeatForm(OrganizationChoiceMixin, ServiceForm):
    organization = forms.TypedChoiceField(
        label=_("Committee of"),
        coerce=int,
        # Django's own message repeats the value sent: an internal id.
        error_messages={"invalid_choice": NOT_A_COMMITTEE_CHOICE},
        help_text=_(
            "The units the member has been on the rolls of, and those above them, that you may change; the member "
            "must be on the rolls of the chosen unit or of a unit under it during the term."
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=SeatRole.choices)
    start = date_input(_("Term from"))
    end = date_input(_("Term to"), required=False)

    def set_committees(self, placements):
        """The drop-down over `placements`; a unit that has ended says until when (a seat must end by then)."""
        placements = list(placements)
        self.set_organizations(placements)
        ended = {p.organization_id: p.organization.valid_to for p in placements if p.organization.valid_to}
        self.fields["organization"].choices = [
            (
                value,
                ENDED_LABEL % {"label": label, "date": ended[value].strftime("%d/%m/%Y")} if value in ended else label,
            )
            for value, label in self.fields["organization"].choices
        ]


class EndForm(ServiceForm):
    """The last day of a seat or a status period."""

    end = date_input(_("Last day"))
