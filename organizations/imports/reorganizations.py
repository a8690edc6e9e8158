"""The reorganizations file (sap-xep-to-chuc): one row per predecessor → successor link, rows grouped into
operations by their operation number. Each operation goes through organizations.reorganizations exactly as on
the pages; the check is the same run, rolled back, and an operation already recorded is left as it is.

A batch of the 1 July 2025 kind touches a few hundred units: per-operation services are affordable here.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from import_export import resources

from organizations import policy
from organizations.models import OrgKind, OrgType, Reorganization, ReorganizationKind
from organizations.reorganization_inputs import arguments_for, organization_by_code, successor_by_code
from organizations.reorganization_plan import NewUnit
from organizations.reorganizations import reorganization_apply
from organizations.resources import ChoiceWidget, Column, DayWidget, field_length, serial_column
from party_portal.imports import Kind, register
from party_portal.imports.reading import clean_row, column_named
from party_portal.imports.report import NEW, UNCHANGED, ImportAborted, Report

DIFFERS_IN_GROUP = _(
    "Operation %(operation)s says otherwise on row %(row)s: one operation has one kind, date and decision."
)
ONE_SUBJECT = _("A %(kind)s has one organization: every row of operation %(operation)s must name the same one.")

# Service errors name arguments; the file names columns.
FIELD_COLUMNS = {
    "effective_on": "effective_on",
    "predecessors": "old_code",
    "predecessor": "old_code",
    "organization": "old_code",
    "successor": "new_code",
    "successors": "new_code",
    "code": "new_code",
    "parent": "new_parent_code",
    "new_parent": "new_parent_code",
    "new_name": "new_name",
    "mapping": "moved",
    NON_FIELD_ERRORS: "old_code",
}
SAME_ON_EVERY_ROW = ("kind", "effective_on", "decision_number", "decision_date")


class ReorganizationResource(resources.Resource):
    """The reorganizations file: rows grouped into operations by their number."""

    serial = serial_column()
    operation = Column("operation", _("Operation no."), required=True, example="1", width=10, max_length=16)
    kind = Column(
        "kind",
        _("Kind of reorganization"),
        ChoiceWidget(ReorganizationKind),
        required=True,
        example=ReorganizationKind.MERGE.label,
        width=22,
    )
    effective_on = Column(
        "effective_on", _("Effective date"), DayWidget(), required=True, example=date(2025, 7, 1), width=14
    )
    decision_number = Column(
        "decision_number",
        _("Decision number"),
        in_header=True,
        example="125-QĐ/TU",
        width=16,
        max_length=field_length(Reorganization, "decision_number"),
    )
    decision_date = Column("decision_date", _("Decision date"), DayWidget(), in_header=False, width=14)
    old_code = Column(
        "old_code",
        _("Organization code (before)"),
        required=True,
        example="DB0101",
        width=14,
        help_text=_("The organization merged, split, moved, renamed or dissolved."),
        max_length=32,
    )
    new_code = Column(
        "new_code",
        _("Organization code (after)"),
        in_header=True,
        example="DB0199",
        width=14,
        help_text=_("Merge and split: the successor, existing or new. Empty for a move, rename or dissolution."),
        max_length=32,
    )
    new_name = Column(
        "new_name",
        _("New name"),
        in_header=True,
        example="Đảng bộ phường Bắc Tây",
        width=36,
        help_text=_("A new successor's name, or the new name of a rename."),
        max_length=255,
    )
    new_kind = Column(
        "new_kind",
        _("Kind of the new organization"),
        ChoiceWidget(OrgKind),
        in_header=False,
        width=30,
        help_text=_("Empty: the kind of the (first) organization before."),
    )
    new_type = Column(
        "new_type",
        _("Type of the new organization"),
        ChoiceWidget(OrgType),
        in_header=False,
        width=26,
        help_text=_("Empty: the type of the (first) organization before."),
    )
    new_parent_code = Column(
        "new_parent_code",
        _("New parent code"),
        in_header=True,
        example="X01",
        width=14,
        help_text=_("A move: the new parent. A new successor: its parent (empty: the parent of the one before)."),
        max_length=32,
    )
    moved = Column(
        "moved",
        _("Sub-units and members moved (split)"),
        in_header=False,
        width=30,
        help_text=_(
            "A split: codes of sub-units and party record numbers of members going to this row's successor, "
            "separated by commas; the rest go to the first successor."
        ),
        max_length=4000,
    )

    class Meta:
        fields = (
            "serial",
            "operation",
            "kind",
            "effective_on",
            "decision_number",
            "decision_date",
            "old_code",
            "new_code",
            "new_name",
            "new_kind",
            "new_type",
            "new_parent_code",
            "moved",
        )


def _new_unit_defaults(unit, before):
    """A new successor takes the kind and type of the organization before unless the file gives them."""
    if isinstance(unit, NewUnit) and before is not None:
        unit.kind = unit.kind or before.kind
        unit.org_type = unit.org_type or (before.org_type if unit.kind == before.kind else "")
    return unit


class ReorganizationImporter:
    resource = ReorganizationResource
    # Operations checked inside the upload request; larger files go to a Celery job (a merge costs ~100 queries).
    inline_rows = 50

    def __init__(self, *, actor, **_scope):
        self.actor = actor

    def check(self, sheet, progress):
        report = Report(plan=sheet)
        with transaction.atomic():
            self._run(sheet, report, progress)
            transaction.set_rollback(True)
        return report

    def write(self, checked, progress):
        """Apply every operation again, for real; anything refused now (the tree changed since) aborts."""
        report = Report()
        with transaction.atomic():
            self._run(checked.plan, report, progress)
            if not report.ok:
                transaction.set_rollback(True)
        if not report.ok:
            raise ImportAborted(report)
        report.written = {"reorganizations": report.counts[NEW]}
        return report

    def _run(self, sheet, report, progress):
        groups = defaultdict(list)
        for number, cells in sheet.rows:
            row = clean_row(sheet, number, cells)
            groups[row.values["operation"] or f"#{number}"].append(row)
        ordered = sorted(
            groups.items(), key=lambda item: (item[1][0].values["effective_on"] or date.max, item[1][0].number)
        )
        for done, (operation, rows) in enumerate(ordered, start=1):
            errors = [error for row in rows for error in row.errors] or self._consistency(sheet, operation, rows)
            outcome, label = NEW, ""
            if not errors:
                try:
                    with transaction.atomic():
                        outcome, label = self._apply(rows)
                except ValidationError as error:
                    errors = _errors_by_column(sheet, error)
                except PermissionDenied as error:
                    errors = [(column_named(sheet, "old_code"), str(error))]
            first = rows[0]
            report.add(first.number, outcome, operation, label, label if outcome == NEW else "", errors)
            for row in rows[1:]:
                report.add(row.number, outcome, operation, label, "", [])
            progress(done, len(ordered))

    def _consistency(self, sheet, operation, rows):
        first = rows[0].values
        for row in rows[1:]:
            for name in SAME_ON_EVERY_ROW:
                if row.values[name] != first[name]:
                    message = DIFFERS_IN_GROUP % {"operation": operation, "row": rows[0].number}
                    return [(column_named(sheet, name), message)]
        one_subject = first["kind"] not in (ReorganizationKind.MERGE, ReorganizationKind.SPLIT)
        if one_subject and len({row.values["old_code"] for row in rows}) > 1:
            label = ReorganizationKind(first["kind"]).label
            return [(column_named(sheet, "old_code"), ONE_SUBJECT % {"kind": label, "operation": operation})]
        return []

    def _apply(self, rows):
        first = rows[0].values
        kind, on = first["kind"], first["effective_on"]
        values = {
            "effective_on": on,
            "decision_number": first["decision_number"] or "",
            "decision_date": first["decision_date"],
        }

        label = _describe(kind, rows)
        if _already_recorded(kind, first, rows):
            # Unchanged rows are still checked against the scope: a file cannot vouch for someone else's tree.
            policy.require(self.actor, policy.REORGANIZE)
            day_before = on - timedelta(days=1)
            for row in rows:
                organization_by_code(actor=self.actor, code=row.values["old_code"], on=day_before, field="organization")
            return UNCHANGED, label

        def org(code, field):
            return organization_by_code(actor=self.actor, code=code, on=on, field=field)

        def successor(row, before):
            unit = successor_by_code(
                actor=self.actor,
                code=row["new_code"],
                on=on,
                field="successor",
                name=row["new_name"],
                kind=row["new_kind"],
                org_type=row["new_type"],
                parent_code=row["new_parent_code"],
            )
            return _new_unit_defaults(unit, before)

        if kind == ReorganizationKind.MERGE:
            values["predecessors"] = [org(row.values["old_code"], "predecessors") for row in rows]
            values["successor"] = successor(first, values["predecessors"][0]) if first["new_code"] else None
        elif kind == ReorganizationKind.SPLIT:
            values["predecessor"] = org(first["old_code"], "predecessor")
            values["successors"] = [
                successor(row.values, values["predecessor"]) for row in rows if row.values["new_code"]
            ]
            values["mapping"] = {
                key.strip(): row.values["new_code"]
                for row in rows
                for key in (row.values["moved"] or "").split(",")
                if key.strip()
            }
        else:
            values["organization"] = org(first["old_code"], "organization")
            if first["new_parent_code"]:
                values["new_parent"] = org(first["new_parent_code"], "new_parent")
            values["new_name"] = first["new_name"]
        reorganization_apply(actor=self.actor, kind=kind, **arguments_for(kind, values))
        return NEW, label


def _describe(kind, rows):
    first = rows[0].values
    before = ", ".join(dict.fromkeys(row.values["old_code"] for row in rows))
    after = ", ".join(dict.fromkeys(row.values["new_code"] for row in rows if row.values["new_code"]))
    target = after or first["new_parent_code"] or first["new_name"] or ""
    return f"{ReorganizationKind(kind).label}: {before}" + (f" → {target}" if target else "")


def _already_recorded(kind, first, rows):
    """The same operation (kind, date, decision, codes before and after) is on record: re-importing changes
    nothing. Judged on the codes, since the units that ended are no longer in force on the date."""
    recorded = Reorganization.objects.filter(
        kind=kind, effective_on=first["effective_on"], decision_number=first["decision_number"] or ""
    )
    if kind in (ReorganizationKind.MERGE, ReorganizationKind.SPLIT):
        wanted = {(row.values["old_code"], row.values["new_code"]) for row in rows}
        for operation in recorded.prefetch_related("links__predecessor", "links__successor"):
            if {(link.predecessor.code, link.successor.code) for link in operation.links.all()} == wanted:
                return True
        return False
    recorded = recorded.filter(organization__code=first["old_code"])
    if kind == ReorganizationKind.MOVE:
        recorded = recorded.filter(new_parent__code=first["new_parent_code"])
    if kind == ReorganizationKind.RENAME:
        recorded = recorded.filter(new_name=first["new_name"])
    return recorded.exists()


def _errors_by_column(sheet, error):
    if not hasattr(error, "error_dict"):
        return [(column_named(sheet, "old_code"), message) for message in error.messages]
    errors = []
    for name, messages in error.message_dict.items():
        header = column_named(sheet, FIELD_COLUMNS.get(name, "old_code"))
        errors.extend((header, message) for message in messages)
    return errors


@register
class ReorganizationKindOfFile(Kind):
    slug = "sap-xep-to-chuc"
    label = _("Reorganizations")
    help_text = _(
        "Merges, splits, moves, renames and dissolutions, many at once: one row per link from an organization "
        "before to one after, rows of one operation sharing its number. All or nothing; an operation already "
        "recorded is left as it is."
    )
    importer = ReorganizationImporter
    action = policy.REORGANIZE
    template_title = _("Template: reorganizations")
    template_notes = (
        _("Merge: one row per organization merged, all with the same code after."),
        _("Split: one row per successor, all with the same code before; the first takes what no row moves."),
        _("Move: the code before and the new parent's code. Rename: the code before and the new name."),
        _("Dissolve: the code before only."),
    )
    written_labels = {"reorganizations": _("Reorganizations recorded")}
    order = 15
