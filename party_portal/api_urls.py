"""Every API route, under /api/ (docs/api.md). The OpenAPI schema and its Swagger UI and Redoc pages are
served from the drf-spectacular sidecar's own static files: the portal runs on a closed network."""

from django.urls import path, re_path, register_converter
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from evaluations import api as evaluations_api
from indicators import api as indicators_api
from indicators import definition_api, target_api
from members import api as members_api
from members import api_records as members_records_api
from organizations import api as organizations_api
from organizations import api_writes as organizations_writes
from reports import api as reports_api
from reports import comparison_api, form_api
from users import api as users_api

from .api_base import IdConverter
from .api_docs import DocsRedocView, DocsSwaggerView
from .api_errors import NOT_FOUND, exception_handler
from .tokens import TokenApi, TokenLogoutAllApi, TokenLogoutApi

register_converter(IdConverter, "id")


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
    path("token/logout/", TokenLogoutApi.as_view(), name="api-token-logout"),
    path("token/logout-all/", TokenLogoutAllApi.as_view(), name="api-token-logout-all"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", DocsRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("organizations/", organizations_writes.OrganizationCreateApi.as_view(), name="api-organization-create"),
    path(
        "organizations/<id:organization_id>/rename/",
        organizations_writes.OrganizationRenameApi.as_view(),
        name="api-organization-rename",
    ),
    path(
        "organizations/<id:organization_id>/move/",
        organizations_writes.OrganizationMoveApi.as_view(),
        name="api-organization-move",
    ),
    path(
        "organizations/<id:organization_id>/close/",
        organizations_writes.OrganizationCloseApi.as_view(),
        name="api-organization-close",
    ),
    path("reorganizations/", organizations_writes.ReorganizationApi.as_view(), name="api-reorganizations"),
    path(
        "reorganizations/preview/",
        organizations_writes.ReorganizationPreviewApi.as_view(),
        name="api-reorganization-preview",
    ),
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
    path(
        "members/<id:member_id>/status-periods/",
        members_records_api.StatusPeriodApi.as_view(),
        name="api-member-status-periods",
    ),
    path(
        "members/<id:member_id>/disciplines/",
        members_records_api.DisciplineApi.as_view(),
        name="api-member-disciplines",
    ),
    path("committee-seats/<id:seat_id>/end/", members_records_api.CommitteeSeatEndApi.as_view(), name="api-seat-end"),
    path(
        "status-periods/<id:status_period_id>/end/",
        members_records_api.StatusPeriodEndApi.as_view(),
        name="api-status-period-end",
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
    path("targets/", target_api.TargetListApi.as_view(), name="api-targets"),
    path("targets/<id:target_id>/", target_api.TargetDetailApi.as_view(), name="api-target"),
    path("targets/<id:target_id>/overrides/", target_api.TargetOverrideApi.as_view(), name="api-target-overrides"),
    path(
        "targets/<id:target_id>/overrides/end/",
        target_api.TargetOverrideEndApi.as_view(),
        name="api-target-override-end",
    ),
    path("indicators/definitions/", definition_api.DefinitionListApi.as_view(), name="api-definitions"),
    path(
        "indicators/definitions/<id:definition_id>/",
        definition_api.DefinitionDetailApi.as_view(),
        name="api-definition",
    ),
    path("reports/", reports_api.ReportRunListApi.as_view(), name="api-reports"),
    path("reports/comparison/", comparison_api.ComparisonApi.as_view(), name="api-report-comparison"),
    path("reports/<id:run_id>/", reports_api.ReportRunDetailApi.as_view(), name="api-report"),
    path("reports/<id:run_id>/download/", reports_api.ReportDownloadApi.as_view(), name="api-report-download"),
    path("reports/<id:run_id>/versions/", reports_api.ReportVersionsApi.as_view(), name="api-report-versions"),
    path("reports/<id:run_id>/issue/", reports_api.ReportIssueApi.as_view(), name="api-report-issue"),
    path("users/", users_api.UserListApi.as_view(), name="api-users"),
    path("users/<id:user_id>/", users_api.UserDetailApi.as_view(), name="api-user"),
    path("users/<id:user_id>/deactivate/", users_api.UserDeactivateApi.as_view(), name="api-user-deactivate"),
    path("users/<id:user_id>/reactivate/", users_api.UserReactivateApi.as_view(), name="api-user-reactivate"),
    path(
        "users/<id:user_id>/reset-password/", users_api.UserPasswordResetApi.as_view(), name="api-user-reset-password"
    ),
    path("roles/", users_api.RoleListApi.as_view(), name="api-roles"),
    path("roles/<id:role_id>/", users_api.RoleDetailApi.as_view(), name="api-role"),
    path("roles/<id:role_id>/end/", users_api.RoleEndApi.as_view(), name="api-role-end"),
    path("reports/forms/bieu1/", form_api.Bieu1Api.as_view(), name="api-form-bieu1"),
    path("reports/forms/bieu2/", form_api.Bieu2Api.as_view(), name="api-form-bieu2"),
    path("reports/forms/bieu3/", form_api.Bieu3Api.as_view(), name="api-form-bieu3"),
    path("reports/forms/bieu5/", form_api.Bieu5Api.as_view(), name="api-form-bieu5"),
    path("reports/forms/register/", form_api.RegisterApi.as_view(), name="api-form-register"),
    re_path(r"^[\s\S]*$", NotFoundApi.as_view()),
]
