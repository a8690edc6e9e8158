"""Filters of the member list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.forms import AsOfForm

from .models import Gender, TheoryLevel

ANY = ("", _("All"))
INDENT = "\u2003"  # an em space: the drop-down cannot be styled, so depth is shown with whitespace


class MemberFilterForm(AsOfForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, record, card or CCCD number")}),
    )
    to_chuc = forms.TypedChoiceField(label=_("Organization"), required=False, coerce=int, empty_value=None)
    gioi_tinh = forms.ChoiceField(label=_("Gender"), required=False, choices=[ANY, *Gender.choices])
    ly_luan = forms.TypedChoiceField(
        label=_("Political theory"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[ANY, *TheoryLevel.choices],
    )

    def __init__(self, *args, placements=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Indented by depth so the drop-down reads as the tree; depth is relative to the user's top node.
        placements = list(placements)
        top = min((p.depth for p in placements), default=0)
        self.fields["to_chuc"].choices = [
            ("", _("Whole scope")),
            *((p.organization_id, f"{INDENT * (p.depth - top)}{p.organization}") for p in placements),
        ]

    def filters(self):
        data = self.cleaned_data
        return {
            "query": data.get("q", "").strip(),
            "organization_id": data.get("to_chuc"),
            "gender": data.get("gioi_tinh", ""),
            "theory_level": data.get("ly_luan"),
        }
