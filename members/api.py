"""Members over the API: the rolls on a date (filters, search, ordering), a member with everything dated about
them, and the writes of members.services (admit, enter an arrival from another province, update identity, record
a movement, transfer, add a theory level or a committee seat). An organization's committee on a date is here
too: organizations must not import members."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations import selectors as org_selectors
from organizations.api import OrganizationRefSerializer
from party_portal.api_base import ApiMixin, AsOfFilterSet, AsOfParams, IdFilter, InputSerializer, ListApi, id_field

from . import selectors, services
from .api_codes import CODED_FIELDS, GovernmentPostSerializer, code_field, youth_union_field
from .models import (
    CodeList,
    CommitteeSeat,
    Discipline,
    Gender,
    Member,
    Membership,
    MovementEvent,
    MovementKind,
    SeatRole,
    StatusPeriod,
    TheoryLevel,
    TheoryQualification,
    TransferScope,
)

# --- output ---------------------------------------------------------------------------------------------


class MovementEventSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer()

    class Meta:
        model = MovementEvent
        fields = ["id", "kind", "date", "organization", "transfer_scope", "note"]


class MembershipSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer()

    class Meta:
        model = Membership
        fields = ["organization", "start", "end"]
        extra_kwargs = {"end": {"help_text": "The first day off these rolls; null while on them"}}


class StatusPeriodSerializer(serializers.ModelSerializer):
    host_organization = OrganizationRefSerializer(allow_null=True)

    class Meta:
        model = StatusPeriod
        fields = ["id", "kind", "start", "end", "host_organization", "reason"]


class TheoryQualificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = TheoryQualification
        fields = ["id", "level", "obtained_on"]


class DisciplineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Discipline
        fields = ["id", "kind", "decided_on", "reason"]


class CommitteeSeatSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer()

    class Meta:
        model = CommitteeSeat
        fields = ["id", "organization", "role", "start", "end"]


class CommitteeMemberSerializer(serializers.ModelSerializer):
    """A seat on the committee on the date asked, with its holder's theory level on that date."""

    member_id = serializers.IntegerField()
    full_name = serializers.CharField(source="member.full_name")
    theory_level = serializers.SerializerMethodField()

    class Meta:
        model = CommitteeSeat
        fields = ["id", "member_id", "full_name", "role", "start", "end", "theory_level"]

    def get_theory_level(self, seat) -> int:
        return seat.theory_level or TheoryLevel.NONE


class RollsEntrySerializer(serializers.Serializer):
    """A member on the rolls of an organization on the date asked."""

    id = serializers.IntegerField(source="member_id")
    full_name = serializers.CharField(source="member.full_name")
    gender = serializers.ChoiceField(source="member.gender", choices=Gender.choices)
    date_of_birth = serializers.DateField(source="member.date_of_birth")
    record_number = serializers.CharField(source="member.record_number")
    card_number = serializers.CharField(source="member.card_number", allow_null=True)
    admission_date = serializers.DateField(source="member.admission_date")
    official = serializers.SerializerMethodField(help_text="Official (not probationary) on the date asked")
    theory_level = serializers.SerializerMethodField(help_text="Highest political theory level held on the date")
    organization = OrganizationRefSerializer()
    on_rolls_since = serializers.DateField(source="start")

    def get_official(self, stint) -> bool:
        return stint.member.is_official_on(self.context["on"])

    def get_theory_level(self, stint) -> int:
        return stint.theory_level or TheoryLevel.NONE


class MemberSerializer(serializers.ModelSerializer):
    """A member's identity, standing on the date asked, and everything dated about them (oldest first)."""

    official = serializers.SerializerMethodField(help_text="Official (not probationary) on the date asked")
    organization = serializers.SerializerMethodField(help_text="The organization on the date asked (or the last)")
    on_rolls = serializers.SerializerMethodField(help_text="On the rolls on the date asked")
    events = MovementEventSerializer(source="dated.events", many=True)
    memberships = MembershipSerializer(source="dated.memberships", many=True)
    status_periods = StatusPeriodSerializer(source="dated.status_periods", many=True)
    theory_levels = TheoryQualificationSerializer(source="dated.theory_levels", many=True)
    disciplines = DisciplineSerializer(source="dated.disciplines", many=True)
    committee_seats = CommitteeSeatSerializer(source="dated.committee_seats", many=True)
    government_posts = GovernmentPostSerializer(source="dated.government_posts", many=True)
    ethnicity_code = code_field(CodeList.ETHNICITY)
    religion_code = code_field(CodeList.RELIGION)
    general_education = code_field(CodeList.EDUCATION)
    qualification = code_field(CodeList.QUALIFICATION)
    occupation_at_admission = code_field(CodeList.OCCUPATION)
    occupation_now = code_field(CodeList.OCCUPATION)
    youth_union_at_admission = youth_union_field()

    class Meta:
        model = Member
        fields = ["id", "full_name", "gender", "date_of_birth", "ethnicity", "religion", "record_number"]
        fields += ["card_number", "citizen_id", "admission_date", "official", "organization", "on_rolls"]
        fields += [*CODED_FIELDS, "youth_union_at_admission"]
        fields += ["events", "memberships", "status_periods", "theory_levels", "disciplines", "committee_seats"]
        fields += ["government_posts"]

    def _last_stint(self, member):
        on = self.context["on"]
        return next((s for s in reversed(member.dated.memberships) if s.start <= on), None)

    def get_official(self, member) -> bool:
        return member.is_official_on(self.context["on"])

    @extend_schema_field(OrganizationRefSerializer(allow_null=True))
    def get_organization(self, member):
        stint = self._last_stint(member)
        return OrganizationRefSerializer(stint.organization).data if stint else None

    def get_on_rolls(self, member) -> bool:
        # A stint ending on D no longer counts on D (Membership's rule).
        stint = self._last_stint(member)
        return stint is not None and (stint.end is None or stint.end > self.context["on"])


def member_payload(member, on):
    member.dated = selectors.member_history(member=member)
    return MemberSerializer(member, context={"on": on}).data


# --- input ----------------------------------------------------------------------------------------------


class MemberIdentityInput(InputSerializer):
    """Identity fields; their formats and uniqueness are checked by the service, with the pages' messages."""

    full_name = serializers.CharField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    date_of_birth = serializers.DateField()
    ethnicity = serializers.CharField(required=False)
    religion = serializers.CharField(required=False, allow_blank=True)
    record_number = serializers.CharField(help_text="6 digits and a 1–3 letter province code")
    card_number = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="8 digits; official members only"
    )
    citizen_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="12 digits")
    ethnicity_code = code_field(CodeList.ETHNICITY, write=True)
    religion_code = code_field(CodeList.RELIGION, write=True)
    general_education = code_field(CodeList.EDUCATION, write=True)
    qualification = code_field(CodeList.QUALIFICATION, write=True)
    occupation_at_admission = code_field(CodeList.OCCUPATION, write=True)
    occupation_now = code_field(CodeList.OCCUPATION, write=True)
    youth_union_at_admission = youth_union_field(write=True)

    def validate_card_number(self, value):
        return value or None

    def validate_citizen_id(self, value):
        return value or None


ADMISSION, ARRIVAL = "admission", "arrival"
ARRIVAL_DATE_REQUIRED = _("An arrival from another province needs the date of arrival.")
ONLY_FOR_ARRIVALS = _("Only an arrival from another province takes this field.")
ONLY_FOR_ADMISSIONS = _("Only an admission takes this field.")


class MemberAdmitInput(MemberIdentityInput):
    entry = serializers.ChoiceField(
        choices=[(ADMISSION, "Admission or re-admission"), (ARRIVAL, "Arrival from another province")],
        default=ADMISSION,
        help_text="How the person joins the province's rolls: admitted here (kết nạp), or transferred in from "
        "another province (chuyển đến), which is not an admission of the year",
    )
    organization = id_field(help_text="The admitting (or receiving) organization, usually a cell")
    admission_date = serializers.DateField(help_text="The admission ceremony; for an arrival, as in the record")
    readmission = serializers.BooleanField(default=False, help_text="A re-admission (kết nạp lại); admissions only")
    arrival_date = serializers.DateField(required=False, help_text="The day the member arrives; arrivals only")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text="Where the member comes from; arrivals only"
    )

    def validate(self, attrs):
        if attrs["entry"] == ARRIVAL:
            if "arrival_date" not in attrs:
                raise serializers.ValidationError({"arrival_date": ARRIVAL_DATE_REQUIRED})
            if attrs.get("readmission"):
                raise serializers.ValidationError({"readmission": ONLY_FOR_ADMISSIONS})
        else:
            for name in ("arrival_date", "note"):
                if name in attrs:
                    raise serializers.ValidationError({name: ONLY_FOR_ARRIVALS})
        return attrs


class MovementInput(InputSerializer):
    kind = serializers.ChoiceField(choices=MovementKind.choices)
    date = serializers.DateField()
    organization = id_field(help_text="The organization the member joins or leaves")
    transfer_scope = serializers.ChoiceField(
        choices=TransferScope.choices, required=False, allow_blank=True, help_text="For transfers only"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class TransferInput(InputSerializer):
    to_organization = id_field()
    date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class TheoryLevelInput(InputSerializer):
    level = serializers.ChoiceField(choices=TheoryLevel.choices)
    obtained_on = serializers.DateField()


class CommitteeSeatInput(InputSerializer):
    organization = id_field(help_text="The organization whose committee the seat is on")
    role = serializers.ChoiceField(choices=SeatRole.choices)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, help_text="The last day of the term; null if open")


def _valid(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- views ----------------------------------------------------------------------------------------------


class MemberFilter(AsOfFilterSet):
    q = filters.CharFilter(
        method="given_to_selector", max_length=100, label="Name (diacritics optional), record, card or CCCD number"
    )
    organization = IdFilter(method="given_to_selector", label="Only this organization's subtree")
    gender = filters.ChoiceFilter(method="given_to_selector", choices=Gender.choices)
    theory_level = filters.TypedChoiceFilter(
        method="given_to_selector", choices=TheoryLevel.choices, coerce=int, empty_value=None
    )
    ordering = filters.OrderingFilter(
        fields=(
            ("member__name_folded", "name"),
            ("member__date_of_birth", "date_of_birth"),
            ("member__admission_date", "admission_date"),
            ("member__record_number", "record_number"),
            ("organization__code", "organization"),
        )
    )

    class Meta:
        model = Membership
        fields = []


class MemberListApi(ListApi):
    queryset = Membership.objects.none()
    serializer_class = RollsEntrySerializer
    filterset_class = MemberFilter

    def get_queryset(self):
        """Members on the rolls on a date in your scope (or a node's subtree), searchable without diacritics."""
        params = self.query()
        return selectors.member_list(
            actor=self.request.user,
            on=self.as_of(),
            query=params.get("q") or "",
            organization_id=params.get("organization"),
            gender=params.get("gender") or "",
            theory_level=params.get("theory_level"),
        )

    @extend_schema(request=MemberAdmitInput, responses={201: MemberSerializer})
    def post(self, request):
        """Enter a new person on the rolls: admit (or re-admit) them, or record their arrival from another
        province (their own admission date is kept, and only the arrival event is written)."""
        data = _valid(MemberAdmitInput, request)
        entry = data.pop("entry")
        day = data["arrival_date"] if entry == ARRIVAL else data["admission_date"]
        organization = org_selectors.organization_for_write(
            actor=request.user, organization_id=data.pop("organization"), on=day
        )
        if entry == ARRIVAL:
            data.pop("readmission")
            member = services.member_arrive(actor=request.user, organization=organization, **data)
        else:
            member = services.member_admit(actor=request.user, organization=organization, **data)
        return Response(member_payload(member, timezone.localdate()), status=status.HTTP_201_CREATED)


class MemberDetailApi(ApiMixin, APIView):
    @extend_schema(parameters=[AsOfParams], responses=MemberSerializer)
    def get(self, request, member_id):
        """A member whose organization on the date (or last one) is in your scope, with their history."""
        on = self.as_of()
        member = selectors.member_get(actor=request.user, member_id=member_id, on=on)
        return Response(member_payload(member, on))

    @extend_schema(request=MemberIdentityInput(partial=True), responses=MemberSerializer)
    def patch(self, request, member_id):
        """Change identity fields of a member of your scope (the same checks as the pages)."""
        today = timezone.localdate()
        member = selectors.member_get(actor=request.user, member_id=member_id, on=today)
        data = _valid(MemberIdentityInput, request, partial=True)
        member = services.member_update(actor=request.user, member=member, **data)
        return Response(member_payload(member, today))


class _MemberWriteApi(ApiMixin, APIView):
    def member(self, member_id, on=None):
        """The member as the actor sees them on the write's date (today by default): out of scope is 404, as for
        a read, so a forged id reveals nothing; the service then checks the right to write."""
        return selectors.member_get(actor=self.request.user, member_id=member_id, on=on or timezone.localdate())


class MovementApi(_MemberWriteApi):
    @extend_schema(request=MovementInput, responses={201: MovementEventSerializer})
    def post(self, request, member_id):
        """Record a movement (Biểu 1-BTCTW) at an organization; the rolls are re-derived from all events."""
        data = _valid(MovementInput, request)
        member = self.member(member_id, data["date"])
        organization = org_selectors.organization_for_write(
            actor=request.user, organization_id=data.pop("organization"), on=data["date"]
        )
        event = services.movement_record(actor=request.user, member=member, organization=organization, **data)
        return Response(MovementEventSerializer(event).data, status=status.HTTP_201_CREATED)


class TransferApi(_MemberWriteApi):
    @extend_schema(request=TransferInput, responses={201: MovementEventSerializer})
    def post(self, request, member_id):
        """Transfer a member between two organizations of the province (a transfer out and a transfer in on
        the same day); answers the transfer-in event."""
        data = _valid(TransferInput, request)
        member = self.member(member_id, data["date"])
        to_organization = org_selectors.organization_for_write(
            actor=request.user, organization_id=data.pop("to_organization"), on=data["date"]
        )
        event = services.member_transfer(actor=request.user, member=member, to_organization=to_organization, **data)
        return Response(MovementEventSerializer(event).data, status=status.HTTP_201_CREATED)


class TheoryLevelApi(_MemberWriteApi):
    @extend_schema(request=TheoryLevelInput, responses={201: TheoryQualificationSerializer})
    def post(self, request, member_id):
        """Record a political theory level obtained on a date."""
        data = _valid(TheoryLevelInput, request)
        member = self.member(member_id)
        qualification = services.theory_level_add(actor=request.user, member=member, **data)
        return Response(TheoryQualificationSerializer(qualification).data, status=status.HTTP_201_CREATED)


class CommitteeSeatApi(_MemberWriteApi):
    @extend_schema(responses=CommitteeSeatSerializer(many=True))
    def get(self, request, member_id):
        """The member's committee seats with their terms (start and end), oldest first."""
        member = self.member(member_id)
        seats = member.committee_seats.select_related("organization").order_by("start", "pk")
        return Response(CommitteeSeatSerializer(seats, many=True).data)

    @extend_schema(request=CommitteeSeatInput, responses={201: CommitteeSeatSerializer})
    def post(self, request, member_id):
        """Give the member a seat on an organization's committee for a term."""
        data = _valid(CommitteeSeatInput, request)
        member = self.member(member_id, data["start"])
        organization = org_selectors.organization_for_write(
            actor=request.user, organization_id=data.pop("organization"), on=data["start"]
        )
        seat = services.committee_seat_add(actor=request.user, member=member, organization=organization, **data)
        return Response(CommitteeSeatSerializer(seat).data, status=status.HTTP_201_CREATED)


class CommitteeApi(ApiMixin, APIView):
    @extend_schema(
        parameters=[AsOfParams], responses=CommitteeMemberSerializer(many=True), operation_id="organizations_committee"
    )
    def get(self, request, organization_id):
        """The seats on an organization's committee on a date, each holder with their theory level then."""
        on = self.as_of()
        org_selectors.placement_get(actor=request.user, organization_id=organization_id, on=on)
        seats = selectors.committee_on(organization_id=organization_id, on=on)
        return Response(CommitteeMemberSerializer(seats, many=True).data)
