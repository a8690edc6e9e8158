"""Admin for members. Admissions, identity changes and dated records go through the services; stints are derived."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from organizations.forms import ServiceAdminMixin, ServiceModelForm
from organizations.models import Organization
from party_portal.text import fold

from . import services
from .models import (
    CommitteeSeat,
    Discipline,
    Member,
    Membership,
    MovementEvent,
    StatusPeriod,
    TheoryQualification,
)

IDENTITY_FIELDS = [
    "full_name",
    "gender",
    "date_of_birth",
    "ethnicity",
    "religion",
    "record_number",
    "card_number",
    "citizen_id",
]
MEMBER_SEARCH = ["member__name_folded", "=member__record_number"]


class FoldedSearchMixin:
    """Search the folded name columns: "nguyen van" and "Nguyễn Văn" find the same rows."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


class ServiceAdmin(FoldedSearchMixin, ServiceAdminMixin, SimpleHistoryAdmin):
    history_list_display = ["history_door"]
    # Each would add COUNT(*) queries over 60k members to every list page.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


class MemberAddForm(ServiceModelForm):
    service = staticmethod(services.member_admit)

    organization = forms.ModelChoiceField(
        label=_("admitted into"),
        queryset=Organization.objects.all(),
        widget=ForeignKeyRawIdWidget(MovementEvent._meta.get_field("organization").remote_field, admin.site),
    )
    readmission = forms.BooleanField(label=_("re-admission"), required=False)

    class Meta:
        model = Member
        fields = [*IDENTITY_FIELDS, "admission_date"]


class MemberChangeForm(ServiceModelForm):
    class Meta:
        model = Member
        fields = IDENTITY_FIELDS

    def save_through_service(self, actor):
        changed = {name: self.cleaned_data[name] for name in self.changed_data}
        if not changed:
            return self.instance
        return services.member_update(actor=actor, member=self.instance, **changed)


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["organization", "start", "end"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["start"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(ServiceAdmin):
    form = MemberChangeForm
    add_form = MemberAddForm
    list_display = ["full_name", "record_number", "gender", "date_of_birth", "admission_date", "card_number"]
    list_filter = ["gender"]
    search_fields = ["name_folded", "=record_number", "=card_number", "=citizen_id"]
    readonly_fields = ["admission_date", "folded_name"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # The admission date follows the admission events (movement_record), never a hand edit.
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("name without diacritics (for search)"))
    def folded_name(self, obj):
        return obj.name_folded

    def has_delete_permission(self, request, obj=None):
        return False


class MovementEventForm(ServiceModelForm):
    service = staticmethod(services.movement_record)

    class Meta:
        model = MovementEvent
        fields = ["member", "kind", "date", "organization", "transfer_scope", "note"]


@admin.register(MovementEvent)
class MovementEventAdmin(ServiceAdmin):
    """Events are added through movement_record, which re-derives the rolls; they are not edited afterwards."""

    add_form = MovementEventForm
    list_display = ["date", "kind", "member", "organization", "transfer_scope"]
    list_filter = ["kind", "transfer_scope"]
    search_fields = [*MEMBER_SEARCH, "organization__code"]
    raw_id_fields = ["member", "organization"]
    list_select_related = ["member", "organization"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Derived from the movement events (members.services.rebuild_memberships): read-only."""

    list_display = ["member", "organization", "start", "end"]
    list_filter = ["end"]
    search_fields = [*MEMBER_SEARCH, "organization__code"]
    raw_id_fields = ["member", "organization"]
    list_select_related = ["member", "organization"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusPeriodForm(ServiceModelForm):
    service = staticmethod(services.status_period_add)

    class Meta:
        model = StatusPeriod
        fields = ["member", "kind", "start", "end", "host_organization", "reason"]


class PlainChangeMixin:
    """No service edits these rows yet: a change saves the form as is (model validation still runs), and the
    fields a service checks on creation stay read-only."""

    locked_on_change = []

    def get_readonly_fields(self, request, obj=None):
        return self.locked_on_change if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            super().save_model(request, obj, form, change)


@admin.register(StatusPeriod)
class StatusPeriodAdmin(PlainChangeMixin, ServiceAdmin):
    add_form = StatusPeriodForm
    locked_on_change = ["member", "kind", "start", "host_organization"]
    list_display = ["member", "kind", "start", "end", "host_organization"]
    list_filter = ["kind"]
    search_fields = MEMBER_SEARCH
    raw_id_fields = ["member", "host_organization"]
    list_select_related = ["member", "host_organization"]


class TheoryQualificationForm(ServiceModelForm):
    service = staticmethod(services.theory_level_add)

    class Meta:
        model = TheoryQualification
        fields = ["member", "level", "obtained_on"]


@admin.register(TheoryQualification)
class TheoryQualificationAdmin(PlainChangeMixin, ServiceAdmin):
    add_form = TheoryQualificationForm
    locked_on_change = ["member", "level"]
    list_display = ["member", "level", "obtained_on"]
    list_filter = ["level"]
    search_fields = MEMBER_SEARCH
    raw_id_fields = ["member"]
    list_select_related = ["member"]


class DisciplineForm(ServiceModelForm):
    service = staticmethod(services.discipline_add)

    class Meta:
        model = Discipline
        fields = ["member", "kind", "decided_on", "reason"]


@admin.register(Discipline)
class DisciplineAdmin(PlainChangeMixin, ServiceAdmin):
    add_form = DisciplineForm
    # Kind and date are checked against probation by discipline_add; changing them would skip that rule.
    locked_on_change = ["member", "kind", "decided_on"]
    list_display = ["member", "kind", "decided_on"]
    list_filter = ["kind"]
    search_fields = MEMBER_SEARCH
    raw_id_fields = ["member"]
    list_select_related = ["member"]


class CommitteeSeatForm(ServiceModelForm):
    service = staticmethod(services.committee_seat_add)

    class Meta:
        model = CommitteeSeat
        fields = ["member", "organization", "role", "start", "end"]


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(PlainChangeMixin, ServiceAdmin):
    add_form = CommitteeSeatForm
    locked_on_change = ["member", "organization", "role", "start"]
    list_display = ["member", "role", "organization", "start", "end"]
    list_filter = ["role"]
    search_fields = [*MEMBER_SEARCH, "organization__code"]
    raw_id_fields = ["member", "organization"]
    list_select_related = ["member", "organization"]
