from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization
from party_portal.audit import AuditedModel
from party_portal.text import NameField

from .record_models import Code, CodeList, GovernmentPost, MeetingAttendance, code_field

__all__ = ["Code", "CodeList", "GovernmentPost", "MeetingAttendance"]

CARD_NUMBER_RE = r"^[0-9]{8}$"
CITIZEN_ID_RE = r"^[0-9]{12}$"
RECORD_NUMBER_RE = r"^[0-9]{6}[A-Z]{1,3}$"


def official_day(admission_date):
    """The day a member admitted on `admission_date` becomes official: probation lasts 12 months (Party Charter,
    art. 5)."""
    try:
        return admission_date.replace(year=admission_date.year + 1)
    except ValueError:  # admitted on 29 February
        return admission_date.replace(year=admission_date.year + 1, day=28)


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


# A member's coded records: foreign keys to members.Code (docs/decisions.md lists the codes).
CODED_FIELDS = (
    "ethnicity_code",
    "religion_code",
    "general_education",
    "qualification",
    "occupation_at_admission",
    "occupation_now",
)
# The member's fields whose indexes its audit table does without (see Member.history).
HISTORY_UNINDEXED = ["name_folded", "record_number", *CODED_FIELDS]


class Member(models.Model):
    """A party member's identity. Membership over time is derived from MovementEvent rows."""

    full_name = NameField(_("full name"), max_length=128)
    name_folded = models.CharField(max_length=128, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"))
    ethnicity = NameField(_("ethnicity"), max_length=64, default="Kinh")
    religion = NameField(_("religion"), max_length=64, blank=True)
    record_number = models.CharField(_("party record number"), max_length=9, unique=True)
    card_number = models.CharField(_("party card number"), max_length=8, null=True, blank=True)
    citizen_id = models.CharField(_("citizen ID (CCCD)"), max_length=12, null=True, blank=True)
    # Date of the latest admission (or re-admission) ceremony; T3 counts admissions by its year.
    admission_date = models.DateField(_("admission date"))
    # Coded records counted by the program's tracked figures (docs/decisions.md lists the codes);
    # the free-text ethnicity and religion above stay as written on the record.
    ethnicity_code = code_field(CodeList.ETHNICITY, _("ethnicity (code)"))
    religion_code = code_field(CodeList.RELIGION, _("religion (code)"))
    general_education = code_field(CodeList.EDUCATION, _("general education"))
    qualification = code_field(CodeList.QUALIFICATION, _("professional qualification"))
    occupation_at_admission = code_field(CodeList.OCCUPATION, _("occupation at admission"))
    occupation_now = code_field(CodeList.OCCUPATION, _("occupation now"))
    youth_union_at_admission = models.BooleanField(_("youth union member at admission"), null=True, blank=True)

    # The audit rows are read by member (id) and in time order only: the member's own indexes on the name, the
    # record number and the six codes would be kept up by every audit row and read by nothing (on a
    # 100,000-member import they cost 1.2 of the 1.6 s its audit rows took to write, measured).
    history = HistoricalRecords(bases=[AuditedModel], no_db_index=HISTORY_UNINDEXED)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["name_folded", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["card_number"],
                condition=Q(card_number__isnull=False),
                name="member_card_unique",
                violation_error_message=_("This party card number is already used by another member."),
            ),
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=Q(citizen_id__isnull=False),
                name="member_citizen_id_unique",
                violation_error_message=_("This citizen ID is already used by another member."),
            ),
            models.CheckConstraint(
                condition=Q(card_number__isnull=True) | Q(card_number__regex=CARD_NUMBER_RE),
                name="member_card_format",
                violation_error_message=_("A party card number has exactly 8 digits."),
            ),
            models.CheckConstraint(
                condition=Q(citizen_id__isnull=True) | Q(citizen_id__regex=CITIZEN_ID_RE),
                name="member_citizen_id_format",
                violation_error_message=_("A citizen ID has exactly 12 digits."),
            ),
            models.CheckConstraint(
                condition=Q(record_number__regex=RECORD_NUMBER_RE),
                name="member_record_number_format",
                violation_error_message=_("A party record number is 6 digits followed by a 1–3 letter province code."),
            ),
            models.CheckConstraint(
                condition=Q(admission_date__gt=F("date_of_birth")),
                name="member_admitted_after_birth",
                violation_error_message=_("The admission date must be after the date of birth."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.record_number})"

    @property
    def official_from(self):
        """Probation lasts 12 months from admission (Party Charter, art. 5)."""
        return official_day(self.admission_date)

    def is_official_on(self, day):
        return day >= self.official_from


class MovementKind(models.TextChoices):
    ADMITTED = "ADMITTED", _("Admitted")
    READMITTED = "READMITTED", _("Re-admitted")
    TRANSFER_IN = "TRANSFER_IN", _("Transferred in")
    RESTORED = "RESTORED", _("Membership restored")
    TRANSFER_OUT = "TRANSFER_OUT", _("Transferred out")
    DECEASED = "DECEASED", _("Deceased")
    EXPELLED = "EXPELLED", _("Expelled")
    STRUCK_OFF = "STRUCK_OFF", _("Struck off")
    WITHDRAWN = "WITHDRAWN", _("Withdrew from the Party")


INCREASE_KINDS = (MovementKind.ADMITTED, MovementKind.READMITTED, MovementKind.TRANSFER_IN, MovementKind.RESTORED)
DECREASE_KINDS = (
    MovementKind.TRANSFER_OUT,
    MovementKind.DECEASED,
    MovementKind.EXPELLED,
    MovementKind.STRUCK_OFF,
    MovementKind.WITHDRAWN,
)
ADMISSION_KINDS = (MovementKind.ADMITTED, MovementKind.READMITTED)


class TransferScope(models.TextChoices):
    WITHIN_PROVINCE = "WITHIN", _("Within the province")
    OUTSIDE_PROVINCE = "OUTSIDE", _("To or from outside the province")


class MovementEvent(models.Model):
    """A dated change to the rolls (form Biểu 1-BTCTW): an increase or a decrease at an organization."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("movement"), max_length=16, choices=MovementKind.choices)
    date = models.DateField(_("date"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="movement_events")
    transfer_scope = models.CharField(
        _("transfer scope"),
        max_length=8,
        choices=TransferScope.choices,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["member", "date", "id"]
        indexes = [
            models.Index(fields=["member", "date"], name="event_member_date_idx"),
            models.Index(fields=["kind", "date"], name="event_kind_date_idx"),
            models.Index(fields=["organization", "date"], name="event_org_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[MovementKind.TRANSFER_IN, MovementKind.TRANSFER_OUT]) | Q(transfer_scope=""),
                name="event_transfer_scope_only_on_transfers",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    @property
    def is_increase(self):
        return self.kind in INCREASE_KINDS


class Membership(models.Model):
    """A stint on the rolls of one organization, derived from the movement events (never edited by hand).

    On the rolls on day D when start <= D and (end is null or end > D): a member who leaves on D is
    no longer counted on D.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="membership_dates_ordered",
            ),
            models.UniqueConstraint(fields=["member", "start"], name="membership_unique_start"),
        ]
        indexes = [
            models.Index(fields=["organization", "start", "end"], name="membership_org_idx"),
        ]

    def __str__(self):
        return f"{self.member_id} @ {self.organization_id} [{self.start}–{self.end or ''})"


class StatusKind(models.TextChoices):
    EXEMPT = "EXEMPT", _("Exempt from party work and activities")
    SUSPENDED = "SUSPENDED", _("Suspended from party activities")
    TEMPORARY_ELSEWHERE = "TEMPORARY_ELSEWHERE", _("Temporarily active elsewhere")


class StatusPeriod(models.Model):
    """A period in which a member is exempt, suspended or temporarily active at another cell."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_periods")
    kind = models.CharField(_("status"), max_length=24, choices=StatusKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    host_organization = models.ForeignKey(
        Organization,
        verbose_name=_("host organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("status period")
        verbose_name_plural = _("status periods")
        ordering = ["member", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="status_dates_ordered",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start:%d/%m/%Y}"


class TheoryLevel(models.IntegerChoices):
    NONE = 0, _("None")
    ELEMENTARY = 1, _("Elementary")
    INTERMEDIATE = 2, _("Intermediate")
    ADVANCED = 3, _("Advanced")
    BACHELOR = 4, _("Bachelor")


class TheoryQualification(models.Model):
    """A political theory level obtained on a date; the highest held on a date counts."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="theory_levels")
    level = models.PositiveSmallIntegerField(_("political theory level"), choices=TheoryLevel.choices)
    obtained_on = models.DateField(_("obtained on"))

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("political theory level")
        verbose_name_plural = _("political theory levels")
        ordering = ["member", "obtained_on"]
        constraints = [
            models.UniqueConstraint(fields=["member", "level"], name="theory_level_once"),
            models.CheckConstraint(condition=Q(level__gte=0) & Q(level__lte=4), name="theory_level_range"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.obtained_on:%d/%m/%Y}"


class DisciplineKind(models.TextChoices):
    REPRIMAND = "REPRIMAND", _("Reprimand")
    WARNING = "WARNING", _("Warning")
    REMOVAL = "REMOVAL", _("Removal from office")
    EXPULSION = "EXPULSION", _("Expulsion")


PROBATIONARY_DISCIPLINE = (DisciplineKind.REPRIMAND, DisciplineKind.WARNING)


class Discipline(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="disciplines")
    kind = models.CharField(_("discipline"), max_length=16, choices=DisciplineKind.choices)
    decided_on = models.DateField(_("decided on"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["member", "decided_on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.decided_on:%d/%m/%Y}"


class SeatRole(models.TextChoices):
    SECRETARY = "SECRETARY", _("Secretary")
    DEPUTY_SECRETARY = "DEPUTY_SECRETARY", _("Deputy secretary")
    STANDING_MEMBER = "STANDING_MEMBER", _("Standing committee member")
    MEMBER = "MEMBER", _("Committee member")


class CommitteeSeat(models.Model):
    """A seat on the committee of an organization for a term."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="committee_seats")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="committee_seats")
    role = models.CharField(_("role"), max_length=20, choices=SeatRole.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    history = HistoricalRecords(bases=[AuditedModel])

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["organization", "role", "start"]
        indexes = [models.Index(fields=["organization", "start", "end"], name="seat_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="seat_dates_ordered",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} – {self.organization_id}"
