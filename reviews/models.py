"""The program's reporting cycle (its §III): who reports, what each owes and by when, the implementation plans and
the yearly reviews (báo cáo sơ kết) with the figures frozen at submission."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Program
from organizations.models import Organization
from party_portal.audit import AuditedModel
from party_portal.text import NameField


class ReportingUnitKind(models.TextChoices):
    # A committee of the tree reports on its own subtree: its figures come from the records.
    COMMITTEE = "COMMITTEE", _("District-level committee")
    # The units below hold no members in the tree: they report a plan and a narrative, without figures.
    PARTY_DELEGATION = "PARTY_DELEGATION", _("Party delegation (đảng đoàn)")
    PARTY_AFFAIRS = "PARTY_AFFAIRS", _("Party affairs committee (ban cán sự đảng)")
    YOUTH_UNION = "YOUTH_UNION", _("Standing committee of the provincial Youth Union")
    PROVINCIAL_BOARD = "PROVINCIAL_BOARD", _("Board of the provincial committee")


class ReportingUnit(models.Model):
    """A unit that reports on a program: a committee of the tree (`organization`, whose subtree its figures count)
    or a unit of its own kind outside the tree. `parent` is the organization whose roles see and act for the unit:
    the committee itself, or the province for a unit outside the tree."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=32)
    name = NameField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=24, choices=ReportingUnitKind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization in the tree"),
        on_delete=models.PROTECT,
        related_name="reporting_units",
        null=True,
        blank=True,
    )
    parent = models.ForeignKey(
        Organization, verbose_name=_("reports through"), on_delete=models.PROTECT, related_name="+"
    )
    owes_plan = models.BooleanField(_("owes an implementation plan"), default=True)
    owes_reviews = models.BooleanField(_("owes yearly reviews"), default=True)
    # Reviews are owed for the program years the unit exists in (a district committee ends on 30/06/2025).
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("reporting unit")
        verbose_name_plural = _("reporting units")
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                name="reporting_unit_code_unique",
                violation_error_message=_("A reporting unit with this code already exists in the program."),
            ),
            models.UniqueConstraint(
                fields=["program", "organization"],
                condition=Q(organization__isnull=False),
                name="reporting_unit_organization_unique",
                violation_error_message=_("This organization already reports on the program."),
            ),
            # A committee is a node of the tree; the other kinds are not.
            models.CheckConstraint(
                condition=(Q(kind=ReportingUnitKind.COMMITTEE) & Q(organization__isnull=False))
                | (~Q(kind=ReportingUnitKind.COMMITTEE) & Q(organization__isnull=True)),
                name="reporting_unit_committee_iff_in_tree",
                violation_error_message=_("A committee is an organization of the tree; the other kinds are not."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="reporting_unit_dates_ordered",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def in_tree(self):
        return self.organization_id is not None


class DutyKind(models.TextChoices):
    PLAN = "PLAN", _("Implementation plan")
    REVIEW = "REVIEW", _("Yearly review")


class DueDate(models.Model):
    """When a plan or a year's review is due. A row without a unit is the program's default (for a review: the
    year's, set by the Board); a row with a unit overrides it for that unit. A plan has no year."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what is due"), max_length=8, choices=DutyKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    unit = models.ForeignKey(
        ReportingUnit,
        verbose_name=_("reporting unit"),
        on_delete=models.CASCADE,
        related_name="due_dates",
        null=True,
        blank=True,
    )
    due_on = models.DateField(_("due on"))

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("due date")
        verbose_name_plural = _("due dates")
        ordering = ["program", "kind", "year", "unit"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=DutyKind.PLAN) & Q(year__isnull=True))
                | (Q(kind=DutyKind.REVIEW) & Q(year__isnull=False)),
                name="due_date_year_iff_review",
                violation_error_message=_("A yearly review's due date names its year; a plan's does not."),
            ),
            models.UniqueConstraint(
                fields=["program", "kind", "year"],
                condition=Q(unit__isnull=True, year__isnull=False),
                name="due_date_default_review_unique",
                violation_error_message=_("This year already has a due date."),
            ),
            models.UniqueConstraint(
                fields=["program", "kind"],
                condition=Q(unit__isnull=True, year__isnull=True),
                name="due_date_default_plan_unique",
                violation_error_message=_("The plan already has a due date."),
            ),
            models.UniqueConstraint(
                fields=["program", "kind", "year", "unit"],
                condition=Q(unit__isnull=False, year__isnull=False),
                name="due_date_unit_review_unique",
                violation_error_message=_("This unit already has a due date for this year."),
            ),
            models.UniqueConstraint(
                fields=["program", "kind", "unit"],
                condition=Q(unit__isnull=False, year__isnull=True),
                name="due_date_unit_plan_unique",
                violation_error_message=_("This unit already has a due date for its plan."),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.year or ''} {self.due_on:%d/%m/%Y}"


def plan_path(plan, filename):
    return f"reviews/plans/unit-{plan.unit_id}/{filename}"


class ImplementationPlan(models.Model):
    """A plan or project (kế hoạch, đề án) a reporting unit issued to carry out the program."""

    unit = models.ForeignKey(
        ReportingUnit, verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="plans"
    )
    number = models.CharField(_("number"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title"), max_length=500)
    document = models.FileField(_("document (PDF or DOCX)"), upload_to=plan_path, max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        ordering = ["unit", "-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number", "issued_on"],
                name="plan_number_unique",
                violation_error_message=_("This unit already recorded a plan with this number and date."),
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class ReviewStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Submitted")
    RETURNED = "RETURNED", _("Returned")
    RECEIVED = "RECEIVED", _("Received")


# The sections the Party's review reports use, in their order.
SECTIONS = ("achievements", "shortcomings", "causes", "lessons", "directions", "proposals")


class YearlyReview(models.Model):
    """A reporting unit's review (báo cáo sơ kết) of one program year. The unit's figures are filled in live while
    it is a draft or returned, and frozen at submission (`figures`, with their as-of time `figures_as_of`)."""

    unit = models.ForeignKey(
        ReportingUnit, verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    achievements = models.TextField(_("results achieved"), blank=True)
    shortcomings = models.TextField(_("limitations and shortcomings"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    directions = models.TextField(_("directions and tasks"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    # Frozen at submission: the unit's figures as the review states them (the dashboard's figure dicts), and when
    # they were read. Empty for a unit outside the tree and for a draft.
    figures = models.JSONField(_("figures"), null=True, blank=True)
    figures_as_of = models.DateTimeField(_("figures as of"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received or returned by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("received or returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("yearly review")
        verbose_name_plural = _("yearly reviews")
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="review_one_per_unit_year",
                violation_error_message=_("This unit already has a review of this year."),
            ),
            # Submitted and received reviews carry who submitted and when (the first submission of a returned one).
            models.CheckConstraint(
                condition=~Q(status__in=[ReviewStatus.SUBMITTED, ReviewStatus.RECEIVED])
                | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="review_submitted_is_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReviewStatus.RETURNED, ReviewStatus.RECEIVED])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="review_decision_is_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.RETURNED) | ~Q(return_reason=""),
                name="review_returned_has_reason",
                violation_error_message=_("A returned review says why."),
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="review_year_status_idx")]

    def __str__(self):
        return f"{self.unit} {self.year} {self.status}"

    @property
    def is_editable(self):
        return self.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


def attachment_path(attachment, filename):
    return f"reviews/review-{attachment.review_id}/{filename}"


class ReviewAttachment(models.Model):
    """A file sent with a review (an annex, a signed scan): PDF, DOCX or XLSX."""

    review = models.ForeignKey(
        YearlyReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("review attachment")
        verbose_name_plural = _("review attachments")
        ordering = ["review", "uploaded_at", "pk"]

    def __str__(self):
        return self.name
