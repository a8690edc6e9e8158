"""The organization tree over the API: the top of the caller's scope, a node's children, a node with its
ancestors and its placements over time, and search — all as of a date, through organizations.selectors."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from party_portal.api_base import ApiMixin, AsOfFilterSet, AsOfParams, ListApi

from . import selectors
from .models import Organization, OrgKind, OrgLevel, OrgType, Placement

SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX = 50, 200


class OrganizationRefSerializer(serializers.ModelSerializer):
    """An organization named in another object."""

    class Meta:
        model = Organization
        fields = ["id", "code", "name"]


class _PlacedOrganizationSerializer(serializers.Serializer):
    """An organization where it stands in the tree on the date asked."""

    id = serializers.IntegerField(source="organization_id")
    code = serializers.CharField(source="organization.code")
    name = serializers.CharField(source="organization.name")
    kind = serializers.ChoiceField(source="organization.kind", choices=OrgKind.choices)
    level = serializers.ChoiceField(source="organization.level", choices=OrgLevel.choices)
    org_type = serializers.CharField(source="organization.org_type", help_text="Loại hình of a TCCSĐ, else empty")
    valid_from = serializers.DateField(source="organization.valid_from")
    valid_to = serializers.DateField(source="organization.valid_to", allow_null=True)
    depth = serializers.IntegerField(help_text="0 for a root of the whole tree")
    path = serializers.CharField(help_text="Ids from the root down to the node: /1/15/230/")


class TreeNodeSerializer(_PlacedOrganizationSerializer):
    parent_id = serializers.IntegerField(allow_null=True)
    child_count = serializers.IntegerField(help_text="Direct sub-units on the date asked")


class SearchResultSerializer(_PlacedOrganizationSerializer):
    parent = OrganizationRefSerializer(allow_null=True)


class PlacementSerializer(serializers.ModelSerializer):
    """Where the organization sat in the tree for a period."""

    parent = OrganizationRefSerializer(allow_null=True)

    class Meta:
        model = Placement
        fields = ["parent", "valid_from", "valid_to", "path", "depth"]


class OrganizationDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organization.id")
    code = serializers.CharField(source="organization.code")
    name = serializers.CharField(source="organization.name")
    kind = serializers.ChoiceField(source="organization.kind", choices=OrgKind.choices)
    level = serializers.ChoiceField(source="organization.level", choices=OrgLevel.choices)
    org_type = serializers.CharField(source="organization.org_type")
    valid_from = serializers.DateField(source="organization.valid_from")
    valid_to = serializers.DateField(source="organization.valid_to", allow_null=True)
    successor_of = OrganizationRefSerializer(source="organization.successor_of", allow_null=True)
    parent = OrganizationRefSerializer(allow_null=True, help_text="The parent on the date asked")
    depth = serializers.IntegerField()
    path = serializers.CharField()
    ancestors = OrganizationRefSerializer(many=True, help_text="From the root down to the parent")
    placements = PlacementSerializer(many=True, help_text="Every placement the organization has had, oldest first")


class TreeFilter(AsOfFilterSet):
    class Meta:
        model = Placement
        fields = []


class ChildrenFilter(AsOfFilterSet):
    kind = filters.ChoiceFilter(field_name="organization__kind", choices=OrgKind.choices)
    level = filters.ChoiceFilter(field_name="organization__level", choices=OrgLevel.choices)
    org_type = filters.ChoiceFilter(field_name="organization__org_type", choices=OrgType.choices)
    ordering = filters.OrderingFilter(
        fields=(("organization__code", "code"), ("organization__name_folded", "name"), ("organization__kind", "kind"))
    )

    class Meta:
        model = Placement
        fields = []


class OrganizationTreeApi(ListApi):
    """The top nodes of your part of the tree on a date (the province for the Organization Board)."""

    queryset = Placement.objects.none()
    serializer_class = TreeNodeSerializer
    filterset_class = TreeFilter
    error_statuses = (400, 401, 404)

    def get_queryset(self):
        return selectors.tree_roots(actor=self.request.user, on=self.as_of())


class OrganizationChildrenApi(ListApi):
    """The direct sub-units of a node on a date, each with its own number of sub-units."""

    queryset = Placement.objects.none()
    serializer_class = TreeNodeSerializer
    filterset_class = ChildrenFilter

    def get_queryset(self):
        on = self.as_of()
        # 404 for a node outside the caller's scope, so a forged id reveals nothing.
        selectors.placement_get(actor=self.request.user, organization_id=self.kwargs["organization_id"], on=on)
        return selectors.tree_children(actor=self.request.user, parent_id=self.kwargs["organization_id"], on=on)


class OrganizationDetailApi(ApiMixin, APIView):
    error_statuses = (400, 401, 404)

    @extend_schema(parameters=[AsOfParams], responses=OrganizationDetailSerializer)
    def get(self, request, organization_id):
        """An organization as it stands on a date: its parent, its ancestors, and its placements over time."""
        placement = selectors.placement_get(actor=request.user, organization_id=organization_id, on=self.as_of())
        placement.ancestors = selectors.ancestors(placement=placement)
        placement.placements = selectors.organization_history(organization=placement.organization)
        return Response(OrganizationDetailSerializer(placement).data)


class SearchParams(AsOfParams):
    q = serializers.CharField(max_length=100, help_text="Code, or name with or without diacritics")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=SEARCH_LIMIT_MAX)


class OrganizationSearchApi(ApiMixin, APIView):
    error_statuses = (400, 401)

    @extend_schema(parameters=[SearchParams], responses=SearchResultSerializer(many=True))
    def get(self, request):
        """Organizations of your scope on a date whose code or name (ignoring diacritics) contains `q`;
        at most `limit` (default 50), the highest in the tree first."""
        params = SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = selectors.organization_search(
            actor=request.user,
            query=params.validated_data["q"],
            on=self.as_of(),
            limit=params.validated_data.get("limit", SEARCH_LIMIT_DEFAULT),
        )
        return Response(SearchResultSerializer(results, many=True).data)
