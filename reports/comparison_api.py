"""The peer comparison over the API (/api/reports/comparison/?year=…&group=…): the same selector as the page, for the
Board and the Steering Committee (COMPARE_UNITS). Aggregates only."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators import selectors
from party_portal.api_base import YEAR_MAX, YEAR_MIN, ApiMixin


class ComparisonParams(serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    group = serializers.CharField(
        required=False, max_length=40, help_text="A group of definitions; default the program's targets (program)"
    )


class ChangeSerializer(serializers.Serializer):
    previous_ratio = serializers.CharField(allow_null=True, help_text="The value the year before, in its unit")
    points = serializers.CharField(allow_null=True, help_text="Current − previous, in points of the unit")
    improvement = serializers.CharField(allow_null=True, help_text="The points in the better direction")
    rank = serializers.IntegerField(allow_null=True, help_text="1 = improved most; null: not ranked")
    new = serializers.BooleanField(help_text="The unit did not exist in the year before: not ranked")


class TrendPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    ratio = serializers.CharField(allow_null=True)


class UnitRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    ratio = serializers.CharField(allow_null=True, help_text="The value in the definition's unit, 4 decimals")
    status = serializers.CharField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True, help_text="1 = best; ties share a rank; null: unranked")
    trend = TrendPointSerializer(many=True)
    change = ChangeSerializer()


class IndicatorComparisonSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    comparator = serializers.CharField(allow_null=True)
    threshold = serializers.CharField(allow_null=True)
    direction = serializers.ChoiceField(
        choices=["higher", "lower"], allow_null=True, help_text="Which value is better; null: not ranked"
    )
    rows = UnitRowSerializer(many=True, help_text="Ranked units first, by rank; unranked ones last")
    most_improved = serializers.ListField(child=serializers.CharField(), help_text="Unit codes")


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ScopeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ComparisonSerializer(serializers.Serializer):
    program = serializers.CharField()
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    computed_at = serializers.DateTimeField(allow_null=True)
    provisional = serializers.BooleanField()
    scope = ScopeSerializer()
    years = serializers.ListField(child=serializers.IntegerField())
    units = UnitSerializer(many=True)
    indicators = IndicatorComparisonSerializer(many=True)


class ComparisonApi(ApiMixin, APIView):
    @extend_schema(parameters=[ComparisonParams], responses=ComparisonSerializer)
    def get(self, request):
        """Every reporting unit side by side for a year, from the snapshots: per indicator each unit's value,
        rank (1 = best, following the comparator), yearly values and change against the year before (404 until
        the year's figures are computed). For the Board and the Steering Committee."""
        params = ComparisonParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data["year"]
        result = selectors.comparison(actor=request.user, year=year, group=params.validated_data.get("group"))
        if result is None:
            raise NotFound(_("The figures of %(year)s have not been computed yet.") % {"year": year})
        return Response(result.as_dict())
