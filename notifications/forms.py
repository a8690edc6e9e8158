from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Kind

EVERYTHING = ("", _("In the portal and by e-mail"))


class OptOutForm(forms.Form):
    """One choice per kind of notification: everything (the default), the portal only, or nothing."""

    def __init__(self, *args, initial_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=[EVERYTHING, *Delivery.choices],
                required=False,
                initial=(initial_choices or {}).get(kind.value, ""),
                widget=forms.RadioSelect,
            )


class MarkReadForm(forms.Form):
    notification = forms.IntegerField(label=_("notification"), min_value=1, required=False)
