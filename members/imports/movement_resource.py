"""django-import-export resource for the movements file (chuyen-sinh-hoat): one row per movement."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import resources

from members.models import Gender, Member, MovementEvent, MovementKind, TransferScope
from organizations.models import Organization
from organizations.resources import ChoiceWidget, Column, DayWidget, field_length, serial_column


class FileMovement(models.TextChoices):
    """The movements a row may record, by the names of form Biểu 1-BTCTW."""

    ARRIVAL = "ARRIVAL", _("Transfer in (from outside the province)")
    DEPARTURE = "DEPARTURE", _("Transfer out (outside the province)")
    WITHIN = "WITHIN", _("Transfer within the province")
    DECEASED = "DECEASED", MovementKind.DECEASED.label
    EXPELLED = "EXPELLED", MovementKind.EXPELLED.label
    STRUCK_OFF = "STRUCK_OFF", MovementKind.STRUCK_OFF.label
    WITHDRAWN = "WITHDRAWN", MovementKind.WITHDRAWN.label
    READMITTED = "READMITTED", MovementKind.READMITTED.label
    RESTORED = "RESTORED", MovementKind.RESTORED.label


# The single event each movement writes (a move within the province writes two: out of the member's unit, in).
EVENT_OF = {
    movement.value: (kind.value, scope)
    for movement, kind, scope in (
        (FileMovement.ARRIVAL, MovementKind.TRANSFER_IN, TransferScope.OUTSIDE_PROVINCE.value),
        (FileMovement.DEPARTURE, MovementKind.TRANSFER_OUT, TransferScope.OUTSIDE_PROVINCE.value),
        (FileMovement.DECEASED, MovementKind.DECEASED, ""),
        (FileMovement.EXPELLED, MovementKind.EXPELLED, ""),
        (FileMovement.STRUCK_OFF, MovementKind.STRUCK_OFF, ""),
        (FileMovement.WITHDRAWN, MovementKind.WITHDRAWN, ""),
        (FileMovement.READMITTED, MovementKind.READMITTED, ""),
        (FileMovement.RESTORED, MovementKind.RESTORED, ""),
    )
}
# Movements that put the member on a unit's rolls: the row must name the unit.
TO_A_UNIT = (FileMovement.ARRIVAL, FileMovement.WITHIN, FileMovement.READMITTED, FileMovement.RESTORED)
ARRIVAL_ONLY = _("Only for the arrival of a person the portal does not know yet.")


class MovementResource(resources.ModelResource):
    """The movements file: one row per movement, the member matched on the party record number."""

    serial = serial_column()
    record_number = Column(
        "record_number",
        _("Party record number"),
        required=True,
        example="012345TN",
        width=16,
        help_text=_("6 digits and the 1–3 letter province code, e.g. 012345TN."),
    )
    movement = Column(
        "movement",
        _("Movement"),
        ChoiceWidget(FileMovement),
        required=True,
        example=FileMovement.WITHIN.label,
        width=30,
    )
    date = Column("date", _("Date"), DayWidget(), required=True, example=datetime.date(2025, 9, 1), width=13)
    organization_code = Column(
        "organization_code",
        _("Organization code"),
        example="CB010102",
        width=16,
        help_text=_(
            "Where the member goes (arrival, move within the province, re-admission, restoration); for a "
            "departure or another decrease, empty or the member's own unit."
        ),
        max_length=field_length(Organization, "code"),
    )
    full_name = Column(
        "full_name",
        _("Full name"),
        example="Nguyễn Văn An",
        width=26,
        help_text=ARRIVAL_ONLY,
        max_length=field_length(Member, "full_name"),
    )
    gender = Column(
        "gender",
        _("Gender"),
        ChoiceWidget(Gender, aliases={Gender.MALE: ("M",), Gender.FEMALE: ("F", "Nu")}),
        example=Gender.MALE.label,
        width=9,
        help_text=ARRIVAL_ONLY,
    )
    date_of_birth = Column(
        "date_of_birth",
        _("Date of birth"),
        DayWidget(),
        example=datetime.date(1985, 5, 17),
        width=13,
        help_text=ARRIVAL_ONLY,
    )
    admission_date = Column(
        "admission_date",
        _("Admission date"),
        DayWidget(),
        example=datetime.date(2010, 3, 2),
        width=13,
        help_text=_("Arrivals only: the admission date in the member's party record."),
    )
    ethnicity = Column(
        "ethnicity", _("Ethnicity"), example="Kinh", width=11, max_length=field_length(Member, "ethnicity")
    )
    religion = Column("religion", _("Religion"), example="", width=12, max_length=field_length(Member, "religion"))
    card_number = Column("card_number", _("Party card number"), example="", width=14, help_text=ARRIVAL_ONLY)
    citizen_id = Column("citizen_id", _("Citizen ID (CCCD)"), example="", width=15, help_text=ARRIVAL_ONLY)
    note = Column("note", _("Note"), example="", width=30, max_length=field_length(MovementEvent, "note"))

    class Meta:
        model = MovementEvent
        fields = (
            "serial",
            "record_number",
            "movement",
            "date",
            "organization_code",
            "full_name",
            "gender",
            "date_of_birth",
            "admission_date",
            "ethnicity",
            "religion",
            "card_number",
            "citizen_id",
            "note",
        )
        import_id_fields = ("record_number",)
