"""Input of the rating pages: the grid's rows, the decisions of the approval queue, the filters.

Only the input itself is checked here (a choice that exists, a number that is one); the rating rules are
evaluations.rules, applied by the services, whose messages the views show next to the rows.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .entry_selectors import NOT_STARTED
from .models import Level, NotRatedReason, SubmissionState

# Levels and reasons share one drop-down per row: their stored values never overlap.
MEMBER_REASONS = [
    NotRatedReason.EXEMPT,
    NotRatedReason.SUSPENDED,
    NotRatedReason.NEW_MEMBER,
    NotRatedReason.PENDING,
]
UNIT_REASONS = [NotRatedReason.NEW_ORGANIZATION, NotRatedReason.PENDING]
LEVEL_VALUES = set(Level.values)


def rating_groups(reasons):
    """The drop-down's choices, grouped: the levels, then the reasons for not rating."""
    return [
        ("", _("— choose —")),
        (_("Rating"), list(Level.choices)),
        (_("Not rated"), [(reason.value, reason.label) for reason in reasons]),
    ]


def split_rating(value):
    """A drop-down value as the services take it: (level, not_rated_reason)."""
    if not value:
        return "", ""
    return (value, "") if value in LEVEL_VALUES else ("", value)


def rating_value(rating):
    """The drop-down value of a saved rating ("" when none)."""
    if rating is None:
        return ""
    return rating.level or rating.not_rated_reason


SCORE_RANGE = _("The score is a number from 0 to 100.")
SCORE_ERRORS = {
    "invalid": SCORE_RANGE,
    "min_value": SCORE_RANGE,
    "max_value": SCORE_RANGE,
    "max_digits": SCORE_RANGE,
    "max_whole_digits": SCORE_RANGE,
    "max_decimal_places": _("The score has at most 2 decimals."),
}


def score_field():
    return forms.DecimalField(
        label=_("Score"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        error_messages=SCORE_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )


class MemberRowForm(forms.Form):
    """One member's row of the grid (prefix m-<member id>)."""

    rating = forms.ChoiceField(label=_("Rating"), required=False, choices=rating_groups(MEMBER_REASONS))
    score = score_field()
    sick = forms.BooleanField(label=_("Sick leave of 3 months or more"), required=False)


class UnitRowForm(forms.Form):
    """One cell's row of the grid (prefix c-<organization id>)."""

    rating = forms.ChoiceField(label=_("Rating"), required=False, choices=rating_groups(UNIT_REASONS))
    score = score_field()


class OwnRatingForm(forms.Form):
    """The level above rates the TCCSĐ itself."""

    rating = forms.ChoiceField(label=_("Rating of the organization"), choices=rating_groups(UNIT_REASONS))
    score = score_field()


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Required when returning: say what to fix.")}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# ?trang_thai= of the approval queue: (Vietnamese slug, state, tab label). The English state codes of earlier
# links are still accepted.
STATE_FILTERS = [
    ("cho-duyet", SubmissionState.SUBMITTED.value, _("Waiting for approval")),
    ("tra-lai", SubmissionState.RETURNED.value, _("Returned")),
    ("da-duyet", SubmissionState.APPROVED.value, _("Approved")),
    ("ban-nhap", SubmissionState.DRAFT.value, _("Draft")),
    ("chua-bat-dau", NOT_STARTED, _("Not started")),
    ("tat-ca", "", _("All")),
]
STATE_OF_SLUG = {slug: state for slug, state, _label in STATE_FILTERS}
SLUG_OF_STATE = {state: slug for slug, state, _label in STATE_FILTERS}


class YearFilterForm(forms.Form):
    """?nam=: the rating year a list shows (defaults to the latest open one)."""

    nam = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, data=None, *, years=(), default=None, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("nam") and default is not None:
            data["nam"] = str(default)
        super().__init__(data, **kwargs)
        self.fields["nam"].choices = [(y, str(y)) for y in years]

    @property
    def year(self):
        if self.is_valid():
            return self.cleaned_data["nam"]
        return None


class QueueFilterForm(YearFilterForm):
    trang_thai = forms.CharField(label=_("State"), required=False)

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("trang_thai", SLUG_OF_STATE[SubmissionState.SUBMITTED])
        super().__init__(data, **kwargs)

    def clean_trang_thai(self):
        """The state a slug names (an English state code of an earlier link names itself)."""
        value = self.cleaned_data["trang_thai"]
        if value in STATE_OF_SLUG:
            return STATE_OF_SLUG[value]
        if value in SLUG_OF_STATE:
            return value
        raise forms.ValidationError(_("Unknown state: %(value)s."), params={"value": value}, code="invalid")

    @property
    def state(self):
        return self.cleaned_data.get("trang_thai", "") if self.is_valid() else SubmissionState.SUBMITTED.value

    @property
    def state_slug(self):
        return SLUG_OF_STATE[self.state]
