"""The program's targets and the district-level units' own targets over the API, through the services of the
targets page: every role reads them (the overrides of the units it may read), the Organization Board changes them."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations import policy
from organizations.models import Organization
from party_portal.api_base import DATE_INPUT_FORMATS, ApiMixin, InputSerializer, id_field

from . import selectors, services, target_selectors
from .models import Comparator


class OverrideSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    organization_code = serializers.CharField(source="organization.code")
    organization_name = serializers.CharField(source="organization.name")
    threshold = serializers.DecimalField(max_digits=6, decimal_places=3)
    decided_on = serializers.DateField(allow_null=True)
    decision_number = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.CharField(source="program.code")
    indicator = serializers.CharField()
    comparator = serializers.CharField()
    threshold = serializers.DecimalField(max_digits=6, decimal_places=3, help_text="Percent")
    mode = serializers.CharField()
    deadline_year = serializers.IntegerField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)
    decision_number = serializers.CharField()
    overrides = OverrideSerializer(
        source="shown_overrides", many=True, help_text="Own targets of the units you may read"
    )


class _DecisionInput(InputSerializer):
    decided_on = serializers.DateField(input_formats=DATE_INPUT_FORMATS)
    decision_number = serializers.CharField(max_length=64)


class TargetInput(_DecisionInput):
    threshold = serializers.DecimalField(max_digits=6, decimal_places=3, min_value=0, max_value=100)
    comparator = serializers.ChoiceField(choices=Comparator.values, required=False)


class OverrideInput(_DecisionInput):
    organization = id_field(help_text="A district-level unit")
    threshold = serializers.DecimalField(max_digits=6, decimal_places=3, min_value=0, max_value=100)


class OverrideEndInput(_DecisionInput):
    organization = id_field(help_text="A district-level unit with a target of its own")


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _target_out(request, target):
    """The target as the list shows it, with the overrides the caller may read."""
    program = selectors.default_program()
    shown = next(t for t in target_selectors.target_list(actor=request.user, program=program) if t.pk == target.pk)
    return TargetSerializer(shown).data


class _TargetWriteApi(ApiMixin, APIView):
    policy_action = policy.MANAGE_TARGETS

    def target(self, target_id):
        return target_selectors.target_get(program=selectors.default_program(), target_id=target_id)


class TargetListParams(serializers.Serializer):
    program = serializers.CharField(required=False, max_length=32, help_text="A program's code; default the latest")


class TargetListApi(ApiMixin, APIView):
    @extend_schema(parameters=[TargetListParams], responses=TargetSerializer(many=True))
    def get(self, request):
        """The targets of an action program (default the latest), each with the own targets of the units you may
        read."""
        params = TargetListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        code = params.validated_data.get("program")
        program = target_selectors.program_get(code=code) if code else selectors.default_program()
        return Response(
            TargetSerializer(target_selectors.target_list(actor=request.user, program=program), many=True).data
        )


class TargetDetailApi(_TargetWriteApi):
    @extend_schema(responses=TargetSerializer)
    def get(self, request, target_id):
        """One target of the program with the own targets of the units you may read."""
        return Response(_target_out(request, self.target(target_id)))

    @extend_schema(request=TargetInput, responses=TargetSerializer)
    def patch(self, request, target_id):
        """Change the threshold (and comparator) under a dated, numbered decision (the Organization Board)."""
        data = _valid(TargetInput, request)
        target = services.target_update(actor=request.user, target=self.target(target_id), **data)
        return Response(_target_out(request, target))


class TargetOverrideApi(_TargetWriteApi):
    @extend_schema(request=OverrideInput, responses={200: TargetSerializer})
    def post(self, request, target_id):
        """Give a district-level unit its own threshold (its subtree is judged against it), or change it."""
        data = _valid(OverrideInput, request)
        organization = get_object_or_404(Organization, pk=data.pop("organization"))
        target = self.target(target_id)
        services.target_override_set(actor=request.user, target=target, organization=organization, **data)
        return Response(_target_out(request, target), status=status.HTTP_200_OK)


class TargetOverrideEndApi(_TargetWriteApi):
    @extend_schema(request=OverrideEndInput, responses={200: TargetSerializer})
    def post(self, request, target_id):
        """End a unit's own threshold under a dated, numbered decision: it is judged against the program's again."""
        data = _valid(OverrideEndInput, request)
        organization = get_object_or_404(Organization, pk=data.pop("organization"))
        target = self.target(target_id)
        services.target_override_end(actor=request.user, target=target, organization=organization, **data)
        return Response(_target_out(request, target))
