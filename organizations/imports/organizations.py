"""The organizations file (to-chuc): every row goes through organization_create / organization_rename, so the tree's
rules and its scoping apply exactly as on the tree pages. The check is the same run, rolled back.

Organization files are small (a province has a few thousand nodes), so the per-row services are affordable here;
members files are the large ones and are written in bulk (members/imports/members.py).
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import scoping
from organizations.models import Organization, OrgKind, OrgType, Placement
from organizations.resources import OrganizationResource
from organizations.services import organization_create, organization_rename
from party_portal.imports import Kind, register
from party_portal.imports.reading import clean_row, column_named
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, ImportAborted, Report, change_text
from party_portal.imports.scope import NOT_ON_DATE

KIND_DIFFERS = _("The portal records this organization as “%(value)s”; the kind is not changed by import.")
TYPE_DIFFERS = _("The portal records the type “%(value)s”; the type is not changed by import.")
PARENT_DIFFERS = _("The portal places this organization under %(value)s; moving it is not done by import.")
FOUNDED_DIFFERS = _("The portal records this organization from %(value)s; the start date is not changed by import.")
# As for a parent (NOT_ON_DATE), an existing code outside the actor's subtree reveals nothing of it (its kind,
# dates or parent).
NOT_IN_YOUR_TREE = _("No organization with the code %(code)s is in your part of the tree.")
CODE_TWICE = _("The code %(value)s is already on row %(row)s of this file.")
ENDED = _("The organization %(code)s ended on %(date)s: a file cannot change an organization that has ended.")
TOP_LEVEL = _("(top of the tree)")

# Service errors name model fields; the file names columns.
FIELD_COLUMNS = {"parent": "parent_code", "valid_to": "valid_from", NON_FIELD_ERRORS: "code"}


class OrganizationImporter:
    resource = OrganizationResource
    # Rows checked inside the upload request; larger files go to a Celery job (about 15 queries a row).
    inline_rows = 100

    def __init__(self, *, actor, **_scope):
        self.actor = actor

    def check(self, sheet, progress):
        report = Report(plan=sheet)
        with transaction.atomic():
            self._run(sheet, report, progress)
            transaction.set_rollback(True)
        return report

    def write(self, checked, progress):
        """Run the services again, for real; anything refused now (the tree changed since the check) aborts."""
        report = Report()
        with transaction.atomic():
            self._run(checked.plan, report, progress)
            if not report.ok:
                transaction.set_rollback(True)
        if not report.ok:
            raise ImportAborted(report)
        report.written = {"organizations": report.counts[NEW], "renamed": report.counts[UPDATED]}
        return report

    def _run(self, sheet, report, progress):
        rows = [clean_row(sheet, number, cells) for number, cells in sheet.rows]
        first_row = {}
        for row in rows:
            code = row.values["code"]
            if code and code in first_row:
                row.errors.append(
                    (column_named(sheet, "code"), CODE_TWICE % {"value": code, "row": first_row[code].number})
                )
            elif code:
                first_row[code] = row
        for done, row in enumerate(_parents_first(rows, first_row), start=1):
            errors = list(row.errors)
            outcome, changes = NEW, ""
            if not errors:
                try:
                    with transaction.atomic():
                        outcome, changes = self._apply(sheet, row.values)
                except ValidationError as error:
                    errors = _errors_by_column(sheet, error)
                except PermissionDenied as error:
                    errors = [(column_named(sheet, "parent_code" if outcome == NEW else "code"), str(error))]
            report.add(row.number, outcome, row.values["code"] or "", row.values["name"] or "", changes, errors)
            progress(done, len(rows))

    def _apply(self, sheet, values):
        current = Organization.objects.filter(code=values["code"], valid_to__isnull=True).first()
        if current is not None and not self._writable(current, _today_for(current)):
            raise ValidationError({"code": ValidationError(NOT_IN_YOUR_TREE, params={"code": values["code"]})})
        if current is None:
            ended = Organization.objects.filter(
                code=values["code"], valid_from=values["valid_from"], valid_to__isnull=False
            ).first()
            if ended is not None:
                return self._ended(ended, values)
            day = values["valid_from"]
            parent = None
            if values["parent_code"]:
                parent = Organization.objects.valid_on(day).filter(code=values["parent_code"]).first()
                if parent is None or not self._writable(parent, day):
                    raise ValidationError(
                        {
                            "parent_code": ValidationError(
                                NOT_ON_DATE, params={"code": values["parent_code"], "date": f"{day:%d/%m/%Y}"}
                            )
                        }
                    )
            organization_create(
                actor=self.actor,
                code=values["code"],
                name=values["name"],
                kind=values["kind"],
                valid_from=day,
                parent=parent,
                org_type=values["org_type"] or "",
            )
            return NEW, " · ".join(
                filter(None, [str(OrgKind(values["kind"]).label), values["parent_code"], f"{day:%d/%m/%Y}"])
            )
        self._compare(current, values)
        if current.name == values["name"]:
            # Unchanged rows are still checked against the scope: a file cannot vouch for someone else's tree.
            scoping.require_access(self.actor, current.pk, _today_for(current), write=True)
            return UNCHANGED, ""
        old = current.name
        organization_rename(actor=self.actor, organization=current, name=values["name"])
        return UPDATED, change_text(column_named(sheet, "name"), old, values["name"])

    def _ended(self, organization, values):
        """A row naming an organization that has since ended (merged, split, dissolved) with its founding date: the
        same file imported again after a reorganization is unchanged; a file cannot change an ended organization."""
        if not self._writable(organization, organization.valid_to):
            raise ValidationError({"code": ValidationError(NOT_IN_YOUR_TREE, params={"code": values["code"]})})
        same = (organization.name, organization.kind, organization.org_type) == (
            values["name"],
            values["kind"],
            values["org_type"] or "",
        )
        if not same:
            params = {"code": values["code"], "date": f"{organization.valid_to:%d/%m/%Y}"}
            raise ValidationError({"code": ValidationError(ENDED, params=params)})
        return UNCHANGED, ""

    def _writable(self, organization, day):
        try:
            scoping.require_access(self.actor, organization.pk, day, write=True)
        except PermissionDenied:
            return False
        return True

    def _compare(self, current, values):
        problems = {}
        if current.kind != values["kind"]:
            problems["kind"] = KIND_DIFFERS % {"value": OrgKind(current.kind).label}
        if current.org_type != (values["org_type"] or ""):
            label = OrgType(current.org_type).label if current.org_type else "—"
            problems["org_type"] = TYPE_DIFFERS % {"value": label}
        if current.valid_from != values["valid_from"]:
            problems["valid_from"] = FOUNDED_DIFFERS % {"value": f"{current.valid_from:%d/%m/%Y}"}
        placement = (
            Placement.objects.on(_today_for(current)).filter(organization=current).select_related("parent").first()
        )
        if placement is not None:
            parent_code = placement.parent.code if placement.parent else ""
            if parent_code != (values["parent_code"] or ""):
                problems["parent_code"] = PARENT_DIFFERS % {"value": parent_code or TOP_LEVEL}
        if problems:
            raise ValidationError(problems)


def _today_for(organization):
    return max(timezone.localdate(), organization.valid_from)


def _errors_by_column(sheet, error):
    if not hasattr(error, "error_dict"):
        return [(column_named(sheet, "code"), message) for message in error.messages]
    errors = []
    for name, messages in error.message_dict.items():
        header = column_named(sheet, FIELD_COLUMNS.get(name, name))
        errors.extend((header, message) for message in messages)
    return errors


def _parents_first(rows, by_code):
    """The rows in an order where a parent created by this file comes before its children; file order otherwise."""
    ordered, placed = [], set()

    def place(row, trail):
        if id(row) in placed:
            return
        parent = by_code.get(row.values["parent_code"] or "")
        if parent is not None and parent is not row and id(parent) not in trail:
            place(parent, trail | {id(row)})
        placed.add(id(row))
        ordered.append(row)

    for row in rows:
        place(row, frozenset())
    return ordered


@register
class OrganizationKind(Kind):
    slug = "to-chuc"
    label = _("Party organizations")
    help_text = _(
        "New organizations of your part of the tree, and new names for existing ones. Each row is matched on its "
        "code; parents listed in the same file are created first."
    )
    importer = OrganizationImporter
    template_title = _("Template: party organizations")
    written_labels = {"organizations": _("Organizations created"), "renamed": _("Organizations renamed")}
    order = 10
