"""The user administration forms: each one feeds one service of users.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import policy, scoping
from organizations.forms import DATE_INPUT_FORMATS, DayInput
from organizations.models import WRITE_ROLES, RoleKind
from organizations.pickers import OrganizationPickerField, OrganizationPickerMixin

from .selectors import ALL, ENDED, IN_FORCE

# Never the text sent: a link or a forged form may carry an internal id.
NOT_ADMINISTERED = _(
    "No organization you administer today has this code or name. Type a code, or choose one of the suggestions."
)
CHOOSE_KIND = _("Choose a role from the list.")
PASSWORD_HELP = _(
    "Leave empty to have a password generated. Either way it is shown once, and the user must change it at the "
    "first login."
)
STATE_CHOICES = [(IN_FORCE, _("In force")), (ENDED, _("Ended")), (ALL, _("All"))]


def _date(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DayInput, **kwargs)


def grantable_kinds(actor):
    """The role kinds at or below the actor's highest write role in force today (every kind for a superuser)."""
    if actor.is_superuser:
        return list(RoleKind.choices)
    day = scoping.today()
    ranks = [policy.KIND_RANK[r.kind] for r in policy.roles_of(actor) if r.kind in WRITE_ROLES and r.is_live_on(day)]
    top = max(ranks, default=0)
    return [(kind.value, kind.label) for kind in RoleKind if policy.KIND_RANK[kind] <= top]


class RoleFieldsForm(OrganizationPickerMixin, forms.Form):
    """A role's kind, organization and dates. The organization is a picker over the part of the tree the actor
    administers today (a province's Board administers some 1,700 units down to the TCCSĐ: too many for a
    drop-down); `cleaned_data["organization"]` is its id, `chosen_organization("organization")` the row."""

    kind = forms.ChoiceField(label=_("Portal role"), error_messages={"invalid_choice": CHOOSE_KIND})
    organization = OrganizationPickerField(label=_("Organization"), required=True, write=True)
    valid_from = _date(_("From"))
    valid_to = _date(_("Until"), required=False, help_text=_("Empty: until further notice."))

    picker_fields = ("organization",)
    picker_refusals = {"not_found": NOT_ADMINISTERED}

    def __init__(self, *args, actor, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("valid_from", timezone.localdate())
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["kind"].choices = [("", "—"), *grantable_kinds(actor)]


class UserCreateForm(RoleFieldsForm):
    username = forms.CharField(label=_("Login name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )
    field_order = ["username", "full_name", "email", "kind", "organization", "valid_from", "valid_to", "password"]


class RoleDatesForm(forms.Form):
    valid_from = _date(_("From"))
    valid_to = _date(_("Until"), required=False, help_text=_("Empty: until further notice."))


class RoleEndForm(forms.Form):
    last_day = _date(_("Last day in force"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("last_day", timezone.localdate())
        super().__init__(*args, **kwargs)


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("New initial password"),
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )


class RoleFilterForm(OrganizationPickerMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or login, with or without diacritics")}),
    )
    # A search-as-you-type box over the part of the tree the actor administers today (a code, or a name).
    to_chuc = OrganizationPickerField(label=_("Organization"), write=True)
    vai_tro = forms.ChoiceField(label=_("Portal role"), required=False, error_messages={"invalid_choice": CHOOSE_KIND})
    tinh_trang = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["vai_tro"].choices = [("", _("All")), *RoleKind.choices]

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": data.get("q", ""),
            "organization_id": data.get("to_chuc"),
            "kind": data.get("vai_tro", ""),
            "state": data.get("tinh_trang") or IN_FORCE,
        }
