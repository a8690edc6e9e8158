from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member
from organizations.models import Organization
from party_portal.audit import AuditedModel
from party_portal.imports import registry
from party_portal.imports.registry import SLUG_MAX_LENGTH, validate_slug


class RuleSet(models.TextChoices):
    QD132 = "132-QD/TW", _("Regulation 132-QĐ/TW (guidance 21-HD/BTCTW)")
    QD124 = "124-QD/TW", _("Regulation 124-QĐ/TW (guidance 25-HD/BTCTW)")
    QD366 = "366-QD/TW", _("Regulation 366-QĐ/TW (guidance 43-HD/BTCTW)")


def rule_set_for_year(year):
    """The regulation in force for a rating year (docs/counting-rules.md §5)."""
    if year <= 2022:
        return RuleSet.QD132
    if year <= 2024:
        return RuleSet.QD124
    return RuleSet.QD366


class YearState(models.TextChoices):
    OPEN = "OPEN", _("Open")
    CLOSED = "CLOSED", _("Closed")


class RatingYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    rule_set = models.CharField(_("rule set"), max_length=16, choices=RuleSet.choices)
    state = models.CharField(_("state"), max_length=8, choices=YearState.choices, default=YearState.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("rating year")
        verbose_name_plural = _("rating years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    @property
    def is_open(self):
        return self.state == YearState.OPEN


class Level(models.TextChoices):
    EXCELLENT = "EXCELLENT", _("Excellently completed tasks")
    GOOD = "GOOD", _("Well completed tasks")
    COMPLETED = "COMPLETED", _("Completed tasks")
    NOT_COMPLETED = "NOT_COMPLETED", _("Did not complete tasks")


GOOD_OR_BETTER = (Level.EXCELLENT, Level.GOOD)

# 2025 (366-QĐ/TW): the 100-point score bands of each level, as [low, high).
SCORE_BANDS = {
    Level.EXCELLENT: (90, 101),
    Level.GOOD: (70, 90),
    Level.COMPLETED: (50, 70),
    Level.NOT_COMPLETED: (0, 50),
}


class NotRatedReason(models.TextChoices):
    EXEMPT = "EXEMPT", _("Exempt from party work")
    SUSPENDED = "SUSPENDED", _("Suspended from party activities")
    NEW_MEMBER = "NEW_MEMBER", _("Admitted less than 6 months before 31/12")
    NEW_ORGANIZATION = "NEW_ORGANIZATION", _("Formed less than 6 months before 31/12")
    PENDING = "PENDING", _("Not yet rated")


_ONE_OF_LEVEL_OR_REASON = (Q(level="") & ~Q(not_rated_reason="")) | (~Q(level="") & Q(not_rated_reason=""))


class SubmissionState(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Submitted")
    APPROVED = "APPROVED", _("Approved")
    RETURNED = "RETURNED", _("Returned")


EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)


class Submission(models.Model):
    """The year's ratings of one TCCSĐ (its members and its cells), as they go up for approval."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="submissions")
    year = models.ForeignKey(RatingYear, on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(_("state"), max_length=12, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when a reopened submission's ratings were changed: "changed after approval" stays visible.
    changed_after_approval = models.BooleanField(default=False)
    # Soft-rule warnings found at the last save, listed on the approval screen.
    warnings = models.JSONField(default=list, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("ratings submission")
        verbose_name_plural = _("ratings submissions")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="submission_unique")]
        indexes = [models.Index(fields=["year", "state"], name="submission_year_state_idx")]

    def __str__(self):
        return f"{self.organization_id} {self.year_id} {self.state}"

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES


class Reopening(models.Model):
    """A recorded reopen of approved ratings: who, when, why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")

    def __str__(self):
        return f"{self.submission_id} {self.at:%d/%m/%Y}"


class YearReopening(models.Model):
    """A recorded reopen of a closed rating year: who, when, why (the year's own history shows the change)."""

    year = models.ForeignKey(RatingYear, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating year reopening")
        verbose_name_plural = _("rating year reopenings")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.year_id} {self.at:%d/%m/%Y}"


class OrganizationRating(models.Model):
    """The year's rating of a TCCSĐ (by the level above) or of a cell (by its grassroots committee)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="ratings")
    year = models.ForeignKey(RatingYear, on_delete=models.PROTECT, related_name="organization_ratings")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    not_rated_reason = models.CharField(
        _("not rated because"), max_length=16, choices=NotRatedReason.choices, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("organization rating")
        verbose_name_plural = _("organization ratings")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="org_rating_unique"),
            models.CheckConstraint(condition=_ONE_OF_LEVEL_OR_REASON, name="org_rating_level_or_reason"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)), name="org_rating_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.year_id} {self.level or self.not_rated_reason}"


class MemberRating(models.Model):
    """A member's rating for a year, given by the TCCSĐ the member belongs to on 31/12 of that year."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="ratings")
    year = models.ForeignKey(RatingYear, on_delete=models.PROTECT, related_name="member_ratings")
    # The rating TCCSĐ; T2 counts the rating where this organization sits in the tree on 31/12.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="member_ratings")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    not_rated_reason = models.CharField(
        _("not rated because"), max_length=16, choices=NotRatedReason.choices, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    # 21-HD/BTCTW (rule set 132): sick leave totalling 3 months or more in the year bars GOOD or better.
    long_sick_leave = models.BooleanField(_("sick leave of 3 months or more"), default=False)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("member rating")
        verbose_name_plural = _("member ratings")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="member_rating_unique"),
            models.CheckConstraint(condition=_ONE_OF_LEVEL_OR_REASON, name="member_rating_level_or_reason"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="member_rating_score_range",
            ),
        ]
        indexes = [models.Index(fields=["year", "organization"], name="member_rating_year_org_idx")]

    def __str__(self):
        return f"{self.member_id} {self.year_id} {self.level or self.not_rated_reason}"


class ImportState(models.TextChoices):
    CHECK_QUEUED = "CHECK_QUEUED", _("Waiting to be checked")
    CHECKING = "CHECKING", _("Being checked")
    READY = "READY", _("Checked, ready to import")
    REJECTED = "REJECTED", _("Checked, rows rejected")
    IMPORT_QUEUED = "IMPORT_QUEUED", _("Waiting to be imported")
    IMPORTING = "IMPORTING", _("Being imported")
    DONE = "DONE", _("Imported")
    FAILED = "FAILED", _("Not imported")


class ImportJob(models.Model):
    """One uploaded Excel file: its preview (a dry run), then its all-or-nothing import, with the progress of both.

    It lives in evaluations, below which no app knows rating years (a ratings file's scope); the kinds of file are
    registered by their apps (party_portal.imports.registry) and named here by their slug.
    """

    kind = models.CharField(_("kind of data"), max_length=SLUG_MAX_LENGTH, validators=[validate_slug])
    state = models.CharField(_("state"), max_length=16, choices=ImportState.choices, default=ImportState.CHECK_QUEUED)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # What the file is for, as its kind's upload form asked: an organization (a TCCSĐ, a subtree), a rating year,
    # any other values in `params` (a ratings file is for one TCCSĐ and one year).
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(RatingYear, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # Progress of the current step: a phase name and rows done out of the rows in the file.
    phase = models.CharField(max_length=16, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # Times a worker started the current step (check or import): a job that killed its worker is not retried forever.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # What the check (or the import) found: counts per outcome, the rows listed on the preview, the rejections.
    report = models.JSONField(default=dict, blank=True)

    history = HistoricalRecords(
        bases=[AuditedModel], excluded_fields=["phase", "rows_done", "rows_total", "report", "attempts"]
    )

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_job_user_idx")]

    def __str__(self):
        return f"{self.kind_label} – {self.file_name}"

    @property
    def import_kind(self):
        """The registered kind of the file (party_portal.imports.registry)."""
        return registry.get(self.kind)

    @property
    def kind_label(self):
        # A job of a kind no longer registered still shows in the user's list of uploads, under its slug.
        try:
            return self.import_kind.label
        except KeyError:
            return self.kind

    @property
    def scope(self):
        """What the importer is built with beside the actor: the organization, the year and the parameters."""
        return {"organization": self.organization, "year": self.year, **self.params}

    @property
    def is_running(self):
        return self.state in (
            ImportState.CHECK_QUEUED,
            ImportState.CHECKING,
            ImportState.IMPORT_QUEUED,
            ImportState.IMPORTING,
        )
