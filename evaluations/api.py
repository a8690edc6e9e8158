"""Ratings and submissions over the API: read the members' and the organizations' ratings of a year, write a
TCCSĐ's rating grid and an organization's rating, and take a submission through its workflow (submit,
approve, return, reopen) — every write through evaluations.services, with its messages and its locks."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations import policy
from organizations import selectors as org_selectors
from organizations.api import OrganizationRefSerializer
from party_portal.api_base import (
    YEAR_MAX,
    YEAR_MIN,
    ApiMixin,
    IdFilter,
    InputSerializer,
    ListApi,
    SelectorFilterSet,
    id_field,
    year_filter,
)

from . import selectors, services
from .models import Level, MemberRating, NotRatedReason, OrganizationRating, Submission, SubmissionState

NO_RATING_YEAR = _("There is no rating year %(year)s.")
MEMBER_TWICE = _("A member appears more than once in the grid.")

# --- output ---------------------------------------------------------------------------------------------


class RatedMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    record_number = serializers.CharField()


class MemberRatingSerializer(serializers.ModelSerializer):
    member = RatedMemberSerializer()
    organization = OrganizationRefSerializer(help_text="The TCCSĐ that rated the member")
    year = serializers.IntegerField(source="year.year")

    class Meta:
        model = MemberRating
        fields = ["id", "member", "organization", "year", "level", "not_rated_reason", "score", "long_sick_leave"]


class OrganizationRatingSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer()
    year = serializers.IntegerField(source="year.year")

    class Meta:
        model = OrganizationRating
        fields = ["id", "organization", "year", "level", "not_rated_reason", "score"]


class ReopeningSerializer(serializers.Serializer):
    reason = serializers.CharField()
    by = serializers.CharField(source="by.username")
    at = serializers.DateTimeField()


class SubmissionSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer()
    year = serializers.IntegerField(source="year.year")
    editable = serializers.BooleanField(source="is_editable", help_text="Draft or returned: ratings may change")
    submitted_by = serializers.CharField(source="submitted_by.username", allow_null=True, default=None)
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    warnings = serializers.ListField(child=serializers.CharField(), help_text="Soft-rule warnings of the last save")

    class Meta:
        model = Submission
        fields = ["id", "organization", "year", "state", "editable", "comment", "submitted_at", "submitted_by"]
        fields += ["decided_at", "decided_by", "changed_after_approval", "warnings"]


class SubmissionDetailSerializer(SubmissionSerializer):
    reopenings = ReopeningSerializer(source="reopenings_list", many=True, help_text="Recorded reopens, oldest first")

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "reopenings"]


def submission_payload(submission):
    submission.reopenings_list = list(selectors.reopenings_of(submission=submission))
    return SubmissionDetailSerializer(submission).data


# --- input ----------------------------------------------------------------------------------------------


class RatingYearField(serializers.IntegerField):
    """A rating year given by its number; answers the RatingYear."""

    def __init__(self, **kwargs):
        super().__init__(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)

    def run_validation(self, data=serializers.empty):
        year = super().run_validation(data)
        try:
            return selectors.rating_year_get(year=year)
        except Http404:
            raise serializers.ValidationError(NO_RATING_YEAR % {"year": year}, code="no_rating_year") from None


class _RatingInput(InputSerializer):
    """A level, or a reason for not rating; which combinations are allowed is the service's rule set."""

    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True, default="")
    not_rated_reason = serializers.ChoiceField(
        choices=NotRatedReason.choices, required=False, allow_blank=True, default=""
    )
    # The database's range; the bands of each level are checked by the service (366-QĐ/TW only).
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True, default=None
    )


class GridEntryInput(_RatingInput):
    member = id_field()
    long_sick_leave = serializers.BooleanField(required=False, default=False)


class MemberGridInput(InputSerializer):
    organization = id_field(help_text="The TCCSĐ whose grid this is")
    year = RatingYearField()
    entries = GridEntryInput(many=True, help_text="Rows to save; rows not sent stay as they are")

    def validate_entries(self, entries):
        members = [entry["member"] for entry in entries]
        if len(set(members)) != len(members):
            raise serializers.ValidationError(MEMBER_TWICE, code="duplicate_member")
        return entries


class OrganizationRatingInput(_RatingInput):
    organization = id_field(help_text="A TCCSĐ (rated by the level above) or a cell")
    year = RatingYearField()


class CommentInput(InputSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReasonInput(InputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- lists ----------------------------------------------------------------------------------------------


class _YearFilter(SelectorFilterSet):
    year = year_filter(required=True, label="The rating year")
    organization = IdFilter(method="given_to_selector", label="Only this organization's subtree (on 31/12)")


class MemberRatingFilter(_YearFilter):
    level = filters.ChoiceFilter(choices=Level.choices)
    not_rated_reason = filters.ChoiceFilter(choices=NotRatedReason.choices)
    ordering = filters.OrderingFilter(
        fields=(("member__name_folded", "name"), ("organization__code", "organization"), ("level", "level"))
    )

    class Meta:
        model = MemberRating
        fields = []


class OrganizationRatingFilter(_YearFilter):
    level = filters.ChoiceFilter(choices=Level.choices)
    not_rated_reason = filters.ChoiceFilter(choices=NotRatedReason.choices)
    ordering = filters.OrderingFilter(fields=(("organization__code", "organization"), ("level", "level")))

    class Meta:
        model = OrganizationRating
        fields = []


class SubmissionFilter(_YearFilter):
    state = filters.ChoiceFilter(choices=SubmissionState.choices)
    ordering = filters.OrderingFilter(fields=(("organization__code", "organization"), ("state", "state")))

    class Meta:
        model = Submission
        fields = []


class MemberRatingListApi(ListApi):
    """Members' ratings for a year, given by the TCCSĐ of your scope on 31/12 (or of a node's subtree)."""

    queryset = MemberRating.objects.none()
    serializer_class = MemberRatingSerializer
    filterset_class = MemberRatingFilter

    def get_queryset(self):
        params = self.query()
        return selectors.member_rating_list(
            actor=self.request.user, year=params["year"], organization_id=params.get("organization")
        )

    @extend_schema(request=MemberGridInput, responses=SubmissionDetailSerializer)
    def post(self, request):
        """Save rows of one TCCSĐ's rating grid, all or none, with the rule set of the year. Refused while the
        ratings are submitted, approved or the year is closed; answers the submission with its warnings."""
        data = _valid(MemberGridInput, request)
        year = data["year"]
        organization = org_selectors.organization_for_write(
            actor=request.user, organization_id=data["organization"], on=date(year.year, 12, 31)
        )
        entries = [{**entry, "member_id": entry.pop("member")} for entry in data["entries"]]
        try:
            submission = services.member_ratings_save(
                actor=request.user, organization=organization, year=year, entries=entries
            )
        except DjangoValidationError as error:
            if not getattr(error, "row_errors", None):
                raise
            raise _by_row(error.row_errors, entries) from error
        return Response(submission_payload(submission))


def _by_row(row_errors, entries):
    """The service's messages on the grid's rows ("entries.3"), where it says which member each concerns."""
    rows = {entry["member_id"]: index for index, entry in enumerate(entries)}
    detail = {
        str(rows[member_id]): [ErrorDetail(str(message), code="invalid_rating") for message in messages]
        for member_id, messages in row_errors.items()
        if member_id in rows
    }
    return ValidationError({"entries": detail})


class OrganizationRatingListApi(ListApi):
    """Ratings of the TCCSĐ and cells of your scope for a year (or of a node's subtree)."""

    queryset = OrganizationRating.objects.none()
    serializer_class = OrganizationRatingSerializer
    filterset_class = OrganizationRatingFilter

    def get_queryset(self):
        params = self.query()
        return selectors.organization_rating_list(
            actor=self.request.user, year=params["year"], organization_id=params.get("organization")
        )

    @extend_schema(request=OrganizationRatingInput, responses=OrganizationRatingSerializer)
    def post(self, request):
        """Rate a TCCSĐ (the level above) or a cell (its TCCSĐ) for a year; locked with the TCCSĐ's ratings."""
        data = _valid(OrganizationRatingInput, request)
        year = data.pop("year")
        organization = org_selectors.organization_for_write(
            actor=request.user, organization_id=data.pop("organization"), on=date(year.year, 12, 31)
        )
        rating = services.organization_rating_save(actor=request.user, organization=organization, year=year, **data)
        return Response(OrganizationRatingSerializer(rating).data)


class SubmissionListApi(ListApi):
    """The year's submissions of the TCCSĐ of your scope (or of a node's subtree), with their state."""

    queryset = Submission.objects.none()
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter

    def get_queryset(self):
        params = self.query()
        return selectors.submission_list(
            actor=self.request.user, year=params["year"], organization_id=params.get("organization")
        )


# --- one submission and its workflow --------------------------------------------------------------------


class SubmissionDetailApi(ApiMixin, APIView):
    error_statuses = (401, 404)

    @extend_schema(responses=SubmissionDetailSerializer)
    def get(self, request, submission_id):
        """A submission of a TCCSĐ of your scope, with its warnings and its recorded reopens."""
        submission = selectors.submission_get(actor=request.user, submission_id=submission_id)
        return Response(submission_payload(submission))


class _TransitionApi(ApiMixin, APIView):
    input_serializer = None

    def transition(self, request, submission_id):
        """Load the submission through the scoped selector, run the service, answer the new state."""
        submission = selectors.submission_get(actor=request.user, submission_id=submission_id)
        data = _valid(self.input_serializer, request) if self.input_serializer else {}
        submission = self.service(actor=request.user, submission=submission, **data)
        return Response(submission_payload(submission))


class SubmissionSubmitApi(_TransitionApi):
    service = staticmethod(services.submission_submit)

    @extend_schema(request=None, responses=SubmissionDetailSerializer)
    def post(self, request, submission_id):
        """Send a complete draft (or a returned submission) up for approval."""
        return self.transition(request, submission_id)


class SubmissionApproveApi(_TransitionApi):
    policy_action = policy.APPROVE
    service = staticmethod(services.submission_approve)
    input_serializer = CommentInput

    @extend_schema(request=CommentInput, responses=SubmissionDetailSerializer)
    def post(self, request, submission_id):
        """Approve a submitted TCCSĐ (the level above): its ratings are locked from then on."""
        return self.transition(request, submission_id)


class SubmissionReturnApi(_TransitionApi):
    policy_action = policy.APPROVE
    service = staticmethod(services.submission_return)
    input_serializer = CommentInput

    @extend_schema(request=CommentInput, responses=SubmissionDetailSerializer)
    def post(self, request, submission_id):
        """Send a submission back to the TCCSĐ with a comment saying what to fix (the comment is required)."""
        return self.transition(request, submission_id)


class SubmissionReopenApi(_TransitionApi):
    policy_action = policy.APPROVE
    service = staticmethod(services.submission_reopen)
    input_serializer = ReasonInput

    @extend_schema(request=ReasonInput, responses=SubmissionDetailSerializer)
    def post(self, request, submission_id):
        """Unlock approved ratings (the level above, with a reason; recorded for the audit)."""
        return self.transition(request, submission_id)
