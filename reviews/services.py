"""Every write of the reporting cycle: the list of reporting units and their due dates (the Board), the plans and
the yearly reviews (the unit, or the Board for a unit outside the tree), the reviews' workflow draft → submitted →
received, or returned with a reason and submitted again.

A review's figures are frozen at each submission (the figures of the six targets of the unit's subtree, as the
compliance JSON writes them); `submitted_at` keeps the first submission, which is what lateness counts from.
"""

from datetime import date
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import DefinitionKind
from indicators.selectors import compliance
from indicators.selectors.figures import definition_dict
from organizations import policy, scoping

from .duties import acting_day
from .models import (
    SECTIONS,
    DueDate,
    DutyKind,
    ImplementationPlan,
    ReportingUnit,
    ReportingUnitKind,
    ReviewAttachment,
    ReviewStatus,
    YearlyReview,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The first bytes of each kind of file accepted: a PDF starts "%PDF", a DOCX or XLSX is a zip archive.
MAGIC = {".pdf": b"%PDF", ".docx": b"PK\x03\x04", ".xlsx": b"PK\x03\x04"}
PLAN_EXTENSIONS = (".pdf", ".docx")
ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".xlsx")

FILE_TOO_LARGE = _("The file “%(name)s” is larger than 10 MB.")
FILE_WRONG_KIND = _("The file “%(name)s” must be one of: %(kinds)s.")
FILE_NOT_WHAT_IT_SAYS = _("The file “%(name)s” is not a real %(kind)s file.")
FILE_EMPTY = _("The file “%(name)s” is empty.")
UNIT_CODE_REQUIRED = _("Enter the unit's code.")
UNIT_NAME_REQUIRED = _("Enter the unit's name.")
UNIT_COMMITTEE_NEEDS_ORG = _("A district-level committee is an organization of the tree: choose it.")
UNIT_OTHER_NO_ORG = _("Only a district-level committee is an organization of the tree.")
UNIT_DATES_ORDER = _("The end date must not be before the start date.")
UNIT_CODE_TAKEN = _("A reporting unit with this code already exists in the program.")
UNIT_ORG_TAKEN = _("This organization already reports on the program.")
DUE_YEAR_OUTSIDE = _("The year %(year)s is not a year of the program (%(first)s–%(last)s).")
DUE_DATE_REQUIRED = _("Enter the due date.")
PLAN_NUMBER_REQUIRED = _("Enter the plan's number.")
PLAN_TITLE_REQUIRED = _("Enter the plan's title.")
PLAN_DATE_FUTURE = _("The plan's date cannot be in the future.")
PLAN_DUPLICATE = _("This unit already recorded a plan with this number and date.")
PLAN_NOT_OWED = _("This unit does not owe an implementation plan.")
REVIEW_NOT_OWED = _("%(unit)s does not owe a review of %(year)s.")
REVIEW_YEAR_NOT_STARTED = _("The year %(year)s has not started yet: its review cannot be submitted.")
REVIEW_EXISTS = _("This unit already has a review of this year.")
REVIEW_NOT_EDITABLE = _("This review is %(status)s: it can no longer be changed.")
REVIEW_NOT_SUBMITTED = _("Only a submitted review can be received or returned; this one is %(status)s.")
REVIEW_EMPTY = _("Write at least the section “Results achieved” before submitting.")
RETURN_REASON_REQUIRED = _("Say why the review is returned.")
UNIT_OUTSIDE = _("This reporting unit is outside the part of the tree you are responsible for.")


def _require_manage(actor):
    policy.require(actor, policy.MANAGE_REPORTING)


def _require_submit(actor, unit):
    """A committee's cadre acts for it; a unit outside the tree reports through the province, whose write roles
    (the Board) record for it."""
    policy.require(actor, policy.SUBMIT_REVIEWS, unit.parent_id, on=acting_day(unit))


def _require_receive(actor, unit):
    policy.require(actor, policy.RECEIVE_REVIEWS, unit.parent_id, on=acting_day(unit))


def _checked_file(upload, extensions):
    """Refuse a file by its size before reading it, then by its extension and its first bytes."""
    name = PurePosixPath(upload.name or "").name
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(FILE_TOO_LARGE, params={"name": name}, code="too_large")
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in extensions:
        kinds = ", ".join(extensions)
        raise ValidationError(FILE_WRONG_KIND, params={"name": name, "kinds": kinds}, code="wrong_kind")
    upload.seek(0)
    head = upload.read(len(MAGIC[suffix]))
    upload.seek(0)
    if not head:
        raise ValidationError(FILE_EMPTY, params={"name": name}, code="empty")
    if head != MAGIC[suffix]:
        raise ValidationError(
            FILE_NOT_WHAT_IT_SAYS, params={"name": name, "kind": suffix[1:].upper()}, code="wrong_magic"
        )
    return name


# --- reporting units and due dates (the Board) -------------------------------------------------------------


def _unit_fields_check(*, kind, organization, valid_from, valid_to, code, name):
    errors = {}
    if not (code or "").strip():
        errors["code"] = UNIT_CODE_REQUIRED
    if not (name or "").strip():
        errors["name"] = UNIT_NAME_REQUIRED
    if kind == ReportingUnitKind.COMMITTEE and organization is None:
        errors["organization"] = UNIT_COMMITTEE_NEEDS_ORG
    if kind != ReportingUnitKind.COMMITTEE and organization is not None:
        errors["organization"] = UNIT_OTHER_NO_ORG
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = UNIT_DATES_ORDER
    if errors:
        raise ValidationError(errors)


def _unit_unique(*, program, code, organization, exclude=None):
    others = ReportingUnit.objects.filter(program=program).exclude(pk=exclude)
    if others.filter(code=code).exists():
        raise ValidationError({"code": UNIT_CODE_TAKEN})
    if organization is not None and others.filter(organization=organization).exists():
        raise ValidationError({"organization": UNIT_ORG_TAKEN})


def _province_of(actor, on):
    """The province the Board acts in: the top of its part of the tree."""
    placement = scoping.visible_placements(actor, on, write=True).order_by("depth").first()
    if placement is None:
        raise PermissionDenied(scoping.NOT_IN_SCOPE)
    return placement.organization


@transaction.atomic
def reporting_unit_create(
    *,
    actor,
    program,
    code,
    name,
    kind,
    valid_from,
    organization=None,
    valid_to=None,
    owes_plan=True,
    owes_reviews=True,
    parent=None,
):
    """Add a unit to the program's reporting list (the Board): a committee is its own organization and reports
    through itself; a unit outside the tree reports through the province."""
    _require_manage(actor)
    code, name = (code or "").strip(), (name or "").strip()
    _unit_fields_check(
        kind=kind, organization=organization, valid_from=valid_from, valid_to=valid_to, code=code, name=name
    )
    if organization is not None:
        parent = organization
    elif parent is None:
        parent = _province_of(actor, scoping.today())
    # An abolished district is still added (its reviews up to 2024 are owed): checked on its last day.
    on = scoping.today()
    if organization is not None and organization.valid_to is not None and organization.valid_to < on:
        on = organization.valid_to
    policy.require(actor, policy.MANAGE_REPORTING, parent.pk, on=on)
    _unit_unique(program=program, code=code, organization=organization)
    unit = ReportingUnit(
        program=program,
        code=code,
        name=name,
        kind=kind,
        organization=organization,
        parent=parent,
        owes_plan=owes_plan,
        owes_reviews=owes_reviews,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    unit._history_user = actor
    unit.save()
    return unit


UNIT_EDITABLE = ("code", "name", "owes_plan", "owes_reviews", "valid_from", "valid_to")


@transaction.atomic
def reporting_unit_update(*, actor, unit, **changes):
    """Change a reporting unit's code, name, duties or dates (the Board). Its kind and organization stay: a
    different committee is a different unit."""
    _require_manage(actor)
    policy.require(actor, policy.MANAGE_REPORTING, unit.parent_id, on=acting_day(unit))
    unknown = set(changes) - set(UNIT_EDITABLE)
    if unknown:
        raise ValueError(f"reporting_unit_update cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(unit, field, value.strip() if isinstance(value, str) else value)
    _unit_fields_check(
        kind=unit.kind,
        organization=unit.organization,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        code=unit.code,
        name=unit.name,
    )
    _unit_unique(program=unit.program, code=unit.code, organization=unit.organization, exclude=unit.pk)
    unit._history_user = actor
    unit.save(update_fields=list(changes))
    return unit


def reporting_unit_end(*, actor, unit, valid_to):
    """End a unit's duties on a date (the Board): it owes no review of a year it does not reach the end of."""
    return reporting_unit_update(actor=actor, unit=unit, valid_to=valid_to)


@transaction.atomic
def due_date_set(*, actor, program, kind, due_on, year=None, unit=None):
    """Set when a plan or a year's review is due (the Board): the program's default without a unit, that unit's
    own date with one. Setting it again changes it."""
    _require_manage(actor)
    if unit is not None:
        policy.require(actor, policy.MANAGE_REPORTING, unit.parent_id, on=acting_day(unit))
    if due_on is None:
        raise ValidationError({"due_on": DUE_DATE_REQUIRED})
    if kind == DutyKind.PLAN:
        year = None
    elif year not in program.years:
        params = {"year": year, "first": program.first_year, "last": program.last_year}
        raise ValidationError({"year": ValidationError(DUE_YEAR_OUTSIDE, params=params)})
    row = DueDate.objects.filter(program=program, kind=kind, year=year, unit=unit).first()
    if row is None:
        row = DueDate(program=program, kind=kind, year=year, unit=unit, due_on=due_on)
        row._history_user = actor
        row.save()
    elif row.due_on != due_on:
        row.due_on = due_on
        row._history_user = actor
        row.save(update_fields=["due_on"])
    return row


@transaction.atomic
def due_date_clear(*, actor, row):
    """Remove a unit's own due date (the Board): the program's default applies to it again."""
    _require_manage(actor)
    if row.unit_id is not None:
        policy.require(actor, policy.MANAGE_REPORTING, row.unit.parent_id, on=acting_day(row.unit))
    row._history_user = actor
    row.delete()


# --- implementation plans ------------------------------------------------------------------------------------


@transaction.atomic
def plan_record(*, actor, unit, number, issued_on, title, document=None):
    """Record a plan the unit issued, by the unit or the Board; the file (PDF or DOCX, ≤ 10 MB) is optional."""
    _require_submit(actor, unit)
    if not unit.owes_plan:
        raise ValidationError(PLAN_NOT_OWED, code="not_owed")
    number, title = (number or "").strip(), (title or "").strip()
    errors = {}
    if not number:
        errors["number"] = PLAN_NUMBER_REQUIRED
    if not title:
        errors["title"] = PLAN_TITLE_REQUIRED
    if issued_on is not None and issued_on > timezone.localdate():
        errors["issued_on"] = PLAN_DATE_FUTURE
    if errors:
        raise ValidationError(errors)
    if document is not None:
        try:
            _checked_file(document, PLAN_EXTENSIONS)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error
    if ImplementationPlan.objects.filter(unit=unit, number=number, issued_on=issued_on).exists():
        raise ValidationError({"number": PLAN_DUPLICATE})
    plan = ImplementationPlan(
        unit=unit, number=number, issued_on=issued_on, title=title, recorded_by=actor, recorded_at=timezone.now()
    )
    if document is not None:
        plan.document.save(PurePosixPath(document.name).name, document, save=False)
    plan._history_user = actor
    plan.save()
    return plan


# --- yearly reviews -----------------------------------------------------------------------------------------


def _owes(unit, year):
    end = date(year, 12, 31)
    return (
        unit.owes_reviews
        and year in unit.program.years
        and unit.valid_from <= end
        and (unit.valid_to is None or unit.valid_to >= end)
    )


@transaction.atomic
def review_start(*, actor, unit, year):
    """Open the unit's review of a year as a draft (the unit, or the Board for a unit outside the tree)."""
    _require_submit(actor, unit)
    if not _owes(unit, year):
        raise ValidationError(REVIEW_NOT_OWED, params={"unit": unit.name, "year": year}, code="not_owed")
    if YearlyReview.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(REVIEW_EXISTS, code="exists")
    now = timezone.now()
    review = YearlyReview(unit=unit, year=year, created_by=actor, created_at=now, updated_at=now)
    review._history_user = actor
    review.save()
    return review


def _lock(review):
    return YearlyReview.objects.select_for_update().select_related("unit__program").get(pk=review.pk)


def _require_editable(review):
    if not review.is_editable:
        raise ValidationError(REVIEW_NOT_EDITABLE, params={"status": review.get_status_display()}, code="locked")


@transaction.atomic
def review_update(*, actor, review, **sections):
    """Save the narrative sections of a draft or returned review."""
    review = _lock(review)
    _require_submit(actor, review.unit)
    _require_editable(review)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"review_update cannot change {sorted(unknown)}")
    for name, text in sections.items():
        setattr(review, name, (text or "").strip())
    review.updated_at = timezone.now()
    review._history_user = actor
    review.save(update_fields=[*sections, "updated_at"])
    return review


@transaction.atomic
def review_attach(*, actor, review, upload):
    """Attach a file (PDF, DOCX or XLSX, ≤ 10 MB) to a draft or returned review."""
    review = _lock(review)
    _require_submit(actor, review.unit)
    _require_editable(review)
    try:
        name = _checked_file(upload, ATTACHMENT_EXTENSIONS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    attachment = ReviewAttachment(review=review, name=name[:255], uploaded_by=actor, uploaded_at=timezone.now())
    attachment.file.save(name, upload, save=False)
    attachment._history_user = actor
    attachment.save()
    return attachment


@transaction.atomic
def review_detach(*, actor, attachment):
    """Remove an attachment while its review is a draft or returned."""
    review = _lock(attachment.review)
    _require_submit(actor, review.unit)
    _require_editable(review)
    attachment._history_user = actor
    attachment.delete()


def figures_payload(result, node):
    """What a review keeps of a node of a Compliance: the node's six target figures and their definitions, in the
    compliance JSON's shapes (docs/compliance-json.md), so a review reads the same after a definition changes."""
    targets = [code for code, d in result.definitions.items() if d.kind == DefinitionKind.TARGET]
    scope = node.as_dict()
    scope["indicators"] = {code: scope["indicators"][code] for code in targets if code in scope["indicators"]}
    return {
        "program": result.program.code,
        "year": result.year,
        "as_of": result.as_of.isoformat(),
        "provisional": result.provisional,
        "scope": scope,
        "definitions": [
            definition_dict(result.definitions[code], result.rules[code]) for code in targets if code in result.rules
        ],
    }


def frozen_figures(*, actor, unit, year):
    """The unit's figures of the six targets for the year, live from the records, or None for a unit outside the
    tree."""
    if not unit.in_tree:
        return None
    result = compliance(actor=actor, year=year, scope_id=unit.organization_id, program=unit.program)
    return figures_payload(result, result.scope)


@transaction.atomic
def review_submit(*, actor, review):
    """Submit a draft or returned review: its figures are frozen now; the first submission's time stays."""
    review = _lock(review)
    unit = review.unit
    _require_submit(actor, unit)
    _require_editable(review)
    if not _owes(unit, review.year):
        raise ValidationError(REVIEW_NOT_OWED, params={"unit": unit.name, "year": review.year}, code="not_owed")
    if timezone.localdate() < date(review.year, 1, 1):
        raise ValidationError(REVIEW_YEAR_NOT_STARTED, params={"year": review.year}, code="not_started")
    if not review.achievements.strip():
        raise ValidationError({"achievements": REVIEW_EMPTY})
    now = timezone.now()
    review.figures = frozen_figures(actor=actor, unit=unit, year=review.year)
    review.figures_as_of = now if review.figures is not None else None
    review.status = ReviewStatus.SUBMITTED
    fields = ["status", "figures", "figures_as_of", "updated_at"]
    if review.submitted_at is None:
        review.submitted_at, review.submitted_by = now, actor
        fields += ["submitted_at", "submitted_by"]
    review.updated_at = now
    review._history_user = actor
    review.save(update_fields=fields)
    return review


@transaction.atomic
def review_return(*, actor, review, reason):
    """Return a submitted review to its unit with a reason (the Board): it becomes editable again."""
    review = _lock(review)
    _require_receive(actor, review.unit)
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError(
            REVIEW_NOT_SUBMITTED, params={"status": review.get_status_display()}, code="not_submitted"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": RETURN_REASON_REQUIRED})
    now = timezone.now()
    review.status, review.return_reason = ReviewStatus.RETURNED, reason
    review.decided_by, review.decided_at, review.updated_at = actor, now, now
    review._history_user = actor
    review._change_reason = reason[:100]
    review.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"])
    return review


@transaction.atomic
def review_receive(*, actor, review):
    """Receive a submitted review (the Board): from then on it never changes."""
    review = _lock(review)
    _require_receive(actor, review.unit)
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError(
            REVIEW_NOT_SUBMITTED, params={"status": review.get_status_display()}, code="not_submitted"
        )
    now = timezone.now()
    review.status = ReviewStatus.RECEIVED
    review.decided_by, review.decided_at, review.updated_at = actor, now, now
    review._history_user = actor
    review.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return review
