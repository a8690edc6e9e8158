"""Ratings are read-only in the admin: every change goes through evaluations.services, which enforces the
rule sets and the lock on approved data. Rating years can be closed from here, through the service."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import MemberRating, OrganizationRating, RatingYear, Reopening, Submission


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """A model with an audit trail: its history page lists the trail."""


@admin.register(RatingYear)
class RatingYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "rule_set", "state", "closed_at", "closed_by"]
    actions = ["close_years"]

    @admin.action(description=_("Close the selected rating years"))
    def close_years(self, request, queryset):
        for year in queryset:
            try:
                services.year_close(actor=request.user, year=year)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, str(error), messages.ERROR)
                return
        self.message_user(request, _("Closed."), messages.SUCCESS)


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["organization", "year", "state", "changed_after_approval", "submitted_at", "decided_at"]
    list_filter = ["year", "state", "changed_after_approval"]
    search_fields = ["organization__code", "organization__name_folded"]
    list_select_related = ["organization", "year"]


@admin.register(OrganizationRating)
class OrganizationRatingAdmin(ReadOnlyAdmin):
    list_display = ["organization", "year", "level", "not_rated_reason", "score"]
    list_filter = ["year", "level", "not_rated_reason"]
    search_fields = ["organization__code", "organization__name_folded"]
    list_select_related = ["organization", "year"]


@admin.register(MemberRating)
class MemberRatingAdmin(ReadOnlyAdmin):
    list_display = ["member", "year", "organization", "level", "not_rated_reason", "score"]
    list_filter = ["year", "level", "not_rated_reason"]
    search_fields = ["member__name_folded", "member__record_number", "organization__code"]
    list_select_related = ["member", "organization", "year"]
    raw_id_fields = ["member", "organization"]


@admin.register(Reopening)
class ReopeningAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A reopening is itself the audit record of a reopen, written once and never changed: it keeps no trail of
    its own, so its history page is the admin's plain one (simple-history's needs a trail: it was a 500)."""

    list_display = ["submission", "reason", "by", "at"]
