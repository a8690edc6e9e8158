"""The tracked measures of the program's other commitments in the registry (docs/counting-rules.md §7): each
source wraps one aggregate of indicators.tracked or indicators.tracked_records, each measure reads one key."""

from django.utils.translation import gettext_lazy as _

from evaluations import selectors as rating_selectors
from members.models import MovementKind
from organizations.models import Placement

from . import tracked
from . import tracked_records as records
from .measures import Measure, register_measure, register_source
from .selectors import drilldown as d

REMOVALS, DISCIPLINES, THEORY, NON_STATE = "tracked_removals", "tracked_disciplines", "tracked_theory", "non_state"
ADMISSION_GROUPS, COMMUNE_SECRETARIES = "admission_groups", "commune_secretaries"
CELL_SECRETARIES, ATTENDANCE = "cell_secretaries", "attendance"


def _org_ids(ctx):
    """The organizations of the counted subtree: the context's filter, or every node of the tree that day."""
    if ctx.org_filter:
        return ctx.org_filter["organization_id__in"]
    return Placement.objects.on(ctx.on).values("organization_id")


for _name, _collect in (
    (REMOVALS, tracked.removal_counts),
    (DISCIPLINES, tracked.discipline_counts),
    (THEORY, tracked.theory_counts),
    (NON_STATE, tracked.non_state_counts),
    (ADMISSION_GROUPS, records.admission_group_counts),
    (COMMUNE_SECRETARIES, records.secretary_chair_counts),
    (CELL_SECRETARIES, records.cell_secretary_head_counts),
    (ATTENDANCE, records.attendance_counts),
):
    register_source(_name, lambda ctx, collect=_collect: collect(ctx.year, _org_ids(ctx)))


def _removals(kind):
    return lambda **where: (d.ROWS_ADMISSIONS, tracked.removals_list(**where, kinds=(kind,)))


def _grassroots(**where):
    return rating_selectors.grassroots_ratings_list(**where)


def _non_state_rows(*, org_type="", **where):
    rows = _grassroots(**where, org_type=org_type).filter(organization__org_type__in=tracked.NON_STATE_TYPES)
    return d.ROWS_ORGANIZATIONS, rows


def _commune_rows(**where):
    return d.ROWS_ORGANIZATIONS, _grassroots(**where).filter(organization__org_type__in=records.COMMUNE_TYPES)


def _admissions(group=None):
    return lambda **where: (d.ROWS_ADMISSIONS, records.admissions_in_group_list(**where, group=group))


MEASURES = [
    ("members_struck_off", _("members struck off"), REMOVALS, "removed_struck_off", _removals(MovementKind.STRUCK_OFF)),
    ("members_expelled", _("members expelled"), REMOVALS, "removed_expelled", _removals(MovementKind.EXPELLED)),
    ("members_at_start_of_year", _("members on the rolls at the start of the year"), REMOVALS, "rolls_start", None),
    ("discipline_decisions", _("discipline decisions"), DISCIPLINES, "disciplined_total", None),
    (
        "members_theory_intermediate",
        _("members with intermediate political theory or higher"),
        THEORY,
        "theory_qualified",
        lambda **where: (d.ROWS_STINTS, tracked.theory_qualified_list(**where)),
    ),
    ("members_at_year_end", _("members on the rolls at the end of the year"), THEORY, "rolls_end", None),
    ("non_state_tccsd", _("TCCSĐ in non-state enterprises"), NON_STATE, "non_state_tccsd", _non_state_rows),
    ("year_admissions", _("admissions of the year"), ADMISSION_GROUPS, "admitted_total", _admissions()),
    ("commune_level_tccsd", _("commune-level TCCSĐ"), COMMUNE_SECRETARIES, "commune_secretary_total", _commune_rows),
    (
        "secretaries_commune_chairs",
        _("commune-level TCCSĐ whose secretary chairs the commune People's Council or Committee"),
        COMMUNE_SECRETARIES,
        "commune_secretary_holding",
        lambda **where: (d.ROWS_SEATS, records.secretaries_holding_list(**where)),
    ),
    ("residential_cells", _("residential party cells"), CELL_SECRETARIES, "cell_secretary_total", None),
    (
        "cell_secretaries_village_heads",
        _("residential cells whose secretary is village or residential-group head"),
        CELL_SECRETARIES,
        "cell_secretary_holding",
        lambda **where: (d.ROWS_SEATS, records.secretaries_holding_list(**where, residential=True)),
    ),
    ("cell_meetings_held", _("cell meetings held with a committee member assigned"), ATTENDANCE, "meetings_held", None),
    ("cell_meetings_attended", _("cell meetings attended by committee members"), ATTENDANCE, "meetings_attended", None),
    ("cells_recording_attendance", _("cells that recorded the attendance"), ATTENDANCE, "attendance_cells", None),
    ("party_cells", _("party cells (chi bộ trực thuộc)"), ATTENDANCE, "cells_total", None),
]
GROUP_LABELS = {
    "YOUTH_UNION": _("admissions of youth union members"),
    "PRIVATE_WORKER": _("admissions of workers in non-state enterprises"),
    "INTELLECTUAL": _("admissions of intellectuals"),
    "STUDENT": _("admissions of pupils and students"),
    "RESERVIST_MILITIA": _("admissions of reservists and militia"),
    "ETHNIC_MINORITY": _("admissions of ethnic minority people"),
    "RELIGIOUS": _("admissions of religious followers"),
}
MEASURES += [
    (f"admitted_{group.lower()}", label, ADMISSION_GROUPS, f"admitted_{group.lower()}", _admissions(group))
    for group, label in GROUP_LABELS.items()
]

for _name, _label, _source, _key, _rows in MEASURES:
    register_measure(
        Measure(name=_name, label=_label, source=_source, value=lambda counts, key=_key: counts[key], rows=_rows)
    )
