"""The discipline file (ky-luat): disciplines decided on members, each through members.services.discipline_add."""

from datetime import date

from django.utils.translation import gettext_lazy as _
from import_export import resources

from members.models import Discipline, DisciplineKind, Member
from members.services import discipline_add
from organizations.resources import ChoiceWidget, Column, DayWidget, field_length, serial_column
from party_portal.imports import Kind, register
from party_portal.imports.report import UNCHANGED

from .records import RecordImporter

REASON_DIFFERS = _("This discipline is already recorded with another reason: “%(reason)s”.")


class DisciplineResource(resources.Resource):
    serial = serial_column()
    record_number = Column(
        "record_number",
        _("Party record number"),
        required=True,
        example="012345TN",
        width=16,
        max_length=field_length(Member, "record_number"),
    )
    kind = Column(
        "kind", _("Discipline"), ChoiceWidget(DisciplineKind), required=True, example=DisciplineKind.WARNING.label
    )
    decided_on = Column("decided_on", _("Decided on"), DayWidget(), required=True, example=date(2024, 9, 12), width=13)
    reason = Column(
        "reason",
        _("Reason"),
        example="Vi phạm quy định về những điều đảng viên không được làm",
        width=40,
        max_length=field_length(Discipline, "reason"),
    )

    class Meta:
        fields = ("serial", "record_number", "kind", "decided_on", "reason")


class DisciplineImporter(RecordImporter):
    resource = DisciplineResource
    model = Discipline
    error_columns = {"kind": "kind", "decided_on": "decided_on", "reason": "reason"}

    def natural_key(self, values):
        return (values["kind"], values["decided_on"])

    def compare(self, stored, values):
        if stored.reason == (values["reason"] or ""):
            return UNCHANGED
        return ("reason", REASON_DIFFERS % {"reason": stored.reason or "—"})

    def add(self, member, values):
        return discipline_add(
            actor=self.actor,
            member=member,
            kind=values["kind"],
            decided_on=values["decided_on"],
            reason=values["reason"] or "",
        )

    def describe(self, row):
        if row.errors or row.member is None:
            return ""
        return f"{DisciplineKind(row.values['kind']).label} · {row.values['decided_on']:%d/%m/%Y}"


@register
class DisciplineFileKind(Kind):
    slug = "ky-luat"
    label = _("Discipline")
    help_text = _(
        "Disciplines decided on members (matched on the record number, the discipline and the date of the "
        "decision); a probationary member can only be reprimanded or warned."
    )
    importer = DisciplineImporter
    template_title = _("Template: discipline")
    written_labels = {"added": _("Disciplines recorded")}
    order = 60
