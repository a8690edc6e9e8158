"""API tokens (django-rest-knox): /api/token/ exchanges a username and password for a token that expires after
REST_KNOX["TOKEN_TTL"]; /api/token/logout/ revokes it, /api/token/logout-all/ revokes every token of the user. A
password change or a deactivation, through any door, revokes every token of the user (the receiver below)."""

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from users.selectors import must_change_password

from .api_base import ApiMixin
from .lockout import is_locked_out, lockout_message


class LockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


INITIAL_PASSWORD = _(
    "This account still has the initial password an administrator gave it: sign in on the portal's login page and "
    "choose your own password first."
)


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(help_text="The token stops working at this time.")


def revoke_tokens(user):
    """Every API token of `user` stops working."""
    AuthToken.objects.filter(user=user).delete()


class TokenApi(ApiMixin, APIView):
    """Exchange a username and password for a new API token, valid for a few hours (`expiry`). Repeated wrong
        passwords lock the username (from that address) and the address out for a while, as on the login page. A login
    still holding an initial password gets no token until its owner has chosen their own on the portal."""

    authentication_classes = ()
    permission_classes = ()
    error_statuses = (400, 403, 429)

    @extend_schema(request=CredentialsSerializer, responses=TokenSerializer, auth=[])
    def post(self, request, *args, **kwargs):
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        # Django's request, as the login pages pass it: the lockout reads and marks it.
        user = authenticate(request._request, **credentials.validated_data)
        if user is None:
            if is_locked_out(request._request):
                raise LockedOut(lockout_message(request._request))
            raise ValidationError(_("Unable to log in with provided credentials."), code="authorization")
        if must_change_password(user):
            raise PermissionDenied(INITIAL_PASSWORD, code="password_change_required")
        instance, token = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


class TokenLogoutApi(ApiMixin, APIView):
    """Revoke the token this request is authenticated with."""

    authentication_classes = [TokenAuthentication]
    # Anyone signed in may give up their own tokens, whatever their role (even one that has ended).
    permission_classes = [IsAuthenticated]
    error_statuses = (401,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        request.auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLogoutAllApi(TokenLogoutApi):
    """Revoke every token of the user this request is authenticated as."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        revoke_tokens(request.user)
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="revoke_tokens_on_password_or_deactivation")
def revoke_tokens_on_password_or_deactivation(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new password or a deactivation revokes every API token of the user, whichever door saved it (the
    password change and reset pages, the admin, a command)."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login at every login
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password or (before["is_active"] and not instance.is_active):
        revoke_tokens(instance)
