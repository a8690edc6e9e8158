"""The organization picker: a search-as-you-type box instead of a drop-down listing the whole scope (issue 13).

A province has some 1,700 organizations down to the TCCSĐ, and many more cells: a <select> with all of them cost
a fifth of a second to render on every list page. The box holds a code; static/js/org_picker.js fills its
suggestions (code and name) from `picker_options` — the JSON endpoint `organizations:picker`, scoped to the
actor, 20 at a time, diacritics-insensitive. Without script the box still works: one types a code, or a name
(with or without diacritics) that only one organization of the scope holds. A link may still carry an id.
"""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from party_portal.text import fold

from . import scoping

LIMIT = 20
# The filter pages print each error after its field's label ("Tổ chức đảng: …"): the messages do not repeat it.
NOT_FOUND = _(
    "no organization of your scope on %(date)s has the code or name “%(text)s”. "
    "Type a code, or choose one of the suggestions."
)
AMBIGUOUS = _(
    "%(count)s organizations of your scope have “%(text)s” in their name. "
    "Type the code of the one you mean, or choose one of the suggestions."
)


def _matching(placements, text):
    folded = fold(text)
    return placements.filter(Q(organization__code__istartswith=text) | Q(organization__name_folded__contains=folded))


def picker_options(*, actor, on, query="", write=False, limit=LIMIT):
    """Up to `limit` placements on `on` in the actor's scope (the part it may change, when `write`) whose code
    starts with, or whose folded name holds, `query` — the higher levels first, each level by code.
    `name_folded__contains` is a LIKE '%…%' the trigram index serves on PostgreSQL (organizations 0007)."""
    placements = scoping.visible_placements(actor, on, write=write)
    query = query.strip()
    if query:
        placements = _matching(placements, query)
    return list(placements.select_related("organization").order_by("depth", "organization__code")[:limit])


def resolve(*, actor, on, text, write=False):
    """The placement on `on` in the actor's scope (the part it may change, when `write`) that `text` names — a
    code, an id (links), or a name only one organization holds — or a ValidationError whose message the caller
    completes with the field's label."""
    text = text.strip()
    placements = scoping.visible_placements(actor, on, write=write).select_related("organization")
    params = {"text": text, "date": on.strftime("%d/%m/%Y")}
    # One query for a code or an id; a code wins over an id that happens to read the same.
    named = Q(organization__code__iexact=text) | (Q(organization_id=int(text)) if text.isdigit() else Q(pk__in=[]))
    found = sorted(placements.filter(named)[:2], key=lambda p: p.organization.code.upper() != text.upper())
    if found:
        return found[0]
    # A number is an id or nothing: "2" must not pick "Chi bộ khu phố 2".
    found = [] if text.isdigit() else list(placements.filter(organization__name_folded__contains=fold(text))[:LIMIT])
    if len(found) == 1:
        return found[0]
    if found:
        raise forms.ValidationError(AMBIGUOUS, code="ambiguous", params={**params, "count": len(found)})
    raise forms.ValidationError(NOT_FOUND, code="not_found", params=params)


NOT_OFFERED = _(
    "no organization this form offers you has the code or name “%(text)s”. "
    "Type a code, or choose one of the suggestions."
)


def resolve_among(organizations, text):
    """The organization of the queryset `organizations` (the choices a form offers) that `text` names — a code,
    an id (links), or a name only one of them holds — else a ValidationError (NOT_OFFERED or AMBIGUOUS)."""
    text = text.strip()
    named = Q(code__iexact=text) | (Q(pk=int(text)) if text.isdigit() else Q(pk__in=[]))
    found = sorted(organizations.filter(named)[:2], key=lambda o: o.code.upper() != text.upper())
    if found:
        return found[0]
    found = [] if text.isdigit() else list(organizations.filter(name_folded__contains=fold(text))[:LIMIT])
    if len(found) == 1:
        return found[0]
    if found:
        raise forms.ValidationError(AMBIGUOUS, code="ambiguous", params={"text": text, "count": len(found)})
    raise forms.ValidationError(NOT_OFFERED, code="not_found", params={"text": text})


class OrganizationPickerInput(forms.TextInput):
    """A text box with a <datalist> of suggestions that static/js/org_picker.js fills as one types. The
    suggestions are of the tree on the date in the form's field `date_field` (default `ngay`), else on 31/12 of
    the year in its field `year_field` (a report's year: a district that ended in 2025 is suggested for 2024), else
    today."""

    input_type = "search"

    def __init__(self, attrs=None, *, write=False, year_field=None, date_field=None):
        super().__init__(attrs)
        self.write = write
        self.year_field = year_field
        self.date_field = date_field

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        options_id = f"{attrs.get('id', name)}-options"
        attrs.update(
            {
                "list": options_id,
                "autocomplete": "off",
                "placeholder": _("Code or name of the organization"),
                "data-org-picker": reverse("organizations:picker"),
            }
        )
        if self.write:
            attrs["data-org-picker-write"] = "1"
        if self.year_field:
            attrs["data-org-picker-year"] = self.year_field
        if self.date_field:
            attrs["data-org-picker-date"] = self.date_field
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, options_id)


class OrganizationsPickerInput(OrganizationPickerInput):
    """Several picker boxes under one name (the organizations a merge joins); the form reads them as a list."""

    rows = 4

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        return [value for value in values if value.strip()]

    def value_omitted_from_data(self, data, files, name):
        return False

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        base = attrs.get("id", name)
        values = list(value or [])
        values += [""] * max(self.rows - len(values), 0)
        boxes = [
            super(OrganizationsPickerInput, self).render(name, text, {**attrs, "id": f"{base}_{row}"}, renderer)
            for row, text in enumerate(values)
        ]
        return format_html_join("", "{}", ((box,) for box in boxes))


class OrganizationsPickerField(forms.Field):
    """The texts of several organization pickers, as a list; the form resolves them."""

    def __init__(self, *, write=False, date_field=None, **kwargs):
        kwargs.setdefault("widget", OrganizationsPickerInput(write=write, date_field=date_field))
        super().__init__(**kwargs)
        self.write = write

    def to_python(self, value):
        return [text.strip() for text in value or [] if text.strip()]


class OrganizationPickerField(forms.CharField):
    """The text of an organization picker; the form resolves it (`OrganizationPickerMixin`)."""

    widget = OrganizationPickerInput

    def __init__(self, *, write=False, year_field=None, date_field=None, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", OrganizationPickerInput(write=write, year_field=year_field, date_field=date_field))
        super().__init__(**kwargs)
        self.write = write


class OrganizationPickerMixin:
    """Resolves the form's picker fields to placements of the actor's scope on the form's date (`ngay`, else
    today).

    After cleaning, `cleaned_data[name]` is the organization's id (None when the box is empty) and the box shows
    the organization's code (a link's id becomes the code)."""

    picker_fields = ("to_chuc",)
    # A form may word a refusal its own way, by the error's code ("not_found", "ambiguous").
    picker_refusals = {}
    # The fields' own `write` says whether they pick in the part of the tree the actor may change.

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.picked = {}

    def picker_date(self):
        return self.cleaned_data.get("ngay") or scoping.today()

    def clean(self):
        data = super().clean()
        for name in self.picker_fields:
            text = (data.get(name) or "").strip()
            data[name] = None
            if not text or name in self.errors:
                continue
            try:
                placement = resolve(actor=self.actor, on=self.picker_date(), text=text, write=self.fields[name].write)
            except forms.ValidationError as error:
                self.add_error(name, self.picker_refusals.get(error.code, error))
                continue
            self.picked[name] = placement.organization
            data[name] = placement.organization_id
            if getattr(self.data, "_mutable", False):
                self.data[name] = placement.organization.code
        return data

    def chosen_organization(self, name="to_chuc"):
        return self.picked.get(name)
