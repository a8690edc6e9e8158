"""The indicator catalogue over the API, through the services of the catalogue page: every role reads the
definitions, the Organization Board adds and changes the tracked figures (a program target is changed on the
targets API)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations import policy
from party_portal.api_base import ApiMixin, InputSerializer

from . import measures, services
from .definition_forms import measure_label
from .definitions import definition_get, definition_list
from .models import Comparator, EvaluationMode, Unit


def _label(name):
    measure = measures.MEASURES.get(name) if name else None
    return measure_label(measure) if measure else ""


class DefinitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    kind = serializers.CharField(help_text="TARGET (a program target) or TRACKED (a tracked figure)")
    group = serializers.CharField(help_text='"program": the program\'s targets; "other": the tracked figures')
    name_vi = serializers.CharField()
    name_en = serializers.CharField()
    short_name_vi = serializers.CharField()
    short_name_en = serializers.CharField()
    numerator = serializers.CharField(help_text="A measure of the registry")
    numerator_label = serializers.SerializerMethodField()
    denominator = serializers.CharField(help_text="A measure of the registry; empty for a count")
    denominator_label = serializers.SerializerMethodField()
    unit = serializers.ChoiceField(choices=Unit.values)
    comparator = serializers.CharField(help_text="A program target's is on its target (/api/targets/)")
    threshold = serializers.DecimalField(max_digits=9, decimal_places=3, allow_null=True)
    mode = serializers.ChoiceField(choices=EvaluationMode.values)
    deadline_year = serializers.IntegerField(allow_null=True)
    order = serializers.IntegerField()
    active = serializers.BooleanField()

    def get_numerator_label(self, definition) -> str:
        return _label(definition.numerator)

    def get_denominator_label(self, definition) -> str:
        return _label(definition.denominator)


class DefinitionInput(InputSerializer):
    """A tracked figure's values; the service checks the rules between them and names the field."""

    name_vi = serializers.CharField(max_length=300, allow_blank=True, required=False)
    name_en = serializers.CharField(max_length=300, allow_blank=True, required=False)
    short_name_vi = serializers.CharField(max_length=120, allow_blank=True, required=False)
    short_name_en = serializers.CharField(max_length=120, allow_blank=True, required=False)
    numerator = serializers.CharField(max_length=64, allow_blank=True, required=False)
    denominator = serializers.CharField(max_length=64, allow_blank=True, required=False)
    unit = serializers.ChoiceField(choices=Unit.values, required=False)
    comparator = serializers.ChoiceField(choices=Comparator.values, allow_blank=True, required=False)
    threshold = serializers.DecimalField(max_digits=9, decimal_places=3, allow_null=True, required=False)
    mode = serializers.ChoiceField(choices=EvaluationMode.values, required=False)
    deadline_year = serializers.IntegerField(min_value=2000, max_value=2100, allow_null=True, required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    active = serializers.BooleanField(required=False)


class DefinitionCreateInput(DefinitionInput):
    """A tracked figure: a program target is not created here (a body naming a `kind` is refused)."""

    code = serializers.CharField(max_length=16, help_text="Letters, digits, hyphens and underscores, e.g. KHAI_TRU")
    name_vi = serializers.CharField(max_length=300, allow_blank=True)
    numerator = serializers.CharField(max_length=64, allow_blank=True)
    unit = serializers.ChoiceField(choices=Unit.values)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class DefinitionListParams(serializers.Serializer):
    group = serializers.CharField(
        required=False, max_length=32, help_text='"program": the program\'s targets; "other": the tracked figures'
    )
    active = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="Default: both")


class DefinitionListApi(ApiMixin, APIView):
    policy_action = policy.MANAGE_TARGETS

    @extend_schema(parameters=[DefinitionListParams], responses=DefinitionSerializer(many=True))
    def get(self, request):
        """The indicator definitions in display order: the program's targets and the tracked figures, each with its
        measures' names and labels."""
        params = DefinitionListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(DefinitionSerializer(definition_list(**params.validated_data), many=True).data)

    @extend_schema(request=DefinitionCreateInput, responses={201: DefinitionSerializer})
    def post(self, request):
        """Add a tracked figure from the registry's measures (the Organization Board); it joins the dashboard's
        group of other tracked figures."""
        data = _valid(DefinitionCreateInput, request)
        definition = services.definition_create(actor=request.user, **data)
        return Response(DefinitionSerializer(definition).data, status=status.HTTP_201_CREATED)


class DefinitionDetailApi(ApiMixin, APIView):
    policy_action = policy.MANAGE_TARGETS

    @extend_schema(responses=DefinitionSerializer)
    def get(self, request, definition_id):
        """One indicator definition."""
        return Response(DefinitionSerializer(definition_get(definition_id=definition_id)).data)

    @extend_schema(request=DefinitionInput, responses=DefinitionSerializer)
    def patch(self, request, definition_id):
        """Change a tracked figure, or deactivate it (`active: false`; definitions are never deleted)."""
        data = _valid(DefinitionInput, request)
        definition = services.definition_update(
            actor=request.user, definition=definition_get(definition_id=definition_id), **data
        )
        return Response(DefinitionSerializer(definition).data)
