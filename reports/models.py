from django.conf import settings
from django.core.exceptions import ValidationError
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
ISSUED_IS_FINAL = _("An issued report is final: it cannot be changed or deleted; make a new version instead.")


def issued_constraints(prefix):
    """The rules of a report version that can be issued: its number is unique in the year of issue, and issued means
    done, numbered and dated (a draft has none of these)."""
    return [
        models.UniqueConstraint(
            fields=["number_year", "number_seq"],
            condition=Q(number_seq__isnull=False),
            name=f"{prefix}_number_unique",
        ),
        models.CheckConstraint(
            condition=(
                Q(issued_at__isnull=True, number_seq__isnull=True, number_year__isnull=True, number="")
                | (
                    Q(status=RunStatus.DONE, number_seq__isnull=False, number_year__isnull=False)
                    & Q(issued_at__isnull=False)
                    & ~Q(number="")
                )
            ),
            name=f"{prefix}_issued_is_numbered",
        ),
    ]


def workbook_path(run, filename):
    # One folder per run, so a finished run can sweep away what a killed attempt left behind.
    return f"reports/run-{run.pk}/{filename}"


class IssuedQuerySet(models.QuerySet):
    def delete(self):
        # A bulk delete bypasses the model's delete(): an issued version is refused here too.
        if self.filter(issued_at__isnull=False).exists():
            raise ValidationError(ISSUED_IS_FINAL, code="issued")
        return super().delete()


class IssuedIsFinal(models.Model):
    """A report version that can be issued under a number: queued → running → done (or failed), and once issued
    final. Every door (service, page, API, admin, shell) saves and deletes through here."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_issued()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_issued()
        return super().delete(*args, **kwargs)

    def _refuse_if_issued(self):
        if self.pk is not None and type(self).objects.filter(pk=self.pk, issued_at__isnull=False).exists():
            raise ValidationError(ISSUED_IS_FINAL, code="issued")

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def is_issued(self):
        return self.issued_at is not None


class ReportRun(IssuedIsFinal):
    """One version of the compliance report of a (program, year, scope): computed by a Celery job, stored with
    its requester, parameters, results and workbook. A re-run is a new version; the earlier ones stay. An issued
    version carries its number (a per-year sequence) and never changes again."""

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
    # 1, 2, … per (program, year, scope): each request is a version of its own.
    version = models.PositiveSmallIntegerField(_("version"))
    # Issuing: a number in the sequence of the year of issue ("12-BC/BTCTU"), then the row is final.
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    number_year = models.PositiveSmallIntegerField(_("year of the number"), null=True, blank=True)
    number_seq = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)

    objects = IssuedQuerySet.as_manager()

    # The results are derived data (a re-run recomputes them) and progress changes every second:
    # the audit trail keeps who asked, the state changes and the file, not copies of those.
    history = HistoricalRecords(bases=[AuditedModel], excluded_fields=["results", "progress", "step", "heartbeat_at"])

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year", "scope", "version"], name="report_run_version_unique"),
            # One computation at a time per report: a request while one is queued or running joins it.
            models.UniqueConstraint(
                fields=["program", "year", "scope"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="report_run_one_active",
            ),
            *issued_constraints("report_run"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_run_progress_range"),
            # A run is done only with its results and its workbook: what a killed worker cannot leave behind.
            models.CheckConstraint(
                condition=~Q(status=RunStatus.DONE) | (Q(results__isnull=False) & ~Q(workbook="")),
                name="report_run_done_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="report_run_status_idx")]

    def __str__(self):
        return f"{self.program_id} {self.year} {self.scope_id} v{self.version} {self.number or self.status}"

    @property
    def download_name(self):
        stem = f"bao-cao-{self.year}-{self.scope.code}"
        if self.is_issued:
            return f"{stem}-so-{self.number_seq}-{self.number_year}.xlsx"
        return f"{stem}-v{self.version}.xlsx"

    @property
    def parameters(self):
        """What the version was asked for (the rest of its record is its requester, times and workbook)."""
        return {"program": self.program.code, "year": self.year, "scope": self.scope.code}


def register_path(job, filename):
    return f"reports/register-{job.pk}/{filename}"


class RegisterJob(models.Model):
    """A member register (danh sách đảng viên) too large to build during a page request, built by a Celery job
    and stored with who asked for it; its file is read by whoever may read the scope (reports.register_jobs)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    workbook = models.FileField(_("workbook"), upload_to=register_path, blank=True, max_length=255)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("member register job")
        verbose_name_plural = _("member register jobs")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RunStatus.DONE) | ~Q(workbook=""), name="register_job_done_has_file"
            ),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.period_end:%d/%m/%Y} {self.status}"


def consolidated_path(report, filename):
    return f"reports/consolidated-{report.pk}/{filename}"


class ConsolidatedReport(IssuedIsFinal):
    """One version of the province's consolidated report to the Standing Committee for a program year (báo cáo
    tổng hợp): a Word document in the Party's layout built by a Celery job from `content` (everything it says),
    with the province's compliance report of the year as its annex. Issued, it takes the next number of the
    "…-BC/BTCTU" sequence that report runs share, and never changes again."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    # The province whose report it is (the root of the tree on 31/12 of the year): only its readers see it.
    province = models.ForeignKey(Organization, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    # 1, 2, … per (program, year, province): each request is a version of its own.
    version = models.PositiveSmallIntegerField(_("version"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The province's compliance report of the year (its workbook is the annex); its figures are the document's.
    annex = models.ForeignKey(
        ReportRun, verbose_name=_("annex (compliance report)"), on_delete=models.PROTECT, related_name="+"
    )
    # Everything the document says (reports/consolidated.py): rebuilding the .docx from it gives the same text.
    content = models.JSONField(_("content"), null=True, blank=True)
    document = models.FileField(_("document (.docx)"), upload_to=consolidated_path, blank=True, max_length=255)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    number_year = models.PositiveSmallIntegerField(_("year of the number"), null=True, blank=True)
    number_seq = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)

    objects = IssuedQuerySet.as_manager()

    history = HistoricalRecords(bases=[AuditedModel], excluded_fields=["content"])

    class Meta:
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "province", "version"], name="consolidated_version_unique"
            ),
            models.UniqueConstraint(
                fields=["program", "year", "province"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="consolidated_one_active",
            ),
            *issued_constraints("consolidated"),
            models.CheckConstraint(
                condition=~Q(status=RunStatus.DONE) | (Q(content__isnull=False) & ~Q(document="")),
                name="consolidated_done_is_complete",
            ),
        ]

    def __str__(self):
        return f"{self.program_id} {self.year} v{self.version} {self.number or self.status}"

    @property
    def download_name(self):
        if self.is_issued:
            return f"bao-cao-tong-hop-{self.year}-so-{self.number_seq}-{self.number_year}.docx"
        return f"bao-cao-tong-hop-{self.year}-v{self.version}.docx"


class ComparableReview(models.Model):
    """The comparable figures of a final or mid-term review for a (scope, span), computed by a Celery job (seconds
    on a province) and read by the review page and its workbook. `stamp` holds what the figures were computed
    against — the targets' version and the snapshot time of each year of the span — so a refresh or a changed
    target asks for a new row; the figures are made from `counts` when read (indicators.selectors.series)."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="+")
    scope = models.ForeignKey(Organization, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="+")
    first = models.PositiveSmallIntegerField(_("from year"))
    last = models.PositiveSmallIntegerField(_("to year"))
    stamp = models.CharField(max_length=255)
    # The job computes as this user: the page shows the row only to readers who may read the scope too.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # indicators.selectors.series.comparable_counts: per unit its counts of every year and the TCCSĐ traced into it.
    counts = models.JSONField(_("counts"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("comparable review")
        verbose_name_plural = _("comparable reviews")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One computation per scope, span and state of the data: a reload joins it instead of queuing another.
            models.UniqueConstraint(
                fields=["program", "scope", "first", "last", "stamp"], name="comparable_review_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status=RunStatus.DONE) | Q(counts__isnull=False), name="comparable_review_done_has_counts"
            ),
        ]

    def __str__(self):
        return f"{self.scope_id} {self.first}–{self.last} {self.status}"
