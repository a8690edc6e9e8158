"""Coded lists and the records the program's commitments are counted from: posts held and meeting attendance."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization
from party_portal.audit import AuditedModel
from party_portal.text import NameField


class CodeList(models.TextChoices):
    ETHNICITY = "ethnicity", _("Ethnicity")
    RELIGION = "religion", _("Religion")
    EDUCATION = "education", _("General education")
    QUALIFICATION = "qualification", _("Professional qualification")
    OCCUPATION = "occupation", _("Occupation / sector")
    POST = "post", _("Government or community post")


CODE_RE = r"^[A-Z0-9_]{1,16}$"


class Code(models.Model):
    """One value of a coded list; the Board adds, renames and deactivates codes, a used code is never deleted."""

    list = models.CharField(_("list"), max_length=16, choices=CodeList.choices)
    code = models.CharField(_("code"), max_length=16)
    name = NameField(_("name"), max_length=128)
    name_en = models.CharField(_("name (English)"), max_length=128, blank=True)
    # Groups codes that a measure counts together (e.g. every ethnic minority, every degree of a "trí thức").
    group = models.CharField(_("group"), max_length=32, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["list", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["list", "code"],
                name="code_unique_in_list",
                violation_error_message=_("This code is already used in the list."),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_RE),
                name="code_format",
                violation_error_message=_("A code is 1–16 capital letters, digits or underscores."),
            ),
        ]

    def __str__(self):
        return self.name


def code_field(code_list, verbose_name):
    """A member's optional reference to a code of one list."""
    return models.ForeignKey(
        Code,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": code_list},
    )


class GovernmentPost(models.Model):
    """A government or community post a member holds for a period (commune council chair, village head…)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="government_posts")
    kind = models.ForeignKey(
        Code,
        verbose_name=_("post"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": CodeList.POST},
    )
    # The party organization whose commune, village or residential group the post serves.
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="government_posts"
    )
    place = NameField(_("commune, village or residential group"), max_length=128, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("government or community post")
        verbose_name_plural = _("government or community posts")
        ordering = ["member", "start", "id"]
        indexes = [models.Index(fields=["organization", "start", "end"], name="govpost_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="govpost_dates_ordered",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["member", "kind", "start"],
                name="govpost_unique_start",
                violation_error_message=_("This post is already recorded for the member from this date."),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.start:%d/%m/%Y}"


class MeetingAttendance(models.Model):
    """How many of a cell's meetings in a quarter one committee member assigned to it attended."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="meeting_attendance"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("committee member"),
        on_delete=models.CASCADE,
        related_name="meeting_attendance",
    )
    meetings_held = models.PositiveSmallIntegerField(_("meetings held"))
    meetings_attended = models.PositiveSmallIntegerField(_("meetings attended"))

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("attendance at cell meetings")
        verbose_name_plural = _("attendance at cell meetings")
        ordering = ["organization", "year", "quarter", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter", "member"],
                name="attendance_once_per_quarter",
                violation_error_message=_("Attendance is already recorded for this member, cell and quarter."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="attendance_quarter_range",
                violation_error_message=_("The quarter is 1, 2, 3 or 4."),
            ),
            models.CheckConstraint(
                condition=Q(meetings_attended__lte=F("meetings_held")),
                name="attendance_not_above_held",
                violation_error_message=_("A member cannot attend more meetings than were held."),
            ),
        ]

    def __str__(self):
        return f"{self.year} Q{self.quarter}: {self.meetings_attended}/{self.meetings_held}"
