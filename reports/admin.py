"""Report versions are read-only in the admin: they are made by the report job and issued through
reports.issuing; an issued version is final (ReportRun.save and delete refuse it, whatever the door)."""

from django.contrib import admin

from evaluations.admin import ReadOnlyAdmin

from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = ["year", "scope", "version", "status", "number", "requested_by", "requested_at", "issued_at"]
    list_filter = ["year", "status"]
    list_select_related = ["scope", "requested_by"]
    search_fields = ["number", "scope__code", "scope__name"]
    exclude = ["results"]
