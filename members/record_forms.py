"""Forms of the coded lists, government posts and attendance pages; each feeds one service
(members.record_services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import NOT_A_COMMITTEE_CHOICE, OrganizationChoiceMixin, ServiceForm, date_input
from .record_models import CodeList
from .record_selectors import choosable_codes

# Meetings a cell may hold in a quarter: monthly ones and the extraordinary ones, with room to spare.
MAX_MEETINGS = 99


def _upper(value):
    return value.strip().upper()


class CodeForm(ServiceForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("1–16 capital letters, digits or underscores; imports and the API name the entry by it."),
    )
    name = forms.CharField(label=_("Name"), max_length=128)
    name_en = forms.CharField(label=_("Name (English)"), max_length=128, required=False)
    group = forms.CharField(
        label=_("Group"),
        max_length=32,
        required=False,
        help_text=_(
            "Codes a figure counts together share a group (THIEU_SO: every ethnic minority; TRI_THUC: university "
            "degree or higher). Changing it changes those figures."
        ),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=32767, initial=0, help_text=_("Order in the list, smallest first.")
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("An inactive code is no longer offered for new records; the records that hold it keep it."),
    )

    def __init__(self, *args, used=0, **kwargs):
        super().__init__(*args, **kwargs)
        if used:
            # The service refuses the change too; the page says so before anyone types.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Used by %(count)s records: the code cannot change.") % {"count": used}

    def clean_code(self):
        return _upper(self.cleaned_data["code"])

    def clean_group(self):
        return _upper(self.cleaned_data["group"])


class GovernmentPostForm(OrganizationChoiceMixin, ServiceForm):
    kind = forms.ModelChoiceField(
        label=_("Post"),
        queryset=choosable_codes(CodeList.POST),
        error_messages={"invalid_choice": _("Choose one of the posts in the list.")},
    )
    organization = forms.TypedChoiceField(
        label=_("Party organization served"),
        coerce=int,
        error_messages={"invalid_choice": NOT_A_COMMITTEE_CHOICE},
        help_text=_(
            "The party organization of the commune, village or residential group the post serves: a unit the "
            "member has been on the rolls of, or one above it, that you may change."
        ),
    )
    place = forms.CharField(
        label=_("Commune, village or residential group"),
        required=False,
        max_length=128,
        help_text=_("Its name, as in the appointment or election decision."),
    )
    start = date_input(_("From"))
    end = date_input(_("To"), required=False)


class AttendanceForm(ServiceForm):
    """Two numbers per committee member assigned to the cell: the meetings held and those attended."""

    def __init__(self, *args, members=(), rows=None, **kwargs):
        rows = rows or {}
        initial = {}
        for member_id, row in rows.items():
            initial[f"held_{member_id}"] = row.meetings_held
            initial[f"attended_{member_id}"] = row.meetings_attended
        super().__init__(*args, initial=initial, **kwargs)
        self.members = list(members)
        for member in self.members:
            for prefix, label in (("held", _("Meetings held")), ("attended", _("Meetings attended"))):
                label = f"{member.full_name}: {label}"
                self.fields[f"{prefix}_{member.pk}"] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=MAX_MEETINGS,
                    required=False,
                    widget=forms.NumberInput(attrs={"aria-label": label}),
                )

    def rows(self):
        """(member, held field, attended field) for each member, in the page's order."""
        return [(member, self[f"held_{member.pk}"], self[f"attended_{member.pk}"]) for member in self.members]

    def entries(self):
        data = self.cleaned_data
        return [(member, data[f"held_{member.pk}"], data[f"attended_{member.pk}"]) for member in self.members]
