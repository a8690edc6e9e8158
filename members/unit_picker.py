"""The unit picker of the member forms: any unit the actor may write on the record's date, by its code.

A province has thousands of cells, too many for a drop-down, so the field is a code box whose suggestions
(codes and names, searched as one types) come from `unit_options`. Codes, not ids, travel in the form: a
refusal names the field and the code typed, never an internal number.
"""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from organizations import scoping
from organizations.models import OrgLevel
from party_portal.text import fold

# Members are on the rolls of a TCCSĐ or of a unit below it, never of a district-level committee.
UNIT_LEVELS = (OrgLevel.GRASSROOTS, OrgLevel.BELOW_GRASSROOTS)
SUGGESTIONS = 20
UNIT_NOT_WRITABLE = _(
    "%(field)s: no party cell or grassroots organization with the code “%(code)s” is in the part of the tree "
    "you may change on %(date)s. Type the code of a unit of your scope, or choose one from the suggestions."
)


def writable_units(actor, on, *, query=""):
    """Placements on `on` the actor may write, at the TCCSĐ level and below, whose code or name holds `query`."""
    placements = scoping.visible_placements(actor, on, write=True).filter(organization__level__in=UNIT_LEVELS)
    query = query.strip()
    if query:
        placements = placements.filter(
            Q(organization__code__icontains=query) | Q(organization__name_folded__contains=fold(query))
        )
    return placements.select_related("organization").order_by("path")


def writable_unit(actor, code, on):
    """The unit with this code if the actor may write it on `on`, else None."""
    placement = (
        scoping.visible_placements(actor, on, write=True)
        .filter(organization__level__in=UNIT_LEVELS, organization__code__iexact=code.strip())
        .select_related("organization")
        .first()
    )
    return placement.organization if placement else None


class UnitCodeInput(forms.TextInput):
    """A code box with a list of suggestions that htmx refreshes as one types (no script in the page)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        options_id = f"{attrs.get('id', name)}-options"
        query = urlencode({"truong": name})
        attrs.update(
            {
                "list": options_id,
                "autocomplete": "off",
                "placeholder": _("Code or name of the unit"),
                "hx-get": f"{reverse('members:unit_options')}?{query}",
                "hx-trigger": "input changed delay:300ms, focus once",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
            }
        )
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, options_id)


class UnitCodeField(forms.CharField):
    widget = UnitCodeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)


class UnitPickerMixin:
    """Resolves the form's unit codes to organizations the actor may write on the form's date (in clean)."""

    unit_fields = ("organization",)
    unit_date_field = "date"

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        day = data.get(self.unit_date_field) or timezone.localdate()
        for name in self.unit_fields:
            code = data.get(name)
            if not code or name in self.errors:
                continue
            unit = writable_unit(self.actor, code, day)
            if unit is None:
                params = {"field": self.fields[name].label, "code": code, "date": day.strftime("%d/%m/%Y")}
                self.add_error(name, forms.ValidationError(UNIT_NOT_WRITABLE, params=params))
            else:
                data[name] = unit
        return data
