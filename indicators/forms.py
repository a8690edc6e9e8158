"""Query-string input of the dashboard pages (?nam=2024&pham-vi=<id>…); Vietnamese parameter names."""

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from evaluations.selectors import EXPLICIT_REASONS
from organizations.models import OrgType

from .dashboard import GROUP_PARAM, INDICATOR_PARAM, REASON_PARAM, SCOPE_PARAM, TYPE_PARAM, YEAR_PARAM
from .selectors import RATING_GROUPS


class DashboardForm(forms.Form):
    """Year and scope; a bad year falls back to the default with a message, a bad scope is a 404."""

    def __init__(self, data, *, years, default_year, **kwargs):
        super().__init__(data, **kwargs)
        self.default_year = default_year
        self.fields[YEAR_PARAM] = forms.TypedChoiceField(
            label=_("Year"), choices=[(y, y) for y in years], coerce=int, required=False, empty_value=None
        )
        self.fields[SCOPE_PARAM] = forms.IntegerField(label=_("Scope"), required=False, min_value=1)

    @classmethod
    def from_request(cls, request, **kwargs):
        form = cls(request.GET, **kwargs)
        form.is_valid()
        if SCOPE_PARAM in form.errors:
            raise Http404
        return form

    @property
    def year(self):
        return self.cleaned_data.get(YEAR_PARAM) or self.default_year

    @property
    def year_given(self):
        return self.cleaned_data.get(YEAR_PARAM) is not None

    @property
    def scope_id(self):
        return self.cleaned_data.get(SCOPE_PARAM)


class DrilldownForm(DashboardForm):
    """Which number of which figure: anything malformed is a 404, since these URLs come from the dashboard."""

    def __init__(self, data, *, definitions=(), **kwargs):
        super().__init__(data, **kwargs)
        self.definitions = {d.code: d for d in definitions}
        self.fields[INDICATOR_PARAM] = forms.ChoiceField(choices=[(code, code) for code in self.definitions])
        self.fields[GROUP_PARAM] = forms.ChoiceField(choices=[(g, g) for g in RATING_GROUPS])
        self.fields[REASON_PARAM] = forms.ChoiceField(choices=[(r, r) for r in EXPLICIT_REASONS], required=False)
        self.fields[TYPE_PARAM] = forms.ChoiceField(choices=OrgType.choices, required=False)

    @classmethod
    def from_request(cls, request, **kwargs):
        form = cls(request.GET, **kwargs)
        if not form.is_valid():
            raise Http404
        return form

    @property
    def indicator(self):
        return self.cleaned_data[INDICATOR_PARAM]

    @property
    def definition(self):
        return self.definitions[self.indicator]

    @property
    def group(self):
        return self.cleaned_data[GROUP_PARAM]

    @property
    def reason(self):
        return self.cleaned_data.get(REASON_PARAM, "")

    @property
    def org_type(self):
        return self.cleaned_data.get(TYPE_PARAM, "")


class RefreshForm(forms.Form):
    """The year whose figures the Board or the Steering Committee asks to recompute."""

    def __init__(self, data, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.fields[YEAR_PARAM] = forms.TypedChoiceField(choices=[(y, y) for y in years], coerce=int)
        self.fields[SCOPE_PARAM] = forms.IntegerField(required=False, min_value=1)
