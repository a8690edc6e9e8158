import functools
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization
from party_portal.audit import AuditedModel
from party_portal.text import NameField


class Comparator(models.TextChoices):
    GT = ">", ">"
    GE = ">=", "≥"
    LT = "<", "<"
    LE = "<=", "≤"


class EvaluationMode(models.TextChoices):
    EACH_YEAR = "EACH_YEAR", _("Every year")
    PROGRAM_MEAN = "PROGRAM_MEAN", _("Mean over the program years")
    BY_DEADLINE = "BY_DEADLINE", _("By a deadline year")


class Unit(models.TextChoices):
    PERCENT = "PERCENT", _("Percentage")
    COUNT = "COUNT", _("Count")
    PER_MILLE = "PER_MILLE", _("Per thousand")


# How many per hundred or per thousand a ratio of each unit is written in; a count is written as it is.
UNIT_SCALES = {Unit.PERCENT: 100, Unit.PER_MILLE: 1000}
UNIT_SYMBOLS = {Unit.PERCENT: "%", Unit.PER_MILLE: "‰", Unit.COUNT: ""}


class DefinitionKind(models.TextChoices):
    TARGET = "TARGET", _("Program target")
    TRACKED = "TRACKED", _("Tracked figure")


class IndicatorDefinition(models.Model):
    """An indicator as data: numerator and denominator are measures named in the registry (indicators.measures).

    A program target is judged against the program's `Target` row of the same code (comparator, threshold,
    overrides); a tracked figure against its own comparator and threshold, or not at all without one."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    short_name_vi = models.CharField(_("short name (Vietnamese)"), max_length=120, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=120, blank=True)
    numerator = models.CharField(_("numerator measure"), max_length=64)
    denominator = models.CharField(_("denominator measure"), max_length=64, blank=True)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices, blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=9, decimal_places=3, null=True, blank=True)
    mode = models.CharField(
        _("evaluation mode"), max_length=16, choices=EvaluationMode.choices, default=EvaluationMode.EACH_YEAR
    )
    deadline_year = models.PositiveSmallIntegerField(_("deadline year"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.PERCENT)
    kind = models.CharField(_("kind"), max_length=8, choices=DefinitionKind.choices, default=DefinitionKind.TRACKED)
    group = models.CharField(_("group"), max_length=32, default="program")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")
        ordering = ["group", "order", "code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def name(self):
        return self.name_en if get_language() == "en" and self.name_en else self.name_vi

    @property
    def short_name(self):
        short = self.short_name_en if get_language() == "en" else self.short_name_vi
        return short or self.name

    @property
    def is_target(self):
        return self.kind == DefinitionKind.TARGET


NOT_A_TARGET = _("%(code)s is not the code of a program target among the indicator definitions.")


def validate_target_code(code):
    """A target's indicator names an active program-target definition (checked by the admin's full_clean)."""
    if not IndicatorDefinition.objects.filter(code=code, kind=DefinitionKind.TARGET, active=True).exists():
        raise ValidationError(NOT_A_TARGET, code="not_a_target", params={"code": code})


class Program(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = NameField(_("name"), max_length=500)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(condition=Q(last_year__gte=models.F("first_year")), name="program_years_ordered")
        ]

    def __str__(self):
        return self.code

    @property
    def years(self):
        return list(range(self.first_year, self.last_year + 1))


class Target(models.Model):
    """A target of a program: `ratio <comparator> threshold %`, judged each year, on the mean, or at a deadline."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="targets", verbose_name=_("program"))
    # The code of a program-target definition (IndicatorDefinition): the Board adds a target as rows, not code.
    indicator = models.CharField(_("indicator"), max_length=16, validators=[validate_target_code])
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    threshold = models.DecimalField(_("threshold (%)"), max_digits=6, decimal_places=3)
    mode = models.CharField(_("evaluation mode"), max_length=16, choices=EvaluationMode.choices)
    deadline_year = models.PositiveSmallIntegerField(_("deadline year"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["program", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["program", "indicator"], name="target_unique"),
            models.CheckConstraint(
                condition=~Q(mode=EvaluationMode.BY_DEADLINE) | Q(deadline_year__isnull=False),
                name="target_deadline_needs_year",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.comparator} {self.threshold} %"

    @property
    def definition(self):
        """The indicator definition of this target's code (one read; the lists attach it beforehand)."""
        if not hasattr(self, "_definition"):
            self._definition = IndicatorDefinition.objects.filter(code=self.indicator).first()
        return self._definition

    @property
    def indicator_name(self):
        """The definition's name in the active language (the code alone when no definition carries it)."""
        definition = self.definition
        return definition.name if definition else self.indicator


class TargetOverride(models.Model):
    """A threshold set for one node (e.g. a district's admissions quota); its subtree uses it instead."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("target"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="target_overrides", verbose_name=_("organization")
    )
    threshold = models.DecimalField(_("threshold (%)"), max_digits=6, decimal_places=3)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("target override")
        verbose_name_plural = _("target overrides")
        constraints = [models.UniqueConstraint(fields=["target", "organization"], name="target_override_unique")]

    def __str__(self):
        return f"{self.target} @ {self.organization_id}: {self.threshold}"


# Remembered: a province's dashboard judges some thousand figures against a handful of thresholds.
@functools.lru_cache(maxsize=256)
def threshold_fraction(threshold, per=100):
    """A percentage threshold (per thousand with per=1000) as an exact (numerator, denominator) pair:
    0.3 % → (3, 1000), 0.3 ‰ → (3, 10000)."""
    value = Decimal(threshold).normalize()
    _sign, digits, exponent = value.as_tuple()
    numerator = int("".join(map(str, digits))) if digits else 0
    scale = per * 10 ** max(0, -exponent)
    numerator *= 10 ** max(0, exponent)
    return numerator, scale


class IndicatorSnapshot(models.Model):
    """Precomputed counts of one node for one year (tree as of 31/12), read by dashboards.

    `counts` holds the rolled-up counts of every registered source, which every definition is built from (keys
    t1_*, t2_*, t3_*, t4_*, cell_*, and those of the tracked sources: removed_*, rolls_start, disciplined_*,
    rolls_end, theory_qualified, non_state_tccsd, admitted_*, commune_secretary_*, cell_secretary_*,
    meetings_*, attendance_cells, cells_total); `by_type` the same per TCCSĐ type within the node's subtree.
    Rebuilt whole per year.
    """

    year = models.PositiveSmallIntegerField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    counts = models.JSONField(default=dict)
    by_type = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        constraints = [models.UniqueConstraint(fields=["year", "organization"], name="snapshot_unique")]

    def __str__(self):
        return f"{self.year} {self.organization_id}"


class SnapshotRun(models.Model):
    """One fanned-out refresh of a year's snapshot (indicators.fanout): the partition tasks stage their rows
    under it and the last step moves them into IndicatorSnapshot in one transaction, then deletes the run —
    so readers never see a half-refreshed year, and a repeated last step finds no run and does nothing."""

    year = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()

    class Meta:
        verbose_name = _("snapshot refresh run")
        verbose_name_plural = _("snapshot refresh runs")

    def __str__(self):
        return f"{self.year} #{self.pk}"


class StagedSnapshot(models.Model):
    """A snapshot row computed by one partition of a run, not yet visible to readers. `partition` is the
    organization at the top of the partition's subtree: a repeated partition task replaces its own rows."""

    run = models.ForeignKey(SnapshotRun, on_delete=models.CASCADE, related_name="+")
    partition = models.IntegerField()
    # A plain id: the rows are copied into IndicatorSnapshot, whose foreign key checks it.
    organization_id = models.IntegerField()
    counts = models.JSONField(default=dict)
    by_type = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("staged snapshot")
        verbose_name_plural = _("staged snapshots")
        indexes = [models.Index(fields=["run", "partition"], name="staged_snapshot_partition")]

    def __str__(self):
        return f"{self.run_id} {self.organization_id}"
