"""The member ratings file (xep-loai) of one TCCSĐ and one year: checked row by row with the rule set's hard rules,
then saved in one call to member_ratings_save, the same service (and the same lock on submitted or approved data)
as the grid."""

import re
from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organizations import scoping
from organizations.models import GRASSROOTS_KINDS, Organization
from organizations.pickers import OrganizationPickerField, resolve_among
from organizations.resources import NO, YES
from party_portal.excel_lists import unit_letterhead
from party_portal.imports import Kind, register
from party_portal.imports.forms import ScopeForm
from party_portal.imports.reading import clean_row, column_named
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, Report, change_text
from party_portal.imports.workbook import template_workbook

from .. import rules, services
from ..models import Level, MemberRating, NotRatedReason, RatingYear, Submission, YearState
from ..resources import MemberRatingResource

# A member who does not exist and one on another organization's rolls get the same message: a file names no one
# outside the organization it is for.
UNKNOWN_MEMBER = _("No member with the party record number %(value)s is on the rolls of %(org)s on 31/12/%(year)s.")
UNKNOWN_CARD = _("No member with the party card number %(value)s is on the rolls of %(org)s on 31/12/%(year)s.")
CARD_MISMATCH = _("The party card number %(value)s belongs to another member than the record number.")
ALREADY_IN_FILE = _("This member is already on row %(row)s of this file.")
RECORD_OR_CARD = _("Give the member's party record number (or party card number).")
LEFT_AS_IS = _("No rating in the row: left as it is.")
NEEDS_GRASSROOTS = _("Choose the grassroots organization (TCCSĐ) and the year the ratings are for.")
TEMPLATE_TITLE = _("Template: member ratings of %(org)s for %(year)s")
NOTES = (
    _("The members to rate on 31/12 of the year are listed; a row left without a rating is left as it is."),
    _("A not-rated reason that follows from the member's record (exempt, suspended, admitted late) is filled in."),
)


class RatingImporter:
    resource = MemberRatingResource
    inline_rows = 1000

    def __init__(self, *, actor, organization, year, **_scope):
        self.actor = actor
        self.organization = organization
        self.year = year

    def _refusal(self):
        """The reason no row of the file can be saved, or None: the same checks member_ratings_save starts with."""
        if self.organization.kind not in GRASSROOTS_KINDS:
            return services.NOT_GRASSROOTS
        try:
            scoping.require_access(self.actor, self.organization.pk, date(self.year.year, 12, 31), write=True)
            submission = Submission.objects.filter(organization=self.organization, year=self.year).first()
            services._require_open(self.year)
            if submission is not None:
                services._require_editable(submission)
        except (PermissionDenied, ValidationError) as error:
            return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return None

    def check(self, sheet, progress):
        report = Report()
        refusal = self._refusal()
        if refusal:
            report.file_error(refusal)
            return report
        rows = [clean_row(sheet, number, cells) for number, cells in sheet.rows]
        header = {column.attribute: sheet.header(column) for column in sheet.columns}
        for row in rows:
            row.values["record_number"] = re.sub(r"\s", "", row.values["record_number"] or "").upper()
        records = {r.values["record_number"] for r in rows if r.values["record_number"]}
        cards = {r.values["card_number"] for r in rows if r.values["card_number"]}
        allowed = services.members_to_rate(self.organization, self.year.year)
        on_rolls = Member.objects.filter(pk__in=allowed)
        by_record = dict(on_rolls.filter(record_number__in=records).values_list("record_number", "id"))
        by_card = dict(on_rolls.filter(card_number__in=cards).values_list("card_number", "id"))
        ids = set(by_record.values()) | set(by_card.values())
        facts = services.member_facts(ids, self.year.year)
        existing = {r.member_id: r for r in MemberRating.objects.filter(year=self.year, member_id__in=ids)}
        seen = {}
        entries = []
        for row in rows:
            member_id = self._member(row, header, by_record, by_card)
            if member_id is not None and member_id in seen:
                row.errors.append((header["record_number"], ALREADY_IN_FILE % {"row": seen[member_id]}))
            elif member_id is not None:
                seen[member_id] = row.number
            entry = self._entry(row, member_id)
            label = facts[member_id].name if member_id in facts else row.values["full_name"] or ""
            if not row.errors and not (entry["level"] or entry["not_rated_reason"] or entry["score"] is not None):
                # A row of the pre-filled template not filled in yet: the grid, too, saves only what is entered.
                report.add(row.number, UNCHANGED, row.values["record_number"], label, str(LEFT_AS_IS))
                continue
            if member_id is not None and member_id in facts and not row.errors:
                row.errors.extend(self._rule_errors(facts[member_id], entry, header))
            outcome, changes = self._outcome(existing.get(member_id), entry, sheet)
            report.add(row.number, outcome, row.values["record_number"], label, changes, row.errors)
            if not row.errors and outcome != UNCHANGED:
                entries.append(entry)
        progress(len(rows), len(rows), phase="checking")
        report.plan = entries
        return report

    def _member(self, row, header, by_record, by_card):
        record, card = row.values["record_number"], row.values["card_number"]
        if not record and not card:
            row.errors.append((header["record_number"], RECORD_OR_CARD))
            return None
        where = {"org": self.organization.name, "year": self.year.year}
        if record and record not in by_record:
            row.errors.append((header["record_number"], UNKNOWN_MEMBER % {"value": record, **where}))
            return None
        if card and card not in by_card:
            row.errors.append((header["card_number"], UNKNOWN_CARD % {"value": card, **where}))
            return None
        if record and card and by_record[record] != by_card[card]:
            row.errors.append((header["card_number"], CARD_MISMATCH % {"value": card}))
            return None
        return by_record[record] if record else by_card[card]

    def _entry(self, row, member_id):
        values = row.values
        return {
            "member_id": member_id,
            "level": values["level"] or "",
            "not_rated_reason": values["not_rated_reason"] or "",
            "score": values["score"],
            "long_sick_leave": bool(values["long_sick_leave"]),
        }

    def _rule_errors(self, facts, entry, header):
        """The rule set's hard-rule messages for the row, each placed in the column it is about."""
        kwargs = {
            "level": entry["level"],
            "reason": entry["not_rated_reason"],
            "score": entry["score"],
            "long_sick_leave": entry["long_sick_leave"],
        }
        messages = rules.member_rating_errors(facts, self.year.year, self.year.rule_set, **kwargs)
        score_messages = {
            str(m) for m in rules.score_errors(facts.name, self.year.rule_set, entry["level"], entry["score"])
        }
        reason = entry["not_rated_reason"]
        reason_message = None
        if reason and reason not in (NotRatedReason.PENDING, rules.derived_reason(facts, self.year.year)):
            params = {"name": facts.name, "year": self.year.year, "reason": NotRatedReason(reason).label}
            reason_message = str(rules.REASON_NOT_APPLICABLE % params)
        errors = []
        for message in map(str, messages):
            column = (
                "score" if message in score_messages else "not_rated_reason" if message == reason_message else "level"
            )
            errors.append((header[column], message))
        return errors

    def _outcome(self, rating, entry, sheet):
        if rating is None:
            return NEW, _label("level", entry["level"]) or _label("not_rated_reason", entry["not_rated_reason"])
        old = {
            "level": rating.level,
            "not_rated_reason": rating.not_rated_reason,
            "score": rating.score,
            "long_sick_leave": rating.long_sick_leave,
        }
        changes = []
        for name, value in old.items():
            new = entry[name]
            if value != new:
                changes.append(change_text(column_named(sheet, name), _label(name, value), _label(name, new)))
        if rating.organization_id != self.organization.pk:
            changes.append(change_text(_("Rating organization"), "", self.organization.code))
        return (UPDATED, "; ".join(changes)) if changes else (UNCHANGED, "")

    def write(self, report, progress):
        """Save the new and changed ratings through the grid's service: it checks everything again, under a lock."""
        entries = report.plan
        if entries:
            services.member_ratings_save(
                actor=self.actor, organization=self.organization, year=self.year, entries=entries
            )
        progress(len(entries), len(entries), phase="writing")
        report.written = {"ratings": len(entries)}
        return report


def _label(name, value):
    if value in (None, ""):
        return ""
    if name == "level":
        return str(Level(value).label)
    if name == "not_rated_reason":
        return str(NotRatedReason(value).label)
    if name == "long_sick_leave":
        return str(YES) if value else str(NO)
    return str(value)


def grassroots_choices(actor):
    """TCCSĐ the actor may rate in an open year (judged on 31/12 of each open year, and today), by code."""
    days = [date(y, 12, 31) for y in RatingYear.objects.filter(state=YearState.OPEN).values_list("year", flat=True)]
    ids = set()
    for day in [*days, timezone.localdate()]:
        ids.update(scoping.visible_placements(actor, day, write=True).values_list("organization_id", flat=True))
    return Organization.objects.filter(pk__in=ids, kind__in=GRASSROOTS_KINDS).order_by("code")


class RatingScopeForm(ScopeForm):
    """Which TCCSĐ and year a ratings file is for (to download its pre-filled template, or with the upload)."""

    # A search-as-you-type box (a code, or a name): a province's cadre may rate some 1,500 TCCSĐ.
    to_chuc = OrganizationPickerField(label=_("Grassroots organization (TCCSĐ)"), write=True)
    nam = forms.ModelChoiceField(
        label=_("Year"),
        queryset=RatingYear.objects.filter(state=YearState.OPEN).order_by("-year"),
        required=False,
        empty_label=None,
        to_field_name="year",
    )

    # The organizations offered to the actor, and the message when the organization or the year is missing.
    choices = staticmethod(grassroots_choices)
    missing = _("Choose the grassroots organization (TCCSĐ) and the year.")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        # A grassroots cadre has one TCCSĐ: the box comes filled with its code.
        if not self.is_bound:
            only = list(self.choices(actor)[:2])
            initial = dict(self.initial.items())
            if len(only) == 1 and not initial.get("to_chuc"):
                initial["to_chuc"] = only[0].code
            self.initial = initial

    def clean_to_chuc(self):
        text = (self.cleaned_data.get("to_chuc") or "").strip()
        return resolve_among(self.choices(self.actor), text) if text else None

    def clean(self):
        cleaned = super().clean()
        # A box refused already says why; "choose both" is for a box left empty.
        if not self.errors and (not cleaned.get("to_chuc") or not cleaned.get("nam")):
            raise forms.ValidationError(self.missing)
        return cleaned

    def scope(self):
        return {"organization": self.cleaned_data["to_chuc"], "year": self.cleaned_data["nam"]}


@register
class MemberRatingKind(Kind):
    slug = "xep-loai"
    label = _("Member ratings")
    help_text = _(
        "The year's ratings of the members of one grassroots organization, as on the rating grid. The template "
        "lists the members to rate; submitted or approved ratings are locked."
    )
    importer = RatingImporter
    scope_form = RatingScopeForm
    template_needs_scope = True
    template_button = _("Download the template with the members to rate")
    written_labels = {"ratings": _("Ratings saved")}
    order = 30

    def check_scope(self, *, actor, organization=None, year=None, **params):
        if organization is None or year is None or organization.kind not in GRASSROOTS_KINDS:
            raise ValidationError({"organization": NEEDS_GRASSROOTS})
        scoping.require_access(actor, organization.pk, date(year.year, 12, 31), write=True)

    def template(self, *, actor, organization=None, year=None, **params):
        """The template of one TCCSĐ and year, listing its members to rate with what is already entered."""
        scoping.require_access(actor, organization.pk, date(year.year, 12, 31))
        member_ids = services.members_to_rate(organization, year.year)
        facts = services.member_facts(member_ids, year.year)
        ratings = {r.member_id: r for r in MemberRating.objects.filter(year=year, member_id__in=member_ids)}
        columns = {c.attribute: c for c in MemberRatingResource().get_import_fields()}
        rows = []
        for member in Member.objects.filter(pk__in=member_ids).order_by("name_folded", "pk"):
            rating = ratings.get(member.pk)
            values = {
                "record_number": member.record_number,
                "card_number": member.card_number or "",
                "full_name": member.full_name,
            }
            if rating is not None:
                values.update(
                    level=columns["level"].widget.render(rating.level),
                    not_rated_reason=columns["not_rated_reason"].widget.render(rating.not_rated_reason),
                    score=rating.score,
                    long_sick_leave=columns["long_sick_leave"].widget.render(rating.long_sick_leave),
                )
            else:
                derived = rules.derived_reason(facts[member.pk], year.year)
                values["not_rated_reason"] = columns["not_rated_reason"].widget.render(derived)
            rows.append(values)
        content = template_workbook(
            MemberRatingResource,
            title=TEMPLATE_TITLE % {"org": organization.name, "year": year.year},
            head=unit_letterhead(organization),
            rows=rows,
            notes=NOTES,
        )
        return content, f"xep-loai-{organization.code}-{year.year}.xlsx"
