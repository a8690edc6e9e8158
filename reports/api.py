"""Report runs over the API: start one (a Celery job computes it), follow its status, download its workbook
— through reports.services and reports.selectors, scoped like the report pages."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations import policy, scoping
from organizations import selectors as org_selectors
from organizations.api import OrganizationRefSerializer
from party_portal.api_base import YEAR_MAX, YEAR_MIN, ApiMixin, IdFilter, InputSerializer, ListApi, SelectorFilterSet

from . import issuing, selectors, services
from .models import ReportRun, RunStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportRunSerializer(serializers.ModelSerializer):
    program = serializers.CharField(source="program.code")
    scope = OrganizationRefSerializer()
    requested_by = serializers.CharField(source="requested_by.username")
    issued_by = serializers.CharField(source="issued_by.username", allow_null=True, default=None)
    issued = serializers.BooleanField(source="is_issued", help_text="Issued under a number: final")
    download_url = serializers.SerializerMethodField(help_text="The workbook, once the run is done; else null")

    class Meta:
        model = ReportRun
        fields = ["id", "program", "year", "scope", "status", "progress", "step", "requested_by", "requested_at"]
        fields += ["started_at", "finished_at", "attempts", "error", "download_url"]
        fields += ["version", "issued", "number", "issued_at", "issued_by"]

    def get_download_url(self, run) -> str | None:
        if run.status != RunStatus.DONE or not run.workbook:
            return None
        return f"/api/reports/{run.pk}/download/"


class ReportRunDetailSerializer(ReportRunSerializer):
    results = serializers.JSONField(
        allow_null=True,
        help_text="compliance(...).as_dict() (docs/compliance-json.md) with the trend and the lists; null until done",
    )

    class Meta(ReportRunSerializer.Meta):
        fields = [*ReportRunSerializer.Meta.fields, "results"]


class ReportStartInput(InputSerializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    scope = serializers.CharField(
        required=False, max_length=32, help_text="An organization code; default the top of your scope"
    )


class ReportRunFilter(SelectorFilterSet):
    year = IdFilter()
    scope = filters.CharFilter(field_name="scope__code", max_length=32, label="An organization code")
    status = filters.ChoiceFilter(choices=RunStatus.choices)
    issued = filters.BooleanFilter(field_name="issued_at", lookup_expr="isnull", exclude=True)
    ordering = filters.OrderingFilter(fields=(("requested_at", "requested_at"), ("year", "year")))

    class Meta:
        model = ReportRun
        fields = []


class ReportRunListApi(ListApi):
    """The report runs of your part of the tree (as it stood on 31/12 of each run's year), newest first: every
    version of every report (`year` and `scope` give the versions of one report, `issued` the issued ones)."""

    queryset = ReportRun.objects.none()
    serializer_class = ReportRunSerializer
    filterset_class = ReportRunFilter
    policy_action = policy.RUN_REPORTS

    def get_queryset(self):
        return selectors.report_run_list(actor=self.request.user)

    @extend_schema(request=ReportStartInput, responses={202: ReportRunSerializer})
    def post(self, request):
        """Start the compliance report of a year for a scope you may read; a Celery job computes it as a new
        version (the earlier ones stay). A version already queued or running is answered as it is."""
        params = ReportStartInput(data=request.data)
        params.is_valid(raise_exception=True)
        year = params.validated_data["year"]
        scope_id = None
        if params.validated_data.get("scope"):
            try:
                placement = org_selectors.placement_by_code(
                    actor=request.user, code=params.validated_data["scope"], on=date(year, 12, 31)
                )
            except Http404 as error:
                # The service's refusal for a scope outside the caller's: a write, so 403, for a code that does
                # not exist as well (nothing is revealed).
                raise PermissionDenied(scoping.NOT_IN_SCOPE) from error
            scope_id = placement.organization_id
        run = services.report_run_start(actor=request.user, year=year, scope_id=scope_id)
        return Response(ReportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class ReportRunDetailApi(ApiMixin, APIView):
    error_statuses = (401, 404)

    @extend_schema(responses=ReportRunDetailSerializer)
    def get(self, request, run_id):
        """A run's status and progress, and its results once done."""
        run = selectors.report_run_get(actor=request.user, pk=run_id)
        return Response(ReportRunDetailSerializer(run).data)


class ReportDownloadApi(ApiMixin, APIView):
    error_statuses = (401, 404)

    @extend_schema(
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The run's Excel workbook")}
    )
    def get(self, request, run_id):
        """The workbook of a done run (404 until it is done)."""
        run = selectors.report_run_get(actor=request.user, pk=run_id)
        if not run.workbook:
            raise Http404
        return FileResponse(run.workbook.open("rb"), as_attachment=True, filename=run.download_name, content_type=XLSX)


class ReportVersionsApi(ApiMixin, APIView):
    error_statuses = (401, 404)

    @extend_schema(responses=ReportRunSerializer(many=True))
    def get(self, request, run_id):
        """Every version of the report this run is one of (same program, year and scope), newest first."""
        run = selectors.report_run_get(actor=request.user, pk=run_id)
        versions = selectors.report_versions(actor=request.user, run=run).select_related("program", "scope")
        return Response(ReportRunSerializer(versions, many=True).data)


class ReportIssueApi(ApiMixin, APIView):
    policy_action = policy.ISSUE_REPORTS

    @extend_schema(request=None, responses=ReportRunSerializer)
    def post(self, request, run_id):
        """Issue a done version under the next number of the year ("12-BC/BTCTU" in its workbook's header);
        it is final from then on (the Organization Board only)."""
        run = issuing.report_run_issue(actor=request.user, run_id=run_id)
        return Response(ReportRunSerializer(run).data)
