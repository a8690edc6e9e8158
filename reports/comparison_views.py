"""The peer comparison page (/bao-cao/so-sanh/?year=…&group=…&indicator=…) and its workbook: for the Board and the
Steering Committee (COMPARE_UNITS). The view parses, asks the selector and renders; no arithmetic here."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators import dashboard, selectors
from indicators.definitions import definitions_for
from organizations import policy
from party_portal import excel

from . import comparison as tables

YEAR, GROUP, INDICATOR = "year", "group", "indicator"


class ComparisonForm(forms.Form):
    """A program year, a group of definitions (the program's targets by default) and one indicator of it."""

    def __init__(self, data, *, program, **kwargs):
        super().__init__(data, **kwargs)
        definitions = definitions_for(program)
        groups = selectors.comparison_groups(program)
        self.fields[YEAR] = forms.TypedChoiceField(
            label=_("Year"), choices=[(y, y) for y in reversed(program.years)], coerce=int, required=False
        )
        self.fields[GROUP] = forms.ChoiceField(
            label=_("Group of indicators"),
            choices=[(g, dashboard.GROUP_TITLES.get(g, g)) for g in groups],
            required=False,
        )
        self.fields[INDICATOR] = forms.ChoiceField(
            label=_("Indicator"), choices=[(d.code, f"{d.code} – {d.short_name}") for d in definitions], required=False
        )
        self.groups_of = {d.code: d.group for d in definitions}
        self.default_year = min(program.last_year, timezone.localdate().year)

    @property
    def year(self):
        return self.cleaned_data.get(YEAR) or self.default_year

    @property
    def group(self):
        """The group asked for, else the indicator's, else the program's targets."""
        group = self.cleaned_data.get(GROUP)
        indicator = self.cleaned_data.get(INDICATOR)
        return group or self.groups_of.get(indicator) or None


def _form(request, program):
    form = ComparisonForm(request.GET, program=program)
    form.is_valid()
    return form


def _query(result, **params):
    return urlencode({key: value for key, value in {YEAR: result.year, **params}.items() if value})


@login_required
def comparison_page(request):
    policy.require(request.user, policy.COMPARE_UNITS)
    program = selectors.default_program()
    form = _form(request, program)
    if form.errors:
        return render(request, "reports/comparison.html", {"form": form}, status=400)
    result = selectors.comparison(actor=request.user, year=form.year, group=form.group, program=program)
    context = {"form": form, "year": form.year, "result": result}
    if result is not None and result.indicators:
        asked = form.cleaned_data.get(INDICATOR)
        item = result.indicator(asked) or result.indicators[0]
        group = form.group or ""
        context.update(
            item=item,
            rows=tables.indicator_rows(result, item),
            direction=tables.direction_text(item),
            threshold=dashboard.threshold_text(item.comparator, item.threshold, item.definition.unit),
            overview=tables.overview_rows(result),
            improved=tables.improved_lines(result),
            indicator_links=[
                (other.code, f"?{_query(result, group=group, indicator=other.code)}", other is item)
                for other in result.indicators
            ],
            download_url=f"{reverse('reports:comparison_download')}?{_query(result, group=group)}",
            previous_year=result.year - 1,
            computed_at=result.computed_at,
        )
    return render(request, "reports/comparison.html", context)


@login_required
def comparison_download(request):
    """The comparison as an Excel workbook (XLSX): the same ranks and values as the page."""
    policy.require(request.user, policy.COMPARE_UNITS)
    program = selectors.default_program()
    form = _form(request, program)
    if form.errors:
        return render(request, "reports/comparison.html", {"form": form}, status=400)
    result = selectors.comparison(actor=request.user, year=form.year, group=form.group, program=program)
    if result is None:
        return render(request, "reports/comparison.html", {"form": form, "year": form.year, "result": None})
    return excel.xlsx_response(tables.comparison_workbook(result), tables.workbook_name(result))
