"""Dated records of a member over the API: status periods (exemption, suspension, temporary activity elsewhere)
and discipline, listed and added per member; status periods and committee seats ended on a date. Every write
goes through the service the pages call."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.models import Organization
from party_portal.api_base import ApiMixin, InputSerializer, id_field

from . import selectors, services
from .api import CommitteeSeatSerializer, DisciplineSerializer, StatusPeriodSerializer, _MemberWriteApi, _valid
from .models import DisciplineKind, StatusKind

NO_SUCH_ORGANIZATION = _("No party organization has this id.")


class StatusPeriodInput(InputSerializer):
    kind = serializers.ChoiceField(choices=StatusKind.choices)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, help_text="The last day; null while in force")
    host_organization = id_field(
        required=False, allow_null=True, help_text="For temporary activity elsewhere: the organization joined"
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)

    def validate_host_organization(self, value):
        if value is None:
            return None
        host = Organization.objects.filter(pk=value).first()
        if host is None:
            raise serializers.ValidationError(NO_SUCH_ORGANIZATION)
        return host


class DisciplineInput(InputSerializer):
    kind = serializers.ChoiceField(choices=DisciplineKind.choices)
    decided_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)


class EndInput(InputSerializer):
    end = serializers.DateField(help_text="The last day of the record")


class StatusPeriodApi(_MemberWriteApi):
    @extend_schema(responses=StatusPeriodSerializer(many=True))
    def get(self, request, member_id):
        """The member's exemption, suspension and temporary activity periods, oldest first."""
        member = self.member(member_id)
        periods = member.status_periods.select_related("host_organization").order_by("start", "pk")
        return Response(StatusPeriodSerializer(periods, many=True).data)

    @extend_schema(request=StatusPeriodInput, responses={201: StatusPeriodSerializer})
    def post(self, request, member_id):
        """Record an exemption, suspension or temporary activity elsewhere (the same service as the pages)."""
        data = _valid(StatusPeriodInput, request)
        member = self.member(member_id, data["start"])
        period = services.status_period_add(actor=request.user, member=member, **data)
        return Response(StatusPeriodSerializer(period).data, status=status.HTTP_201_CREATED)


class StatusPeriodEndApi(ApiMixin, APIView):
    @extend_schema(request=EndInput, responses=StatusPeriodSerializer)
    def post(self, request, status_period_id):
        """End an open status period on a date (its last day); every year end from then on must be open."""
        data = _valid(EndInput, request)
        period = selectors.status_period_get(actor=request.user, period_id=status_period_id)
        period = services.status_period_end(actor=request.user, period=period, end=data["end"])
        return Response(StatusPeriodSerializer(period).data)


class DisciplineApi(_MemberWriteApi):
    @extend_schema(responses=DisciplineSerializer(many=True))
    def get(self, request, member_id):
        """The member's disciplines, oldest first."""
        member = self.member(member_id)
        return Response(DisciplineSerializer(member.disciplines.order_by("decided_on", "pk"), many=True).data)

    @extend_schema(request=DisciplineInput, responses={201: DisciplineSerializer})
    def post(self, request, member_id):
        """Record a discipline; a probationary member can only be reprimanded or warned."""
        data = _valid(DisciplineInput, request)
        member = self.member(member_id, data["decided_on"])
        discipline = services.discipline_add(actor=request.user, member=member, **data)
        return Response(DisciplineSerializer(discipline).data, status=status.HTTP_201_CREATED)


class CommitteeSeatEndApi(ApiMixin, APIView):
    @extend_schema(request=EndInput, responses=CommitteeSeatSerializer)
    def post(self, request, seat_id):
        """End an open committee seat on a date (its last day); every year end from then on must be open."""
        data = _valid(EndInput, request)
        seat = selectors.seat_get(actor=request.user, seat_id=seat_id)
        seat = services.committee_seat_end(actor=request.user, seat=seat, end=data["end"])
        return Response(CommitteeSeatSerializer(seat).data)
