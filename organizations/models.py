from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from party_portal.audit import AuditedModel
from party_portal.text import NameField

from .querysets import OrganizationQuerySet, PlacementQuerySet


class OrgLevel(models.TextChoices):
    PROVINCE = "PROVINCE", _("Province")
    UPPER_GRASSROOTS = "UPPER_GRASSROOTS", _("District level")
    GRASSROOTS = "GRASSROOTS", _("Grassroots (TCCSĐ)")
    BELOW_GRASSROOTS = "BELOW_GRASSROOTS", _("Below grassroots")


class OrgKind(models.TextChoices):
    PROVINCE_COMMITTEE = "PROVINCE_COMMITTEE", _("Provincial party organization")
    DISTRICT_COMMITTEE = "DISTRICT_COMMITTEE", _("District / town / city committee")
    DIRECT_COMMITTEE = "DIRECT_COMMITTEE", _("Committee directly under the province")
    COMMUNE_COMMITTEE = "COMMUNE_COMMITTEE", _("Commune / ward committee (from 1 July 2025)")
    GRASSROOTS_COMMITTEE = "GRASSROOTS_COMMITTEE", _("Grassroots party committee")
    GRASSROOTS_CELL = "GRASSROOTS_CELL", _("Grassroots party cell")
    SUB_COMMITTEE = "SUB_COMMITTEE", _("Sub-committee")
    CELL = "CELL", _("Party cell")
    GROUP = "GROUP", _("Party group")


LEVEL_OF_KIND = {
    OrgKind.PROVINCE_COMMITTEE: OrgLevel.PROVINCE,
    OrgKind.DISTRICT_COMMITTEE: OrgLevel.UPPER_GRASSROOTS,
    OrgKind.DIRECT_COMMITTEE: OrgLevel.UPPER_GRASSROOTS,
    OrgKind.COMMUNE_COMMITTEE: OrgLevel.UPPER_GRASSROOTS,
    OrgKind.GRASSROOTS_COMMITTEE: OrgLevel.GRASSROOTS,
    OrgKind.GRASSROOTS_CELL: OrgLevel.GRASSROOTS,
    OrgKind.SUB_COMMITTEE: OrgLevel.BELOW_GRASSROOTS,
    OrgKind.CELL: OrgLevel.BELOW_GRASSROOTS,
    OrgKind.GROUP: OrgLevel.BELOW_GRASSROOTS,
}
GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)


class OrgType(models.TextChoices):
    """Loại hình of a TCCSĐ: the rows of the statistics form Biểu 5-BTCTW."""

    COMMUNE = "COMMUNE", _("Commune")
    WARD = "WARD", _("Ward")
    TOWNSHIP = "TOWNSHIP", _("Township")
    PARTY_MASS_AGENCY = "PARTY_MASS_AGENCY", _("Party, Fatherland Front and mass organization agency")
    STATE_AGENCY = "STATE_AGENCY", _("State agency")
    PUBLIC_SERVICE_UNIT = "PUBLIC_SERVICE_UNIT", _("Public service unit")
    NON_PUBLIC_SERVICE_UNIT = "NON_PUBLIC_SERVICE_UNIT", _("Non-public service unit")
    ARMY = "ARMY", _("Army")
    POLICE = "POLICE", _("Police")
    STATE_ENTERPRISE = "STATE_ENTERPRISE", _("State-owned enterprise")
    PRIVATE_ENTERPRISE = "PRIVATE_ENTERPRISE", _("Non-state enterprise")
    FOREIGN_INVESTED_ENTERPRISE = "FOREIGN_INVESTED_ENTERPRISE", _("Foreign-invested enterprise")
    COOPERATIVE = "COOPERATIVE", _("Cooperative")
    OVERSEAS = "OVERSEAS", _("Overseas")
    OTHER = "OTHER", _("Other")


class Organization(models.Model):
    """A party organization. Its place in the tree over time is kept in Placement rows."""

    code = models.CharField(_("code"), max_length=32)
    name = NameField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    level = models.CharField(_("level"), max_length=32, choices=OrgLevel.choices)
    org_type = models.CharField(_("type (loại hình)"), max_length=32, choices=OrgType.choices, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor_of = models.ForeignKey(
        "self",
        verbose_name=_("successor of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )

    history = HistoricalRecords(bases=[AuditedModel])
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="org_dates_ordered",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                name="org_code_unique_per_start",
                violation_error_message=_("An organization with this code already starts on this date."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_to__isnull=True),
                name="org_code_unique_current",
                violation_error_message=_("An organization with this code is already in force."),
            ),
            models.CheckConstraint(
                condition=~Q(successor_of=F("id")),
                name="org_not_own_successor",
            ),
            models.CheckConstraint(
                condition=(Q(level=OrgLevel.GRASSROOTS) & ~Q(org_type=""))
                | (~Q(level=OrgLevel.GRASSROOTS) & Q(org_type="")),
                name="org_type_iff_grassroots",
                violation_error_message=_("A grassroots organization needs a type; other levels have none."),
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def is_grassroots(self):
        return self.kind in GRASSROOTS_KINDS

    def valid_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class Placement(models.Model):
    """Where an organization sits in the tree for a period: parent and materialized path of ids."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="placements")
    parent = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_placements",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # "/1/15/230/": ids of the ancestors and of the node itself, as of this period.
    path = models.CharField(max_length=255)
    depth = models.PositiveSmallIntegerField()

    history = HistoricalRecords(bases=[AuditedModel])
    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("tree placement")
        verbose_name_plural = _("tree placements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="placement_dates_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=F("organization")), name="placement_not_own_parent"),
            models.UniqueConstraint(fields=["organization", "valid_from"], name="placement_unique_start"),
        ]
        indexes = [
            models.Index(fields=["path"], name="placement_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "valid_from"], name="placement_parent_idx"),
        ]

    def __str__(self):
        return f"{self.organization_id} @ {self.path} [{self.valid_from}–{self.valid_to or ''}]"

    @property
    def ancestor_ids(self):
        return [int(part) for part in self.path.strip("/").split("/")[:-1]]


class ReorganizationKind(models.TextChoices):
    MERGE = "MERGE", _("Merge")
    SPLIT = "SPLIT", _("Split")
    MOVE = "MOVE", _("Move")
    RENAME = "RENAME", _("Rename")
    DISSOLVE = "DISSOLVE", _("Dissolve")


class Reorganization(models.Model):
    """One change to the tree, effective on a date under a decision; never deleted, undone by another one."""

    kind = models.CharField(_("kind of reorganization"), max_length=16, choices=ReorganizationKind.choices)
    effective_on = models.DateField(_("effective date"))
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The unit moved, renamed or dissolved; merges and splits name theirs in the successor links.
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reorganizations",
    )
    new_parent = models.ForeignKey(
        Organization,
        verbose_name=_("new parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    old_name = models.CharField(_("old name"), max_length=255, blank=True)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    members_moved = models.PositiveIntegerField(_("members moved"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("reorganization")
        verbose_name_plural = _("reorganizations")
        ordering = ["-effective_on", "-pk"]
        indexes = [models.Index(fields=["effective_on"], name="reorg_effective_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"


class SuccessorLink(models.Model):
    """Predecessor → successor through one reorganization: a merge has several predecessors, a split several
    successors."""

    reorganization = models.ForeignKey(Reorganization, on_delete=models.PROTECT, related_name="links")
    predecessor = models.ForeignKey(
        Organization, verbose_name=_("predecessor"), on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Organization, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="predecessor_links"
    )
    members_moved = models.PositiveIntegerField(_("members moved"), default=0)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("successor link")
        verbose_name_plural = _("successor links")
        constraints = [
            models.UniqueConstraint(fields=["reorganization", "predecessor", "successor"], name="link_unique"),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="link_not_own_successor"),
        ]

    def __str__(self):
        return f"{self.predecessor_id} → {self.successor_id}"


class RoleKind(models.TextChoices):
    BOARD = "BOARD", _("Provincial Organization Board")
    STEERING = "STEERING", _("Steering Committee")
    DISTRICT_CADRE = "DISTRICT_CADRE", _("District-level cadre")
    GRASSROOTS_CADRE = "GRASSROOTS_CADRE", _("Grassroots cadre")


WRITE_ROLES = (RoleKind.BOARD, RoleKind.DISTRICT_CADRE, RoleKind.GRASSROOTS_CADRE)


class Role(models.Model):
    """A user's role on an organization: it reaches the organization's whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_roles")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=32, choices=RoleKind.choices)
    # Empty start: held since before the portal kept dates. Empty end: held until further notice.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "kind"], name="role_unique"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="role_dates_ordered",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()} – {self.organization.code}"

    def is_live_on(self, day):
        """Whether the role is in force on `day`: its own dates and its organization's both cover the day.
        Outside them the role is read-only history (organizations.scoping)."""
        return (
            (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or self.valid_to >= day)
            and self.organization.valid_on(day)
        )
