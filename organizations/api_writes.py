"""Writes to the tree over the API: create an organization, and reorganizations (merge, split, move, rename,
dissolve) previewed then applied — the same services as the pages. Rename, move and close of one organization
are reorganizations too, so they are dated, recorded and decided by the level above whichever door is used."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from party_portal.api_base import ApiMixin, InputSerializer, ListApi, SelectorFilterSet, id_field

from . import policy, reorganizations, selectors, services
from .api import OrganizationRefSerializer
from .models import Organization, OrgKind, OrgType, Reorganization, ReorganizationKind
from .reorganization_inputs import arguments_for, organization_by_id
from .reorganization_plan import NewUnit

NEW_UNIT_NEEDS = "Give either `organization` (an existing one) or `code`, `name` and `kind` (a new one)."


class OrganizationInput(InputSerializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    org_type = serializers.ChoiceField(choices=OrgType.choices, required=False, allow_blank=True)
    valid_from = serializers.DateField()
    parent = id_field(required=False, allow_null=True, help_text="Empty for a unit at the top (the Board only)")


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "code", "name", "kind", "level", "org_type", "valid_from", "valid_to"]


class SuccessorInput(InputSerializer):
    organization = id_field(required=False, help_text="An existing organization in force on the date")
    code = serializers.CharField(max_length=32, required=False)
    name = serializers.CharField(max_length=255, required=False)
    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False)
    org_type = serializers.ChoiceField(choices=OrgType.choices, required=False, allow_blank=True)
    parent = id_field(required=False, help_text="Default: the parent of the (first) predecessor")

    def validate(self, attrs):
        if "organization" not in attrs and not {"code", "name", "kind"} <= set(attrs):
            raise serializers.ValidationError(NEW_UNIT_NEEDS)
        return attrs


class ReorganizationInput(InputSerializer):
    kind = serializers.ChoiceField(choices=ReorganizationKind.choices)
    effective_on = serializers.DateField(help_text="First day of the new state; ending units end the day before")
    decision_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    decision_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    organization = id_field(required=False, help_text="Move, rename, dissolve: the unit")
    predecessors = serializers.ListField(child=id_field(), required=False, max_length=500, help_text="Merge")
    successor = SuccessorInput(required=False, help_text="Merge: the unit that continues")
    predecessor = id_field(required=False, help_text="Split: the unit split")
    successors = SuccessorInput(many=True, required=False, help_text="Split: the units it is split into")
    mapping = serializers.DictField(
        child=serializers.CharField(max_length=32),
        required=False,
        help_text="Split: sub-unit code or party record number → successor code; the rest go to the first successor",
    )
    new_parent = id_field(required=False, help_text="Move")
    new_name = serializers.CharField(max_length=255, required=False, help_text="Rename")


class ApplyInput(ReorganizationInput):
    fingerprint = serializers.CharField(
        max_length=16, required=False, help_text="The preview's fingerprint: refused if the data changed since"
    )


class PreviewSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReorganizationKind.choices)
    effective_on = serializers.DateField()
    ends = serializers.ListField(child=serializers.CharField(), help_text="Units whose last day is the day before")
    begins = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    units_moved = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    members_moved = serializers.ListField(child=serializers.DictField())
    renamed = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    fingerprint = serializers.CharField()


class SuccessorLinkSerializer(serializers.Serializer):
    predecessor = OrganizationRefSerializer()
    successor = OrganizationRefSerializer()
    members_moved = serializers.IntegerField()


class ReorganizationSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(allow_null=True)
    new_parent = OrganizationRefSerializer(allow_null=True)
    links = SuccessorLinkSerializer(many=True)

    class Meta:
        model = Reorganization
        fields = [
            "id",
            "kind",
            "effective_on",
            "decision_number",
            "decision_date",
            "note",
            "organization",
            "new_parent",
            "old_name",
            "new_name",
            "members_moved",
            "links",
            "recorded_at",
        ]


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _arguments(actor, data):
    """The planner's arguments from the request: ids become organizations the actor may read on the date."""
    on = data["effective_on"]

    def org(organization_id, field):
        return organization_by_id(actor=actor, organization_id=organization_id, on=on, field=field)

    def successor(spec):
        if "organization" in spec:
            return org(spec["organization"], "successor")
        parent = org(spec["parent"], "parent") if spec.get("parent") else None
        return NewUnit(spec["code"], spec["name"], spec["kind"], spec.get("org_type", ""), parent)

    values = dict(data)
    for name in ("organization", "predecessor", "new_parent"):
        if data.get(name):
            values[name] = org(data[name], name)
    values["predecessors"] = [org(pk, "predecessors") for pk in data.get("predecessors", [])]
    if "successor" in data:
        values["successor"] = successor(data["successor"])
    values["successors"] = [successor(spec) for spec in data.get("successors", [])]
    return arguments_for(data["kind"], values)


class OrganizationCreateApi(ApiMixin, APIView):
    policy_action = policy.ENTER_DATA

    @extend_schema(request=OrganizationInput, responses={201: OrganizationSerializer})
    def post(self, request):
        """Create an organization under a parent you may change (a unit at the top: the Board only)."""
        data = _valid(OrganizationInput, request)
        parent_id = data.pop("parent", None)
        if parent_id is not None:
            data["parent"] = selectors.organization_for_write(
                actor=request.user, organization_id=parent_id, on=data["valid_from"]
            )
        organization = services.organization_create(actor=request.user, **data)
        return Response(OrganizationSerializer(organization).data, status=status.HTTP_201_CREATED)


class ReorganizationPreviewApi(ApiMixin, APIView):
    policy_action = policy.REORGANIZE

    @extend_schema(request=ReorganizationInput, responses=PreviewSerializer)
    def post(self, request):
        """What the reorganization would change — units that end and begin, sub-units and members that move —
        checked as for applying it; nothing is written. Apply with the same body and the `fingerprint`."""
        data = _valid(ReorganizationInput, request)
        plan = reorganizations.reorganization_preview(
            actor=request.user, kind=data["kind"], **_arguments(request.user, data)
        )
        return Response(PreviewSerializer({**plan.summary(), "fingerprint": plan.fingerprint()}).data)


class ReorganizationFilter(SelectorFilterSet):
    kind = filters.ChoiceFilter(choices=ReorganizationKind.choices)

    class Meta:
        model = Reorganization
        fields = []


class ReorganizationApi(ListApi):
    """The reorganizations touching your part of the tree, newest first; POST applies one."""

    policy_action = policy.REORGANIZE
    queryset = Reorganization.objects.none()
    serializer_class = ReorganizationSerializer
    filterset_class = ReorganizationFilter

    def get_queryset(self):
        return selectors.reorganization_list(actor=self.request.user)

    @extend_schema(request=ApplyInput, responses={201: ReorganizationSerializer})
    def post(self, request):
        """Apply a reorganization and record it; never deleted — another dated one undoes it."""
        data = _valid(ApplyInput, request)
        fingerprint = data.pop("fingerprint", None)
        operation = reorganizations.reorganization_apply(
            actor=request.user, kind=data["kind"], fingerprint=fingerprint, **_arguments(request.user, data)
        )
        return Response(ReorganizationSerializer(operation).data, status=status.HTTP_201_CREATED)


class DecisionInput(InputSerializer):
    effective_on = serializers.DateField(help_text="First day of the new state")
    decision_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    decision_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class RenameInput(DecisionInput):
    new_name = serializers.CharField(max_length=255)


class MoveInput(DecisionInput):
    new_parent = id_field()


class _OneOrganizationApi(ApiMixin, APIView):
    """A reorganization of one organization, by its own URL."""

    policy_action = policy.REORGANIZE
    kind = None
    input_class = DecisionInput

    def apply(self, request, organization_id):
        data = {**_valid(self.input_class, request), "kind": self.kind, "organization": organization_id}
        operation = reorganizations.reorganization_apply(
            actor=request.user, kind=self.kind, **_arguments(request.user, data)
        )
        return Response(ReorganizationSerializer(operation).data, status=status.HTTP_201_CREATED)


class OrganizationRenameApi(_OneOrganizationApi):
    kind = ReorganizationKind.RENAME
    input_class = RenameInput

    @extend_schema(request=RenameInput, responses={201: ReorganizationSerializer})
    def post(self, request, organization_id):
        """Rename an organization from a date, recorded as a reorganization (the old name is kept on it)."""
        return self.apply(request, organization_id)


class OrganizationMoveApi(_OneOrganizationApi):
    kind = ReorganizationKind.MOVE
    input_class = MoveInput

    @extend_schema(request=MoveInput, responses={201: ReorganizationSerializer})
    def post(self, request, organization_id):
        """Re-attach an organization and its subtree under a new parent from a date."""
        return self.apply(request, organization_id)


class OrganizationCloseApi(_OneOrganizationApi):
    kind = ReorganizationKind.DISSOLVE

    @extend_schema(request=DecisionInput, responses={201: ReorganizationSerializer})
    def post(self, request, organization_id):
        """Dissolve an organization and its sub-units: their last day is the day before `effective_on`; refused
        while members remain on their rolls."""
        return self.apply(request, organization_id)
