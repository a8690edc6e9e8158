"""The cell and TCCSĐ ratings file (xep-loai-to-chuc): one file for a subtree the actor may write (a whole district)
and a year. Every row goes through organization_rating_save, the service of the organization rating pages: the
same rules, the same scoping (a TCCSĐ is rated by the level above, a cell by its TCCSĐ) and the same lock on
submitted or approved ratings. The check is the same run, rolled back; a row as in the portal writes nothing."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import resources

from organizations import scoping
from organizations.models import GRASSROOTS_KINDS, Organization, OrgKind, Placement
from organizations.pickers import OrganizationPickerField
from organizations.resources import ChoiceWidget, Column, DecimalWidget, TextWidget, serial_column
from party_portal.excel_lists import unit_letterhead
from party_portal.imports import Kind, register
from party_portal.imports.reading import clean_row, column_named
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, ImportAborted, Report, change_text
from party_portal.imports.scope import NOT_ON_DATE
from party_portal.imports.workbook import template_workbook

from .. import rules, services
from ..forms import UNIT_REASONS
from ..models import Level, NotRatedReason, OrganizationRating, RatingYear, YearState
from ..resources import LEVEL_ABBREVIATIONS
from .ratings import RatingScopeForm

# The organizations a ratings file rates: the TCCSĐ (by the level above) and the cells (by their TCCSĐ).
RATED_KINDS = (*GRASSROOTS_KINDS, OrgKind.CELL)
CODE_TWICE = _("The code %(value)s is already on row %(row)s of this file.")
LEFT_AS_IS = _("No rating in the row: left as it is.")
NEEDS_SCOPE = _("Choose the part of the tree and the year the ratings are for.")
TEMPLATE_TITLE = _("Template: ratings of the organizations of %(org)s for %(year)s")
NOTES = (
    _("The grassroots organizations and cells in force on 31/12 of the year are listed, with their ratings so far."),
    _("A row left without a rating is left as it is; submitted or approved ratings are locked."),
)


class UnitReasonWidget(ChoiceWidget):
    """The reasons an organization is not rated: formed late in the year, or not rated yet."""

    def __init__(self):
        super().__init__(NotRatedReason)

    def labels(self):
        return [str(reason.label) for reason in UNIT_REASONS]

    def lookup(self):
        if self._lookup is None:
            self._lookup = {key: value for key, value in super().lookup().items() if value in UNIT_REASONS}
        return self._lookup


class OrganizationRatingResource(resources.ModelResource):
    """The ratings of the organizations of a subtree for one year, matched on the organization's code."""

    serial = serial_column()
    code = Column("code", _("Organization code"), required=True, example="DB0101", width=14)
    name = Column(
        "name",
        _("Organization name"),
        TextWidget(),
        example="Đảng bộ phường Bắc Sơn",
        width=40,
        help_text=_("For reading only: the organization is found by its code."),
    )
    level = Column(
        "level",
        _("Rating"),
        ChoiceWidget(Level, aliases=LEVEL_ABBREVIATIONS),
        example=Level.GOOD.label,
        width=30,
        help_text=_("A rating, or a reason for not rating: exactly one of the two."),
    )
    not_rated_reason = Column("not_rated_reason", _("Not rated because"), UnitReasonWidget(), example="", width=32)
    score = Column(
        "score",
        _("Score (from 2025)"),
        DecimalWidget(),
        example="",
        width=12,
        help_text=_("The 100-point score of 366-QĐ/TW; only from 2025."),
    )

    class Meta:
        model = OrganizationRating
        fields = ("serial", "code", "name", "level", "not_rated_reason", "score")
        import_id_fields = ("code",)


class OrganizationRatingImporter:
    resource = OrganizationRatingResource
    # Rows checked inside the upload request (each runs the rating service); larger files go to a Celery job.
    inline_rows = 300

    def __init__(self, *, actor, organization, year, **_scope):
        self.actor = actor
        self.root = organization
        self.year = year
        self.end = date(year.year, 12, 31)

    def check(self, sheet, progress):
        report = Report(plan=sheet)
        with transaction.atomic():
            self._run(sheet, report, progress)
            transaction.set_rollback(True)
        return report

    def write(self, checked, progress):
        """Run the service again, for real; anything refused now (a rating locked since the check) aborts."""
        report = Report()
        with transaction.atomic():
            self._run(checked.plan, report, progress)
            if not report.ok:
                transaction.set_rollback(True)
        if not report.ok:
            raise ImportAborted(report)
        report.written = {"organization_ratings": report.changes}
        return report

    def _run(self, sheet, report, progress):
        header = {column.attribute: sheet.header(column) for column in sheet.columns}
        rows = [clean_row(sheet, number, cells) for number, cells in sheet.rows]
        codes = {row.values["code"] for row in rows if row.values["code"]}
        organizations = self._organizations(codes)
        ratings = {
            r.organization_id: r
            for r in OrganizationRating.objects.filter(year=self.year, organization__in=organizations.values())
        }
        first_row = {}
        for done, row in enumerate(rows, start=1):
            values = row.values
            code = values["code"] or ""
            organization = organizations.get(code)
            if code in first_row:
                row.errors.append((header["code"], str(CODE_TWICE % {"value": code, "row": first_row[code]})))
            elif code:
                first_row[code] = row.number
            if code and organization is None:
                message = NOT_ON_DATE % {"code": code, "date": f"{self.end:%d/%m/%Y}"}
                row.errors.append((header["code"], str(message)))
            label = organization.name if organization is not None else values["name"] or ""
            entry = {
                "level": values["level"] or "",
                "not_rated_reason": values["not_rated_reason"] or "",
                "score": values["score"],
            }
            if not row.errors and not (entry["level"] or entry["not_rated_reason"] or entry["score"] is not None):
                # A row of the pre-filled template not filled in yet: the grid, too, saves only what is entered.
                report.add(row.number, UNCHANGED, code, label, str(LEFT_AS_IS))
                continue
            outcome, changes = NEW, ""
            if not row.errors:
                outcome, changes = self._outcome(ratings.get(organization.pk), entry, sheet)
                if outcome != UNCHANGED:
                    row.errors.extend(self._save(organization, entry, header))
            report.add(row.number, outcome, code, label, changes, row.errors)
            progress(done, len(rows))

    def _organizations(self, codes):
        """The organizations of the file's codes in force on 31/12 and in the subtree the file is for, by code:
        a code elsewhere (or outside the actor's part of the tree) is as unknown as one that does not exist."""
        root = Placement.objects.on(self.end).filter(organization=self.root).first()
        if root is None or not codes:
            return {}
        readable = scoping.visible_placements(self.actor, self.end).filter(path__startswith=root.path)
        return {
            placement.organization.code: placement.organization
            for placement in readable.filter(organization__code__in=codes).select_related("organization")
        }

    def _outcome(self, rating, entry, sheet):
        if rating is None:
            return NEW, _label("level", entry["level"]) or _label("not_rated_reason", entry["not_rated_reason"])
        old = {"level": rating.level, "not_rated_reason": rating.not_rated_reason, "score": rating.score}
        changes = [
            change_text(column_named(sheet, name), _label(name, value), _label(name, entry[name]))
            for name, value in old.items()
            if value != entry[name]
        ]
        return (UPDATED, "; ".join(changes)) if changes else (UNCHANGED, "")

    def _save(self, organization, entry, header):
        """The row through the pages' service, in a savepoint; its refusals, each in the column it is about."""
        try:
            with transaction.atomic():
                services.organization_rating_save(actor=self.actor, organization=organization, year=self.year, **entry)
        except PermissionDenied as error:
            return [(header["code"], str(error))]
        except ValidationError as error:
            about_score = {
                str(m)
                for m in rules.score_errors(organization.name, self.year.rule_set, entry["level"], entry["score"])
            }
            return [(header["score" if m in about_score else "level"], m) for m in map(str, error.messages)]
        return []


def _label(name, value):
    if value in (None, ""):
        return ""
    if name == "level":
        return str(Level(value).label)
    if name == "not_rated_reason":
        return str(NotRatedReason(value).label)
    return str(value)


def subtree_choices(actor):
    """Organizations above the cells that the actor may write in an open year (on its 31/12) or today."""
    days = [date(y, 12, 31) for y in RatingYear.objects.filter(state=YearState.OPEN).values_list("year", flat=True)]
    ids = set()
    for day in [*days, timezone.localdate()]:
        ids.update(scoping.visible_placements(actor, day, write=True).values_list("organization_id", flat=True))
    return Organization.objects.filter(pk__in=ids).exclude(kind__in=(OrgKind.CELL, OrgKind.GROUP)).order_by("code")


class SubtreeYearForm(RatingScopeForm):
    """The part of the tree (a district, a TCCSĐ…) and the year an organization ratings file is for."""

    to_chuc = OrganizationPickerField(label=_("Part of the tree"), write=True)
    choices = staticmethod(subtree_choices)
    missing = NEEDS_SCOPE


@register
class OrganizationRatingKind(Kind):
    slug = "xep-loai-to-chuc"
    label = _("Ratings of TCCSĐ and cells")
    help_text = _(
        "The year's ratings of the grassroots organizations and cells of a part of the tree (a whole district), "
        "as on the organization rating pages. The template lists them with their ratings so far; submitted or "
        "approved ratings are locked."
    )
    importer = OrganizationRatingImporter
    scope_form = SubtreeYearForm
    template_needs_scope = True
    template_button = _("Download the template with the organizations to rate")
    written_labels = {"organization_ratings": _("Organization ratings saved")}
    order = 35

    def check_scope(self, *, actor, organization=None, year=None, **params):
        if organization is None or year is None:
            raise ValidationError({"organization": NEEDS_SCOPE})
        scoping.require_access(actor, organization.pk, date(year.year, 12, 31), write=True)

    def template(self, *, actor, organization=None, year=None, **params):
        """The template of a subtree and year, listing its TCCSĐ and cells in force on 31/12 with their ratings."""
        end = date(year.year, 12, 31)
        scoping.require_access(actor, organization.pk, end)
        root = Placement.objects.on(end).get(organization=organization)
        placements = (
            scoping.visible_placements(actor, end)
            .filter(path__startswith=root.path, organization__kind__in=RATED_KINDS)
            .select_related("organization")
            .order_by("path")
        )
        placements = list(placements)
        rated = OrganizationRating.objects.filter(year=year, organization__in=[p.organization_id for p in placements])
        ratings = {r.organization_id: r for r in rated}
        columns = {c.attribute: c for c in OrganizationRatingResource().get_import_fields()}
        rows = []
        for placement in placements:
            unit = placement.organization
            values = {"code": unit.code, "name": unit.name}
            rating = ratings.get(unit.pk)
            if rating is not None:
                values.update(
                    level=columns["level"].widget.render(rating.level),
                    not_rated_reason=columns["not_rated_reason"].widget.render(rating.not_rated_reason),
                    score=rating.score,
                )
            rows.append(values)
        content = template_workbook(
            OrganizationRatingResource,
            title=TEMPLATE_TITLE % {"org": organization.name, "year": year.year},
            head=unit_letterhead(organization),
            rows=rows,
            notes=NOTES,
        )
        return content, f"xep-loai-to-chuc-{organization.code}-{year.year}.xlsx"
