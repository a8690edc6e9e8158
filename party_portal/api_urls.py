"""Every API route, under /api/ (docs/api.md). The OpenAPI schema and its Swagger UI and Redoc pages are
served from the drf-spectacular sidecar's own static files: the portal runs on a closed network."""

from django.urls import path, re_path, register_converter
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.views import APIView

from evaluations import api as evaluations_api
from indicators import api as indicators_api
from members import api as members_api
from organizations import api as organizations_api
from reports import api as reports_api

from .api_base import ID_MAX, ApiAutoSchema, IdConverter
from .api_errors import NOT_FOUND, exception_handler
from .api_parsers import ApiJSONParser

# Several models have a "kind" or a "level" field with their own choices: name each enum after its choices.
SCHEMA_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "organizations.models.OrgKind",
        "OrgLevelEnum": "organizations.models.OrgLevel",
        "MovementKindEnum": "members.models.MovementKind",
        "StatusKindEnum": "members.models.StatusKind",
        "DisciplineKindEnum": "members.models.DisciplineKind",
        "TheoryLevelEnum": "members.models.TheoryLevel",
        "RatingLevelEnum": "evaluations.models.Level",
        "SubmissionStateEnum": "evaluations.models.SubmissionState",
        "RunStatusEnum": "reports.models.RunStatus",
        "FigureStatusEnum": "indicators.api.STATUSES",
    },
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": ID_MAX}},
}
register_converter(IdConverter, "id")


class TokenApi(ObtainAuthToken):
    """Exchange a username and password for the API token of that user (the same token every time)."""

    authentication_classes = ()
    parser_classes = (FormParser, MultiPartParser, ApiJSONParser)
    schema = ApiAutoSchema()
    error_statuses = (400,)

    def get_exception_handler(self):
        return exception_handler

    @extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer("Token", {"token": serializers.CharField()}),
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


@extend_schema(exclude=True)
class NotFoundApi(APIView):
    """Any other path under /api/: a JSON 404 in the one error shape rather than the site's HTML page."""

    authentication_classes = ()
    permission_classes = ()

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        raise NotFound(NOT_FOUND)


urlpatterns = [
    path("token/", TokenApi.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(custom_settings=SCHEMA_SETTINGS), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("organizations/tree/", organizations_api.OrganizationTreeApi.as_view(), name="api-organization-tree"),
    path("organizations/search/", organizations_api.OrganizationSearchApi.as_view(), name="api-organization-search"),
    path(
        "organizations/<id:organization_id>/",
        organizations_api.OrganizationDetailApi.as_view(),
        name="api-organization-detail",
    ),
    path(
        "organizations/<id:organization_id>/children/",
        organizations_api.OrganizationChildrenApi.as_view(),
        name="api-organization-children",
    ),
    path(
        "organizations/<id:organization_id>/committee/",
        members_api.CommitteeApi.as_view(),
        name="api-organization-committee",
    ),
    path("members/", members_api.MemberListApi.as_view(), name="api-members"),
    path("members/<id:member_id>/", members_api.MemberDetailApi.as_view(), name="api-member-detail"),
    path("members/<id:member_id>/movements/", members_api.MovementApi.as_view(), name="api-member-movements"),
    path("members/<id:member_id>/transfer/", members_api.TransferApi.as_view(), name="api-member-transfer"),
    path(
        "members/<id:member_id>/theory-levels/", members_api.TheoryLevelApi.as_view(), name="api-member-theory-levels"
    ),
    path(
        "members/<id:member_id>/committee-seats/",
        members_api.CommitteeSeatApi.as_view(),
        name="api-member-committee-seats",
    ),
    path("ratings/members/", evaluations_api.MemberRatingListApi.as_view(), name="api-member-ratings"),
    path(
        "ratings/organizations/", evaluations_api.OrganizationRatingListApi.as_view(), name="api-organization-ratings"
    ),
    path("submissions/", evaluations_api.SubmissionListApi.as_view(), name="api-submissions"),
    path("submissions/<id:submission_id>/", evaluations_api.SubmissionDetailApi.as_view(), name="api-submission"),
    path(
        "submissions/<id:submission_id>/submit/",
        evaluations_api.SubmissionSubmitApi.as_view(),
        name="api-submission-submit",
    ),
    path(
        "submissions/<id:submission_id>/approve/",
        evaluations_api.SubmissionApproveApi.as_view(),
        name="api-submission-approve",
    ),
    path(
        "submissions/<id:submission_id>/return/",
        evaluations_api.SubmissionReturnApi.as_view(),
        name="api-submission-return",
    ),
    path(
        "submissions/<id:submission_id>/reopen/",
        evaluations_api.SubmissionReopenApi.as_view(),
        name="api-submission-reopen",
    ),
    path("indicators/compliance/", indicators_api.ComplianceApi.as_view(), name="api-compliance"),
    path("reports/", reports_api.ReportRunListApi.as_view(), name="api-reports"),
    path("reports/<id:run_id>/", reports_api.ReportRunDetailApi.as_view(), name="api-report"),
    path("reports/<id:run_id>/download/", reports_api.ReportDownloadApi.as_view(), name="api-report-download"),
    re_path(r"^[\s\S]*$", NotFoundApi.as_view()),
]
