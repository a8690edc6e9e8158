"""Input of the tree pages (the as-of date in dd/mm/yyyy, the search box) and the admin forms that call services."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Pinned rather than taken from the active locale: under the English UI Django would read 05/03/2025 as 3 May.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_DISPLAY_FORMAT = "%d/%m/%Y"
AS_OF_PARAM = "ngay"


class DayInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "size": 10, "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_DISPLAY_FORMAT)


def day_field(label, **kwargs):
    return forms.DateField(label=label, required=False, input_formats=DATE_INPUT_FORMATS, widget=DayInput, **kwargs)


class AsOfForm(forms.Form):
    """A GET form whose date defaults to today; a bad date is reported and today is used instead."""

    ngay = day_field(_("As of"))

    @classmethod
    def from_request(cls, request, **kwargs):
        data = request.GET.copy()
        if not data.get(AS_OF_PARAM):
            data[AS_OF_PARAM] = timezone.localdate().strftime(DATE_DISPLAY_FORMAT)
        form = cls(data, **kwargs)
        form.is_valid()
        return form

    @property
    def as_of(self):
        return self.cleaned_data.get(AS_OF_PARAM) or timezone.localdate()


class TreeSearchForm(AsOfForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Code or name, with or without diacritics"), "type": "search"}),
    )


class ServiceModelForm(forms.ModelForm):
    """An admin form whose save is a service call, so the admin door enforces the same rules as the others.

    The service runs as the last step of validation (inside the admin's transaction) so that its
    ValidationError or PermissionDenied shows on the form instead of as a server error.
    """

    actor = None  # set per request by ServiceAdminMixin.get_form
    saved = None
    # The service the form saves through; its keyword arguments are the form's fields, plus the actor.
    # Forms whose fields do not map one-to-one override save_through_service instead.
    service = None

    def save_through_service(self, actor):
        return type(self).service(actor=actor, **self.cleaned_data)

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.saved = self.save_through_service(self.actor)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    self.add_error(name if name in self.fields else None, errors)
            else:
                self.add_error(None, error)
        except PermissionDenied as error:
            self.add_error(None, str(error))


class ServiceAdminMixin:
    """ModelAdmin side of ServiceModelForm: an add form of its own, and no second save after the service's."""

    add_form = None

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and self.add_form is not None:
            kwargs["form"] = self.add_form
        form_class = super().get_form(request, obj, **kwargs)
        form_class.actor = request.user
        return form_class

    def save_model(self, request, obj, form, change):
        saved = form.saved
        if saved is not None and saved is not obj:
            # The service built its own instance; the admin goes on (log entry, redirect) with `obj`.
            obj.pk = saved.pk
            obj._state.adding = False
            obj.refresh_from_db()
