"""The program's indicators over the API: `compliance(...).as_dict()`, the numbers of
`manage.py compliance --format json` (docs/compliance-json.md), for a scope of the caller and a year, read from
the year's snapshot (the figures the dashboards show) with the time it was computed — never computed on a
request. A POST asks for the year's snapshot to be recomputed by a job."""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations import policy
from organizations import selectors as org_selectors
from party_portal.api_base import YEAR_MAX, YEAR_MIN, ApiMixin, InputSerializer

from . import selectors, services
from .computation import MET, NO_DATA, NOT_MET
from .models import Unit

STATUSES = [MET, NOT_MET, NO_DATA]
# The answer of a node and a year is cached under a key that changes when its snapshot is recomputed (the
# dashboard's rule and setting, DASHBOARD_CACHE_SECONDS; 0 turns it off).
DASHBOARD_CACHE_SECONDS = 3600

# --- the response, as docs/compliance-json.md describes it (for the schema only) --------------------------------


class CoverageSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="TCCSĐ in scope, or members on the rolls on 31/12")
    rated = serializers.IntegerField()
    ratio = serializers.CharField(allow_null=True, help_text="Percent, 4 decimals, dot separator")
    not_rated = serializers.DictField(child=serializers.IntegerField(), help_text="Per reason; PENDING = missing")


class FigureSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    unit = serializers.ChoiceField(
        choices=Unit.values, help_text="PERCENT, PER_MILLE (per thousand) or COUNT: the unit of ratio and threshold"
    )
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField(
        help_text="The denominator measure's count (for a rating the number rated); 0 for a figure that is a count"
    )
    ratio = serializers.CharField(
        allow_null=True, help_text='In its unit, 4 decimals: percent ("91.2400"), per thousand, a count; null: no data'
    )
    status = serializers.ChoiceField(choices=STATUSES)
    comparator = serializers.CharField()
    threshold = serializers.CharField(allow_null=True, help_text="null for a tracked figure: shown, not judged")
    margin = serializers.IntegerField(allow_null=True)
    judged = serializers.BooleanField()
    provisional = serializers.BooleanField(
        help_text="The rating year is not closed: the status rests on the data entered so far (see coverage)"
    )
    coverage = CoverageSerializer()
    breakdown = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text="The numerator's make-up for the report forms"
    )


class NodeFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    indicators = serializers.DictField(
        child=FigureSerializer(), help_text="Definition code → figure, one per active definition (see definitions)"
    )


class TypeFiguresSerializer(serializers.Serializer):
    org_type = serializers.CharField()
    indicators = serializers.DictField(child=FigureSerializer())


class ProgramRateSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    admissions = serializers.ListField(child=serializers.IntegerField())
    bases = serializers.ListField(child=serializers.IntegerField())
    mean_ratio = serializers.CharField(allow_null=True)
    pooled_ratio = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=STATUSES)


class FigureDefinitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_vi = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    short_name_vi = serializers.CharField(allow_blank=True)
    short_name_en = serializers.CharField(allow_blank=True)
    numerator = serializers.CharField(help_text="The numerator measure's name (docs/indicators.md)")
    denominator = serializers.CharField(allow_blank=True, help_text="Blank for a figure that is a count")
    unit = serializers.CharField(help_text="PERCENT, COUNT or PER_MILLE")
    kind = serializers.CharField(help_text="TARGET (a program target) or TRACKED")
    group = serializers.CharField()
    mode = serializers.CharField(help_text="EACH_YEAR, PROGRAM_MEAN or BY_DEADLINE, as the program judges it")
    deadline_year = serializers.IntegerField(allow_null=True)


class CellRatingsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    levels = serializers.DictField(child=serializers.IntegerField())
    not_rated = serializers.DictField(child=serializers.IntegerField())


class ComplianceSerializer(serializers.Serializer):
    program = serializers.CharField()
    year = serializers.IntegerField()
    as_of = serializers.DateField(help_text="The tree date, 31/12 of the year")
    computed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the figures were computed: the time of the year's snapshot the API serves (null only in "
        "the command's live output)",
    )
    provisional = serializers.BooleanField(help_text="The rating year is not closed: every status is provisional")
    scope = NodeFiguresSerializer()
    definitions = FigureDefinitionSerializer(many=True, help_text="The definitions of the figures, in display order")
    t3_program = ProgramRateSerializer(
        allow_null=True, help_text="The first definition judged on the program mean (see program_rates)"
    )
    program_rates = serializers.DictField(
        child=ProgramRateSerializer(), help_text="Definition code → its mean over the program years"
    )
    children = NodeFiguresSerializer(many=True)
    by_type = TypeFiguresSerializer(many=True)
    cells = CellRatingsSerializer()


class ComplianceParams(serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    scope = serializers.CharField(
        required=False, max_length=32, help_text="An organization code; default the top of your scope"
    )


NOT_COMPUTED = _(
    "The figures of %(year)s have not been computed yet. The Organization Board or the Steering Committee can ask "
    'for them: POST /api/indicators/compliance/ with {"year": %(year)s}.'
)
BEING_COMPUTED = _(
    "The figures of %(year)s have not been computed yet: they were asked for at %(time)s and are being computed; "
    "ask again in a minute or two."
)
NOT_A_PROGRAM_YEAR = _("%(year)s is not a year of the program (%(first)s–%(last)s).")


class RefreshInput(InputSerializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX, help_text="A year of the program")


class RefreshSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    requested_at = serializers.DateTimeField(help_text="When the recompute was asked for")
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="The time of the snapshot served until the new one lands; null: none yet"
    )
    url = serializers.CharField(help_text="Where to read the figures: its computed_at changes when the job is done")


class ComplianceApi(ApiMixin, APIView):
    policy_action = policy.REFRESH_FIGURES

    @extend_schema(parameters=[ComplianceParams], responses=ComplianceSerializer)
    def get(self, request):
        """Every active indicator definition for a scope and a year, with the tree as it stood on 31/12 of that
        year: the scope, its direct sub-units, each TCCSĐ type, the means over the program and the cells' ratings
        (docs/compliance-json.md; the same numbers as `manage.py compliance --format json`), read from the year's
        snapshot, computed at `computed_at`. A year whose figures have not been computed yet is a 404 saying how
        to ask for them (POST)."""
        params = ComplianceParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data["year"]
        scope_id = None
        if params.validated_data.get("scope"):
            placement = org_selectors.placement_by_code(
                actor=request.user, code=params.validated_data["scope"], on=date(year, 12, 31)
            )
            scope_id = placement.organization_id
        program = selectors.default_program()
        node = selectors.resolve_scope(actor=request.user, scope_id=scope_id, on=date(year, 12, 31))
        versions = selectors.snapshot_versions(actor=request.user, node=node, program=program)
        if year not in versions:
            pending = selectors.refresh_pending(year, None)
            message = (
                BEING_COMPUTED % {"year": year, "time": formats.date_format(pending, "d/m/Y H:i")}
                if pending
                else NOT_COMPUTED % {"year": year}
            )
            raise exceptions.NotFound(ErrorDetail(message, code="not_computed"))
        # As the dashboard's figures: kept until a snapshot of the node is recomputed (or the targets change).
        seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", DASHBOARD_CACHE_SECONDS)
        key = selectors.compliance_cache_key(
            actor=request.user, program=program, year=year, node=node, versions=versions
        )
        body = cache.get(key) if seconds else None
        if body is None:
            result = selectors.compliance_snapshot(actor=request.user, year=year, scope_id=node.id, program=program)
            body = result.as_dict()
            if seconds:
                cache.set(key, body, seconds)
        return Response(body)

    @extend_schema(request=RefreshInput, responses={202: RefreshSerializer})
    def post(self, request):
        """Ask for the figures of a program year to be recomputed for the whole tree, by a job (the Organization
        Board and the Steering Committee). Answers at once (202); GET shows the new `computed_at` when it lands."""
        data = RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        year = data.validated_data["year"]
        program = selectors.default_program()
        if year not in program.years:
            params = {"year": year, "first": program.first_year, "last": program.last_year}
            raise serializers.ValidationError({"year": [ErrorDetail(str(NOT_A_PROGRAM_YEAR % params), code="invalid")]})
        requested = services.snapshot_refresh_request(actor=request.user, year=year)
        answer = {
            "year": year,
            "requested_at": requested,
            "computed_at": selectors.snapshot_year_computed_at(year),
            "url": f"/api/indicators/compliance/?year={year}",
        }
        return Response(RefreshSerializer(answer).data, status=status.HTTP_202_ACCEPTED)
