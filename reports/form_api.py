"""The statistics forms over the API: the same numbers as the pages (/bao-cao/bieu-mau/) and the workbooks."""

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations import selectors as org_selectors
from party_portal.api_base import DATE_INPUT_FORMATS, YEAR_MAX, YEAR_MIN, ApiMixin

from .forms import compute
from .forms.inputs import PERIOD_NEEDS_BOTH, PERIOD_ORDER


class FormParams(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=YEAR_MIN, max_value=YEAR_MAX, help_text="01/01 to 31/12 of the year"
    )
    start = serializers.DateField(
        required=False, input_formats=DATE_INPUT_FORMATS, help_text="First day of the period (wins over year)"
    )
    end = serializers.DateField(required=False, input_formats=DATE_INPUT_FORMATS, help_text="Last day of the period")
    scope = serializers.CharField(
        required=False, max_length=32, help_text="An organization code; default the top of your scope"
    )

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        if start or end:
            if not (start and end):
                raise serializers.ValidationError(str(PERIOD_NEEDS_BOTH))
            if start > end:
                raise serializers.ValidationError({"end": str(PERIOD_ORDER)})
        else:
            year = data.get("year") or timezone.localdate().year - 1
            data["start"], data["end"] = date(year, 1, 1), date(year, 12, 31)
        return data


class FormRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The row's name (a member's record number in the register)")
    label = serializers.CharField()
    depth = serializers.IntegerField(help_text="0: a heading row")
    values = serializers.ListField(child=serializers.JSONField(), help_text="One per column; null when empty")


class FormScopeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FormTableSerializer(serializers.Serializer):
    form = serializers.CharField()
    number = serializers.CharField(help_text='"Biểu số 1-BTCTW"')
    title = serializers.CharField()
    scope = FormScopeSerializer()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = FormRowSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class FormApi(ApiMixin, APIView):
    form_key = None

    def table(self, request):
        """The form named by `form_key` for the scope and period of the query, as the caller may read it."""
        params = FormParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, end = params.validated_data["start"], params.validated_data["end"]
        scope_id = None
        if params.validated_data.get("scope"):
            placement = org_selectors.placement_by_code(actor=request.user, code=params.validated_data["scope"], on=end)
            scope_id = placement.organization_id
        table = compute(self.form_key, actor=request.user, organization_id=scope_id, period_start=start, period_end=end)
        return Response(table.as_dict())


class Bieu1Api(FormApi):
    form_key = "bieu1"

    @extend_schema(parameters=[FormParams], responses=FormTableSerializer)
    def get(self, request):
        """Biểu 1-BTCTW: the rolls at the start, the increases and decreases by kind, the rolls at the end
        (docs/forms.md)."""
        return self.table(request)


class Bieu2Api(FormApi):
    form_key = "bieu2"

    @extend_schema(parameters=[FormParams], responses=FormTableSerializer)
    def get(self, request):
        """Biểu 2-BTCTW: the admissions of the period by group (docs/forms.md)."""
        return self.table(request)


class Bieu3Api(FormApi):
    form_key = "bieu3"

    @extend_schema(parameters=[FormParams], responses=FormTableSerializer)
    def get(self, request):
        """Biểu 3-BTCTW: the members on the period's last day by gender, age, ethnicity, religion and theory
        level (docs/forms.md)."""
        return self.table(request)


class Bieu5Api(FormApi):
    form_key = "bieu5"

    @extend_schema(parameters=[FormParams], responses=FormTableSerializer)
    def get(self, request):
        """Biểu 5-BTCTW: TCCSĐ, the units under them and their members by type, on the period's last day
        (docs/forms.md)."""
        return self.table(request)


class RegisterApi(FormApi):
    form_key = "register"

    @extend_schema(parameters=[FormParams], responses=FormTableSerializer)
    def get(self, request):
        """The member register (mẫu 7-HSĐV) of a unit on the period's last day, one row per member."""
        return self.table(request)
