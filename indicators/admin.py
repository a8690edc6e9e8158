from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Program, Target, TargetOverride


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "first_year", "last_year"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]


@admin.register(TargetOverride)
class TargetOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["target", "organization", "threshold"]
    raw_id_fields = ["organization"]
    list_select_related = ["target", "organization"]
