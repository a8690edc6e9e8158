from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Program
from organizations.models import Organization
from party_portal.audit import AuditedModel


class RunStatus(models.TextChoices):
    QUEUED = "QUEUED", _("Queued")
    RUNNING = "RUNNING", _("Running")
    DONE = "DONE", _("Done")
    FAILED = "FAILED", _("Failed")


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


def workbook_path(run, filename):
    # One folder per run, so a finished run can sweep away what a killed attempt left behind.
    return f"reports/run-{run.pk}/{filename}"


class ReportRun(models.Model):
    """The compliance report of one (program, year, scope): computed by a Celery job, stored with its
    results and workbook. Re-running it recomputes the same row and swaps the results in at the end."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.ForeignKey(Organization, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="report_runs"
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written with every progress step: a running run whose heartbeat stops has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # compliance(...).as_dict() plus the trend and the lists (docs/compliance-json.md, reports/services.py).
    results = models.JSONField(_("results"), null=True, blank=True)
    workbook = models.FileField(_("workbook"), upload_to=workbook_path, blank=True, max_length=255)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    # The results are derived data (a re-run recomputes them) and progress changes every second:
    # the audit trail keeps who asked, the state changes and the file, not copies of those.
    history = HistoricalRecords(bases=[AuditedModel], excluded_fields=["results", "progress", "step", "heartbeat_at"])

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year", "scope"], name="report_run_unique"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_run_progress_range"),
            # A run is done only with its results and its workbook: what a killed worker cannot leave behind.
            models.CheckConstraint(
                condition=~Q(status=RunStatus.DONE) | (Q(results__isnull=False) & ~Q(workbook="")),
                name="report_run_done_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="report_run_status_idx")]

    def __str__(self):
        return f"{self.program_id} {self.year} {self.scope_id} {self.status}"

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES
