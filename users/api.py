"""Users and roles over the API, through the same selectors and services as the pages: the lists of what the
caller administers, creating a login with its first role, granting, changing and ending roles, deactivating,
reactivating and resetting a password. Every endpoint needs the right to manage users (organizations.policy)."""

from django.contrib.auth import get_user_model
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations import policy
from organizations.api import OrganizationRefSerializer
from organizations.models import Role, RoleKind
from party_portal.api_base import (
    DATE_INPUT_FORMATS,
    ApiMixin,
    IdFilter,
    InputSerializer,
    ListApi,
    SelectorFilterSet,
    id_field,
)

from . import selectors, services

STATES = [(selectors.IN_FORCE, "in force today"), (selectors.ENDED, "ended"), (selectors.ALL, "all")]


class ManagesUsers(BasePermission):
    """Every method, reading included, needs MANAGE_USERS: the lists name people and their logins."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if policy.can(user, policy.MANAGE_USERS):
            return True
        self.message = str(policy.refusal(user, policy.MANAGE_USERS))
        return False


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    email = serializers.CharField()
    is_active = serializers.BooleanField(help_text="False once deactivated: the login cannot sign in")


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")


class RoleSerializer(serializers.ModelSerializer):
    user = UserRefSerializer()
    organization = OrganizationRefSerializer()

    class Meta:
        model = Role
        fields = ["id", "user", "organization", "kind", "valid_from", "valid_to"]


class UserDetailSerializer(UserSerializer):
    must_change_password = serializers.BooleanField(help_text="The login still holds an initial password")
    roles = RoleSerializer(many=True, help_text="The roles in your part of the tree, in force or not")


class CreatedSerializer(serializers.Serializer):
    user = UserSerializer()
    password = serializers.CharField(help_text="The initial password, answered this once; changed at first login")


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(help_text="The new initial password, answered this once")


def _date(**kwargs):
    return serializers.DateField(input_formats=DATE_INPUT_FORMATS, **kwargs)


class RoleFieldsInput(InputSerializer):
    organization = id_field()
    kind = serializers.ChoiceField(choices=RoleKind.choices)
    valid_from = _date()
    valid_to = _date(required=False, allow_null=True, help_text="Empty: until further notice")


class UserCreateInput(RoleFieldsInput):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    password = serializers.CharField(
        required=False, allow_blank=True, max_length=128, trim_whitespace=False, help_text="Empty: one is generated"
    )


class RoleGrantInput(RoleFieldsInput):
    user = id_field()


class RoleDatesInput(InputSerializer):
    valid_from = _date()
    valid_to = _date(allow_null=True, help_text="Null: until further notice")


class RoleEndInput(InputSerializer):
    last_day = _date(help_text="The role's last day in force")


class PasswordResetInput(InputSerializer):
    password = serializers.CharField(
        required=False, allow_blank=True, max_length=128, trim_whitespace=False, help_text="Empty: one is generated"
    )


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _UsersApi(ApiMixin):
    permission_classes = [ManagesUsers]

    def organization(self, organization_id):
        return services.organization_for_grant(actor=self.request.user, organization_id=organization_id)


def _name_filter():
    return filters.CharFilter(method="given_to_selector", max_length=100, label="Name or login (diacritics optional)")


class UserFilter(SelectorFilterSet):
    q = _name_filter()

    class Meta:
        model = get_user_model()
        fields = []


class RoleFilter(SelectorFilterSet):
    q = _name_filter()
    organization = IdFilter(method="given_to_selector", label="Only this organization's subtree")
    kind = filters.ChoiceFilter(method="given_to_selector", choices=RoleKind.choices)
    state = filters.ChoiceFilter(method="given_to_selector", choices=STATES, label="Default: in force today")

    class Meta:
        model = Role
        fields = []


class UserListApi(_UsersApi, ListApi):
    queryset = get_user_model().objects.none()
    serializer_class = UserSerializer
    filterset_class = UserFilter

    def get_queryset(self):
        """The logins holding a role (now or in the past) in your part of the tree."""
        return selectors.user_list(actor=self.request.user, query=self.query().get("q") or "")

    @extend_schema(request=UserCreateInput, responses={201: CreatedSerializer})
    def post(self, request):
        """Create a login with its first role and an initial password (typed or generated) that its owner must
        change at the first login; the password is answered this once."""
        data = _valid(UserCreateInput, request)
        data["organization"] = self.organization(data["organization"])
        user, password = services.user_create(actor=request.user, **data)
        return Response(CreatedSerializer({"user": user, "password": password}).data, status=status.HTTP_201_CREATED)


class UserDetailApi(_UsersApi, APIView):
    @extend_schema(responses=UserDetailSerializer)
    def get(self, request, user_id):
        """A login, its state and its roles in your part of the tree."""
        user = selectors.user_get(actor=request.user, user_id=user_id)
        user.roles = selectors.user_roles(actor=request.user, user=user)
        user.must_change_password = selectors.must_change_password(user)
        return Response(UserDetailSerializer(user).data)


class UserDeactivateApi(_UsersApi, APIView):
    service = staticmethod(services.user_deactivate)

    @extend_schema(request=None, responses=UserSerializer)
    def post(self, request, user_id):
        """Deactivate a login (its API tokens are revoked): every current role of it must be yours to grant."""
        user = selectors.user_get(actor=request.user, user_id=user_id)
        return Response(UserSerializer(self.service(actor=request.user, user=user)).data)


class UserReactivateApi(UserDeactivateApi):
    service = staticmethod(services.user_reactivate)

    @extend_schema(request=None, responses=UserSerializer)
    def post(self, request, user_id):
        """Let a deactivated login sign in again, under the same rule as deactivating it."""
        return super().post(request, user_id)


class UserPasswordResetApi(_UsersApi, APIView):
    @extend_schema(request=PasswordResetInput, responses=PasswordSerializer)
    def post(self, request, user_id):
        """Give a login a new initial password (typed or generated), answered this once; its sessions and tokens
        end, and it must be changed at the next login."""
        data = _valid(PasswordResetInput, request)
        user = selectors.user_get(actor=request.user, user_id=user_id)
        password = services.user_password_reset(actor=request.user, user=user, password=data.get("password") or None)
        return Response(PasswordSerializer({"password": password}).data)


class RoleListApi(_UsersApi, ListApi):
    queryset = Role.objects.none()
    serializer_class = RoleSerializer
    filterset_class = RoleFilter

    def get_queryset(self):
        """Who holds which role where in your part of the tree: under a unit, of a kind, in force today (by
        default), ended or all, by name or login."""
        params = self.query()
        return selectors.role_list(
            actor=self.request.user,
            organization_id=params.get("organization"),
            kind=params.get("kind") or "",
            state=params.get("state") or selectors.IN_FORCE,
            query=params.get("q") or "",
        )

    @extend_schema(request=RoleGrantInput, responses={201: RoleSerializer})
    def post(self, request):
        """Grant a role to a login you administer: inside your part of the tree, a kind at or below your own, not
        outlasting your own role, never to yourself."""
        data = _valid(RoleGrantInput, request)
        data["user"] = selectors.user_get(actor=request.user, user_id=data["user"])
        data["organization"] = self.organization(data["organization"])
        role = services.role_grant(actor=request.user, **data)
        return Response(RoleSerializer(role).data, status=status.HTTP_201_CREATED)


class RoleDetailApi(_UsersApi, APIView):
    @extend_schema(responses=RoleSerializer)
    def get(self, request, role_id):
        """A role in your part of the tree."""
        return Response(RoleSerializer(selectors.role_get(actor=request.user, role_id=role_id)).data)

    @extend_schema(request=RoleDatesInput, responses=RoleSerializer)
    def patch(self, request, role_id):
        """Change the dates of a role (the grant rules apply to the new period); the old dates stay in its history."""
        data = _valid(RoleDatesInput, request)
        role = selectors.role_get(actor=request.user, role_id=role_id)
        return Response(RoleSerializer(services.role_update(actor=request.user, role=role, **data)).data)


class RoleEndApi(_UsersApi, APIView):
    @extend_schema(request=RoleEndInput, responses=RoleSerializer)
    def post(self, request, role_id):
        """End a role on its last day in force: it stays, dated, and still opens the past it covered."""
        data = _valid(RoleEndInput, request)
        role = selectors.role_get(actor=request.user, role_id=role_id)
        return Response(RoleSerializer(services.role_end(actor=request.user, role=role, **data)).data)
