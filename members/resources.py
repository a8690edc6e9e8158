"""django-import-export resource for the members file: identity, admission data and political theory level."""

from datetime import date

from django.utils.translation import gettext_lazy as _
from import_export import resources

from organizations.models import Organization
from organizations.resources import (
    YES,
    ChoiceWidget,
    Column,
    DayWidget,
    TextWidget,
    YesNoUnknownWidget,
    field_length,
    serial_column,
)

from .models import ADMISSION_KINDS, CODED_FIELDS, Code, CodeList, Gender, Member, MovementKind, TheoryLevel

CODED_HELP = _("The code or the name of an active entry of the coded list; empty keeps what the portal has.")


class AdmissionWidget(ChoiceWidget):
    """Only “Kết nạp” or “Kết nạp lại” (both count for T3); other movements are recorded on the member's page."""

    def __init__(self):
        super().__init__(MovementKind)

    def labels(self):
        return [str(kind.label) for kind in ADMISSION_KINDS]

    def lookup(self):
        if self._lookup is None:
            full = super().lookup()
            self._lookup = {key: value for key, value in full.items() if value in ADMISSION_KINDS}
        return self._lookup


class CodeWidget(TextWidget):
    """A value of one coded list (members.Code), written by its code or its name. The cell stays text here: the
    importer resolves a whole file's cells against the list at once (members/imports/codes.py). The template's
    drop-down offers the active names, and its instructions list them with their codes."""

    def __init__(self, code_list):
        super().__init__()
        self.code_list = code_list

    def _active(self):
        return Code.objects.filter(list=self.code_list, active=True).order_by("position", "code")

    def labels(self):
        return list(self._active().values_list("name", flat=True))

    def listing(self):
        return [f"{code} {name}" for code, name in self._active().values_list("code", "name")]


def code_column(attribute, header, code_list, example):
    return Column(attribute, header, CodeWidget(code_list), example=example, width=16, help_text=CODED_HELP)


class MemberResource(resources.ModelResource):
    """The members file: one row per member, matched on the party record number (or, without one, the card)."""

    serial = serial_column()
    record_number = Column(
        "record_number",
        _("Party record number"),
        in_header=True,
        example="012345TN",
        width=16,
        help_text=_("6 digits and the 1–3 letter province code, e.g. 012345TN."),
    )
    card_number = Column(
        "card_number",
        _("Party card number"),
        example="52012345",
        width=14,
        help_text=_("8 digits; official members only."),
    )
    full_name = Column(
        "full_name",
        _("Full name"),
        required=True,
        example="Nguyễn Văn An",
        width=26,
        max_length=field_length(Member, "full_name"),
    )
    gender = Column(
        "gender",
        _("Gender"),
        ChoiceWidget(Gender, aliases={Gender.MALE: ("M",), Gender.FEMALE: ("F", "Nu")}),
        required=True,
        example=Gender.MALE.label,
        width=9,
    )
    date_of_birth = Column(
        "date_of_birth", _("Date of birth"), DayWidget(), required=True, example=date(1985, 5, 17), width=13
    )
    ethnicity = Column(
        "ethnicity",
        _("Ethnicity"),
        example="Kinh",
        width=11,
        help_text=_("Empty means Kinh for a new member."),
        max_length=field_length(Member, "ethnicity"),
    )
    religion = Column("religion", _("Religion"), example="", width=12, max_length=field_length(Member, "religion"))
    citizen_id = Column(
        "citizen_id", _("Citizen ID (CCCD)"), example="001085012345", width=15, help_text=_("12 digits.")
    )
    organization_code = Column(
        "organization_code",
        _("Admitting organization code"),
        required=True,
        example="CB010101",
        width=16,
        help_text=_("The code of the cell or grassroots organization that held the admission ceremony."),
        max_length=field_length(Organization, "code"),
    )
    admission_date = Column(
        "admission_date", _("Admission date"), DayWidget(), required=True, example=date(2015, 3, 2), width=13
    )
    admission_kind = Column(
        "admission_kind",
        _("Admission"),
        AdmissionWidget(),
        example=MovementKind.ADMITTED.label,
        width=13,
        help_text=_("Empty means admission (not re-admission)."),
    )
    theory_level = Column(
        "theory_level",
        _("Political theory level"),
        ChoiceWidget(TheoryLevel, aliases={TheoryLevel.INTERMEDIATE: ("Trung cap LLCT",)}),
        example=TheoryLevel.INTERMEDIATE.label,
        width=16,
    )
    theory_obtained_on = Column(
        "theory_obtained_on",
        _("Theory level obtained on"),
        DayWidget(),
        example=date(2018, 6, 30),
        width=14,
        help_text=_("Required when a theory level is given."),
    )
    ethnicity_code = code_column("ethnicity_code", _("Ethnicity (coded list)"), CodeList.ETHNICITY, "Kinh")
    religion_code = code_column("religion_code", _("Religion (coded list)"), CodeList.RELIGION, "Không")
    general_education = code_column("general_education", _("General education"), CodeList.EDUCATION, "THPT")
    qualification = code_column("qualification", _("Professional qualification"), CodeList.QUALIFICATION, "Đại học")
    occupation_at_admission = code_column(
        "occupation_at_admission", _("Occupation at admission"), CodeList.OCCUPATION, "VIEN_CHUC"
    )
    occupation_now = code_column("occupation_now", _("Occupation now"), CodeList.OCCUPATION, "VIEN_CHUC")
    youth_union_at_admission = Column(
        "youth_union_at_admission",
        _("Youth union member at admission"),
        YesNoUnknownWidget(),
        example=YES,
        width=14,
        help_text=_("“Có” (or x) or “Không”; empty keeps what the portal has."),
    )

    class Meta:
        model = Member
        fields = (
            "serial",
            "record_number",
            "card_number",
            "full_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "religion",
            "citizen_id",
            "organization_code",
            "admission_date",
            "admission_kind",
            "theory_level",
            "theory_obtained_on",
            *CODED_FIELDS,
            "youth_union_at_admission",
        )
        import_id_fields = ("record_number",)
        skip_unchanged = True
        report_skipped = True
        # Its own loop is not used for the writes: 20,000 rows took 7.5 s with these settings against 1.9 s for a
        # plain bulk_create (docs/decisions.md, "Excel import"); they stay for admin-style use of the resource.
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        force_init_instance = True
