"""The upload form and the ratings template form of the import pages."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import scoping
from organizations.models import GRASSROOTS_KINDS, Organization

from ..models import ImportKind, RatingYear, YearState

# The import pages name the kind of file in their URLs in Vietnamese.
KIND_SLUGS = {"to-chuc": ImportKind.ORGANIZATIONS, "dang-vien": ImportKind.MEMBERS, "xep-loai": ImportKind.RATINGS}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}


def grassroots_choices(actor):
    """TCCSĐ the actor may rate in an open year (judged on 31/12 of each open year, and today), by code."""
    days = [date(y, 12, 31) for y in RatingYear.objects.filter(state=YearState.OPEN).values_list("year", flat=True)]
    ids = set()
    for day in [*days, timezone.localdate()]:
        ids.update(scoping.visible_placements(actor, day, write=True).values_list("organization_id", flat=True))
    return Organization.objects.filter(pk__in=ids, kind__in=GRASSROOTS_KINDS).order_by("code")


class RatingScopeForm(forms.Form):
    """Which TCCSĐ and year a ratings file is for (to download its pre-filled template, or with the upload)."""

    to_chuc = forms.ModelChoiceField(
        label=_("Grassroots organization (TCCSĐ)"), queryset=Organization.objects.none(), required=False
    )
    nam = forms.ModelChoiceField(
        label=_("Year"),
        queryset=RatingYear.objects.filter(state=YearState.OPEN).order_by("-year"),
        required=False,
        empty_label=None,
        to_field_name="year",
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_chuc"]
        field.queryset = grassroots_choices(actor)
        field.label_from_instance = lambda org: f"{org.code} – {org.name}"
        # A grassroots cadre has one TCCSĐ: no need to pick it from a list.
        if len(field.queryset[:2]) == 1:
            field.empty_label = None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("to_chuc") or not cleaned.get("nam"):
            raise forms.ValidationError(_("Choose the grassroots organization (TCCSĐ) and the year."))
        return cleaned


class UploadForm(forms.Form):
    tep = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
