"""The upload form of the import pages; a kind that asks more (a TCCSĐ, a year) declares its own scope form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    tep = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ScopeForm(forms.Form):
    """Base of a kind's scope form: built with the acting user; scope() turns its cleaned data into the job's
    organization, year and JSON parameters (by default: fields named organization and year, the rest as given)."""

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def scope(self):
        return dict(self.cleaned_data)
