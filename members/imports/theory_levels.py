"""The political theory levels file (trinh-do-ly-luan): several levels per member, one per row, matched on the
party record number. The checks are theory_level_add's (the member in the actor's subtree, a date that reaches no
closed year, a level held once), made for the whole file at once; the rows are written in bulk with their audit
rows. A level already held on another date is re-dated, as by the members file."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import resources

from members.models import Member, Membership, TheoryLevel, TheoryQualification
from members.services import FUTURE_DATE
from organizations import scoping
from organizations.resources import ChoiceWidget, Column, DayWidget, TextWidget, serial_column
from party_portal import closed_years
from party_portal.imports import Kind, register
from party_portal.imports.bulk import LOOKUP_BATCH, WRITE_BATCH, AuditCopy, batches
from party_portal.imports.reading import clean_row
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, Report, change_text
from party_portal.imports.scope import ScopeIndex

# A member who does not exist and one outside the actor's subtree get the same message: a file reveals nothing of
# another part of the tree.
NO_MEMBER = _("No member with the party record number %(value)s is in your part of the tree.")
LEVEL_TWICE = _("This member's level is already on row %(row)s of this file.")


class TheoryLevelResource(resources.ModelResource):
    """The theory levels file: one row per level obtained, matched on the member's record number and the level."""

    serial = serial_column()
    record_number = Column(
        "record_number",
        _("Party record number"),
        required=True,
        example="012345TN",
        width=16,
        help_text=_("6 digits and the 1–3 letter province code, e.g. 012345TN."),
    )
    full_name = Column(
        "full_name",
        _("Full name"),
        TextWidget(),
        example="Nguyễn Văn An",
        width=26,
        help_text=_("For reading only: the member is found by the record number."),
    )
    theory_level = Column(
        "theory_level",
        _("Political theory level"),
        ChoiceWidget(TheoryLevel, aliases={TheoryLevel.INTERMEDIATE: ("Trung cap LLCT",)}),
        required=True,
        example=TheoryLevel.INTERMEDIATE.label,
        width=16,
    )
    theory_obtained_on = Column(
        "theory_obtained_on",
        _("Theory level obtained on"),
        DayWidget(),
        required=True,
        example=date(2018, 6, 30),
        width=14,
    )

    class Meta:
        model = TheoryQualification
        fields = ("serial", "record_number", "full_name", "theory_level", "theory_obtained_on")
        import_id_fields = ("record_number", "theory_level")


class TheoryLevelImporter:
    resource = TheoryLevelResource
    inline_rows = 2000

    def __init__(self, *, actor, **_scope):
        self.actor = actor
        self.today = timezone.localdate()
        self.closed = closed_years.closed_until_today()

    def check(self, sheet, progress):
        header = {column.attribute: sheet.header(column) for column in sheet.columns}
        rows = [clean_row(sheet, number, cells) for number, cells in sheet.rows]
        for row in rows:
            row.values["record_number"] = "".join((row.values["record_number"] or "").split()).upper()
        members = self._members({row.values["record_number"] for row in rows if row.values["record_number"]})
        current = self._current_organizations([member_id for member_id, _name in members.values()])
        held = self._held(list(current))
        scope = ScopeIndex(self.actor, set(current.values()))
        progress(0, len(rows), phase="checking")
        report = Report()
        seen = {}
        entries = []
        for row in rows:
            values = row.values
            record, level, day = values["record_number"], values["theory_level"], values["theory_obtained_on"]
            member_id, name = members.get(record, (None, values["full_name"] or ""))
            if record and member_id is None:
                row.errors.append((header["record_number"], str(NO_MEMBER % {"value": record})))
            elif member_id is not None:
                refusal = scope.refusal(current.get(member_id), self.today) if member_id in current else None
                if member_id not in current or refusal == scoping.NOT_IN_SCOPE:
                    row.errors.append((header["record_number"], str(NO_MEMBER % {"value": record})))
                    name = values["full_name"] or ""
                elif refusal:
                    row.errors.append((header["record_number"], str(refusal)))
            level = None if level in ("", None) else int(level)
            key = (member_id, level)
            if member_id is not None and level is not None:
                if key in seen:
                    row.errors.append((header["theory_level"], str(LEVEL_TWICE % {"row": seen[key]})))
                else:
                    seen[key] = row.number
            if day is not None and day > self.today:
                row.errors.append((header["theory_obtained_on"], str(FUTURE_DATE)))
            outcome, changes, held_id = self._outcome(held.get(key), level, day, header)
            if outcome != UNCHANGED and day is not None and not row.errors:
                first = min(day, held[key][1]) if held_id else day
                year = closed_years.reached(first, self.closed, until=self.today)
                if year is not None:
                    row.errors.append((header["theory_obtained_on"], closed_years.refusal_text(first, year)))
            report.add(row.number, outcome, record, name, changes, row.errors)
            if not row.errors and outcome != UNCHANGED:
                entries.append((member_id, level, day, held_id))
        progress(len(rows), len(rows), phase="checking")
        report.plan = entries
        return report

    def _outcome(self, held, level, day, header):
        """NEW, UPDATED (another date is recorded) or UNCHANGED, what changes, and the level's row to re-date."""
        if level is None or day is None:
            return NEW, "", None
        label = f"{TheoryLevel(level).label} {day:%d/%m/%Y}"
        if held is None:
            return NEW, label, None
        held_id, held_on = held
        if held_on == day:
            return UNCHANGED, "", None
        old = f"{TheoryLevel(level).label} {held_on:%d/%m/%Y}"
        return UPDATED, change_text(header["theory_level"], old, label), held_id

    def _members(self, records):
        found = {}
        for batch in batches(sorted(records), LOOKUP_BATCH):
            for pk, record, name in Member.objects.filter(record_number__in=batch).values_list(
                "pk", "record_number", "full_name"
            ):
                found[record] = (pk, name)
        return found

    def _current_organizations(self, ids):
        """The organization of each member's latest stint started by today (require_member_access's rule)."""
        found = {}
        for batch in batches(ids, LOOKUP_BATCH):
            stints = (
                Membership.objects.filter(member_id__in=batch, start__lte=self.today)
                .order_by("member_id", "start")
                .values_list("member_id", "organization_id")
            )
            found.update(dict(stints))
        return found

    def _held(self, ids):
        found = {}
        for batch in batches(ids, LOOKUP_BATCH):
            for pk, member_id, level, day in TheoryQualification.objects.filter(member_id__in=batch).values_list(
                "pk", "member_id", "level", "obtained_on"
            ):
                found[(member_id, level)] = (pk, day)
        return found

    def write(self, report, progress):
        """The new levels and the re-dated ones, in batches, with their audit rows."""
        entries = report.plan
        audit = AuditCopy(self.actor)
        added = [
            TheoryQualification(member_id=member_id, level=level, obtained_on=day)
            for member_id, level, day, held_id in entries
            if held_id is None
        ]
        TheoryQualification.objects.bulk_create(added, batch_size=WRITE_BATCH)
        dates = {held_id: day for _member, _level, day, held_id in entries if held_id is not None}
        redated = list(TheoryQualification.objects.in_bulk(list(dates)).values())
        for qualification in redated:
            qualification.obtained_on = dates[qualification.pk]
        TheoryQualification.objects.bulk_update(redated, ["obtained_on"], batch_size=WRITE_BATCH)
        audit.copy(TheoryQualification, [q.pk for q in added], "+")
        audit.copy(TheoryQualification, [q.pk for q in redated], "~")
        progress(len(entries), len(entries), phase="writing")
        report.written = {"theory_levels": len(added), "theory_levels_redated": len(redated)}
        return report


@register
class TheoryLevelKind(Kind):
    slug = "trinh-do-ly-luan"
    label = _("Political theory levels")
    help_text = _(
        "The political theory levels of members of your part of the tree, one row per level obtained: a member may "
        "have several rows. Each row is matched on the party record number and the level; a level already recorded "
        "on another date is re-dated."
    )
    importer = TheoryLevelImporter
    template_title = _("Template: political theory levels")
    written_labels = {
        "theory_levels": _("Political theory levels"),
        "theory_levels_redated": _("Political theory levels re-dated"),
    }
    order = 40
