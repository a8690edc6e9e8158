"""The status periods file (trang-thai-sinh-hoat): exemption from party work, suspension and temporary activity
elsewhere, each through members.services.status_period_add, and the end of a period recorded open
(status_period_end)."""

from datetime import date

from django.utils.translation import gettext_lazy as _
from import_export import resources

from members.models import Member, StatusKind, StatusPeriod
from members.services import ALREADY_ENDED, status_period_add, status_period_end
from organizations.models import Organization
from organizations.resources import ChoiceWidget, Column, DayWidget, field_length, serial_column
from party_portal.imports import Kind, register
from party_portal.imports.report import UNCHANGED, UPDATED

from .records import RecordImporter

RECORDED_OTHERWISE = _("This period is already recorded with another %(what)s: %(value)s.")
NO_HOST = _("No party organization has the code %(code)s.")


class StatusPeriodResource(resources.Resource):
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
        "kind", _("Status"), ChoiceWidget(StatusKind), required=True, example=StatusKind.EXEMPT.label, width=30
    )
    start = Column("start", _("From"), DayWidget(), required=True, example=date(2024, 3, 1), width=13)
    end = Column(
        "end",
        _("To"),
        DayWidget(),
        example="",
        width=13,
        help_text=_("The last day; empty while it lasts. A period already recorded open is ended so."),
    )
    host_code = Column(
        "host_code",
        _("Host organization code"),
        example="",
        width=16,
        help_text=_("Only for temporary activity elsewhere: the code of the organization the member joins."),
        max_length=field_length(Organization, "code"),
    )
    reason = Column(
        "reason", _("Reason"), example="Sức khỏe yếu", width=30, max_length=field_length(StatusPeriod, "reason")
    )

    class Meta:
        fields = ("serial", "record_number", "kind", "start", "end", "host_code", "reason")


class StatusPeriodImporter(RecordImporter):
    resource = StatusPeriodResource
    model = StatusPeriod
    # The dates' order is a check constraint of the model: its error names no field, it is the end's.
    error_columns = {"kind": "kind", "start": "start", "end": "end", "host_organization": "host_code", "__all__": "end"}

    def check(self, sheet, progress):
        self.hosts = {}
        return super().check(sheet, progress)

    def _check_row(self, row, by_record, stored, seen):
        code = (row.values.pop("host_code") or "").strip()
        row.values["host_organization"] = None
        if code:
            if code not in self.hosts:
                self.hosts[code] = Organization.objects.filter(code__iexact=code).order_by("-valid_from").first()
            row.values["host_organization"] = self.hosts[code]
            if self.hosts[code] is None:
                self._error(row, "host_code", NO_HOST % {"code": code})
        super()._check_row(row, by_record, stored, seen)

    def natural_key(self, values):
        return (values["kind"], values["start"])

    def compare(self, stored, values):
        host = values["host_organization"]
        if stored.host_organization_id != (host.pk if host else None):
            shown = stored.host_organization.code if stored.host_organization_id else "—"
            return ("host_code", RECORDED_OTHERWISE % {"what": self.header["host_code"], "value": shown})
        if stored.reason != (values["reason"] or ""):
            return ("reason", RECORDED_OTHERWISE % {"what": self.header["reason"], "value": stored.reason or "—"})
        if stored.end == values["end"]:
            return UNCHANGED
        if stored.end is not None:
            return ("end", ALREADY_ENDED % {"date": f"{stored.end:%d/%m/%Y}"})
        return UPDATED

    def add(self, member, values):
        return status_period_add(
            actor=self.actor,
            member=member,
            kind=values["kind"],
            start=values["start"],
            end=values["end"],
            host_organization=values["host_organization"],
            reason=values["reason"] or "",
        )

    def update(self, stored, values):
        return status_period_end(actor=self.actor, period=stored, end=values["end"])

    def describe(self, row):
        if row.errors or row.member is None:
            return ""
        end = f"{row.values['end']:%d/%m/%Y}" if row.values["end"] else "…"
        if row.stored is not None:
            return f"{self.header['end']}: — → {end}"
        return f"{StatusKind(row.values['kind']).label} · {row.values['start']:%d/%m/%Y} – {end}"


@register
class StatusPeriodFileKind(Kind):
    slug = "trang-thai-sinh-hoat"
    label = _("Exemptions, suspensions, temporary activity")
    help_text = _(
        "Periods in which members are exempt from party work, suspended or temporarily active elsewhere (matched on "
        "the record number, the status and the start); a period recorded open is ended by giving its last day."
    )
    importer = StatusPeriodImporter
    template_title = _("Template: exemptions, suspensions and temporary activity")
    written_labels = {"added": _("Status periods recorded"), "changed": _("Status periods ended")}
    order = 55
