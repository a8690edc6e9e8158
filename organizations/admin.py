"""Admin for the tree. Creating, renaming, moving and closing go through the services; placements are derived."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, ForeignKeyRawIdWidget
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from party_portal.text import fold

from . import services
from .forms import ServiceAdminMixin, ServiceModelForm
from .models import Organization, Placement, Role

MOVE_NEEDS_BOTH = _("To move the organization, give both the new parent and the date of the move.")
END_DATE_FINAL = _("The organization has already ended; its end date cannot be changed here.")


class FoldedSearchMixin:
    """Search the folded name columns: "dang bo phuong" and "Đảng bộ phường" find the same rows."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


def _org_raw_id_widget():
    return ForeignKeyRawIdWidget(Placement._meta.get_field("parent").remote_field, admin.site)


class OrganizationAddForm(ServiceModelForm):
    service = staticmethod(services.organization_create)

    parent = forms.ModelChoiceField(
        label=_("parent organization"),
        queryset=Organization.objects.all(),
        required=False,
        widget=_org_raw_id_widget(),
        help_text=_("Leave empty only for a top-level organization."),
    )

    class Meta:
        model = Organization
        fields = ["code", "name", "kind", "org_type", "valid_from", "successor_of"]


class OrganizationChangeForm(ServiceModelForm):
    new_parent = forms.ModelChoiceField(
        label=_("move under"),
        queryset=Organization.objects.all(),
        required=False,
        widget=_org_raw_id_widget(),
        help_text=_("The organization and its whole subtree are re-attached from the date below; the past stays."),
    )
    move_on = forms.DateField(label=_("move from"), required=False, widget=AdminDateWidget)

    class Meta:
        model = Organization
        fields = ["name", "valid_to"]

    def clean(self):
        data = super().clean()
        if bool(data.get("new_parent")) != bool(data.get("move_on")):
            raise forms.ValidationError(MOVE_NEEDS_BOTH)
        if "valid_to" in self.changed_data and self.initial.get("valid_to"):
            self.add_error("valid_to", END_DATE_FINAL)
        return data

    def save_through_service(self, actor):
        data = self.cleaned_data
        organization = self.instance
        if data.get("new_parent"):
            services.organization_move(
                actor=actor, organization=organization, new_parent=data["new_parent"], on=data["move_on"]
            )
        if "name" in self.changed_data:
            services.organization_rename(actor=actor, organization=organization, name=data["name"])
        if "valid_to" in self.changed_data and data.get("valid_to"):
            services.organization_close(actor=actor, organization=organization, last_day=data["valid_to"])
        return organization


class PlacementColumns:
    """Labelled columns for Placement, whose parent, path and depth fields carry no translated verbose name."""

    @admin.display(description=_("party organization"), ordering="organization__code")
    def placed(self, obj):
        return obj.organization

    @admin.display(description=_("directly under"), ordering="parent__code")
    def under(self, obj):
        return obj.parent or "—"

    @admin.display(description=_("tree path"))
    def tree_path(self, obj):
        return obj.path

    @admin.display(description=_("depth"), ordering="depth")
    def tree_depth(self, obj):
        return obj.depth


class PlacementInline(PlacementColumns, admin.TabularInline):
    """The tree periods of one organization, read-only: they change only through a move or a close."""

    model = Placement
    fk_name = "organization"
    fields = ["valid_from", "valid_to", "under", "tree_path", "tree_depth"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["valid_from"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(FoldedSearchMixin, ServiceAdminMixin, SimpleHistoryAdmin):
    form = OrganizationChangeForm
    add_form = OrganizationAddForm
    list_display = ["code", "name", "kind", "level", "org_type", "valid_from", "valid_to"]
    list_filter = ["level", "kind", "org_type", "valid_to"]
    search_fields = ["code", "name_folded"]
    raw_id_fields = ["successor_of"]
    list_select_related = ["successor_of"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    history_list_display = ["history_door"]
    inlines = [PlacementInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = ["code", "kind", "level", "org_type", "valid_from", "successor_of", "folded_name"]
        return [*fields, "valid_to"] if obj.valid_to else fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("name without diacritics (for search)"))
    def folded_name(self, obj):
        return obj.name_folded

    def has_delete_permission(self, request, obj=None):
        # History is kept: an organization ends (valid_to), it is never deleted.
        return False


@admin.register(Placement)
class PlacementAdmin(PlacementColumns, FoldedSearchMixin, SimpleHistoryAdmin):
    """Read-only: paths and parents are maintained by the services that create, move and close organizations."""

    list_display = ["placed", "under", "valid_from", "valid_to", "tree_depth", "tree_path"]
    list_filter = ["depth", "valid_to"]
    search_fields = ["organization__code", "organization__name_folded", "=path"]
    list_select_related = ["organization", "parent"]
    raw_id_fields = ["organization", "parent"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    history_list_display = ["history_door"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Role)
class RoleAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    """Roles and their dates, for the superuser: everyone else grants them through the portal's user pages, under
    the grant rules of organizations.policy."""

    list_display = ["user", "kind", "organization", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["user__username", "organization__code", "organization__name_folded"]
    raw_id_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]
    history_list_display = ["history_door"]

    def _manages_users(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return self._manages_users(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._manages_users(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._manages_users(request) and super().has_delete_permission(request, obj)
