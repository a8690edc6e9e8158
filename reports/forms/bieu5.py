"""Biểu số 5-BTCTW, tổ chức đảng và đảng viên trong các loại hình cơ sở: per type of TCCSĐ, the đảng bộ cơ sở and
chi bộ cơ sở, the đảng bộ bộ phận and chi bộ trực thuộc under them, and their members, on the period's last day."""

from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from members.models import Membership
from organizations import scoping
from organizations.models import OrgKind, OrgType

from .common import Column, FormTable, Line, scope_placement

# The rows of the form, in its order (9. Doanh nghiệp và hợp tác xã gathers the three enterprise kinds and HTX).
ROWS = (
    (OrgType.COMMUNE, "1"),
    (OrgType.WARD, "2"),
    (OrgType.TOWNSHIP, "3"),
    (OrgType.PARTY_MASS_AGENCY, "4"),
    (OrgType.STATE_AGENCY, "5"),
    (OrgType.PUBLIC_SERVICE_UNIT, "6a"),
    (OrgType.NON_PUBLIC_SERVICE_UNIT, "6b"),
    (OrgType.ARMY, "7"),
    (OrgType.POLICE, "8"),
    (OrgType.STATE_ENTERPRISE, "9a"),
    (OrgType.PRIVATE_ENTERPRISE, "9b"),
    (OrgType.FOREIGN_INVESTED_ENTERPRISE, "9b*"),
    (OrgType.COOPERATIVE, "9c"),
    (OrgType.OVERSEAS, "10"),
    (OrgType.OTHER, "11"),
)
COLUMNS = ("tccsd", "committees", "cells", "sub_committees", "sub_cells", "members")


def _counts(actor, placement, on):
    """{org type: Counter of COLUMNS} for the scope's subtree on `on`."""
    placements = list(
        scoping.visible_placements(actor, on)
        .filter(path__startswith=placement.path)
        .values_list("organization_id", "path", "organization__kind", "organization__org_type")
    )
    type_of = {org_id: org_type for org_id, _p, kind, org_type in placements if org_type}
    members = dict(
        Membership.objects.filter(organization_id__in=[p[0] for p in placements], start__lte=on)
        .exclude(end__lte=on)
        .values("organization_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("organization_id", "n")
    )
    table = {org_type: Counter() for org_type, _n in ROWS}
    for org_id, path, kind, _type in placements:
        # The TCCSĐ the node is or sits under: the nearest node of the path that has a type.
        tccsd_type = next((type_of[int(i)] for i in reversed(path.strip("/").split("/")) if int(i) in type_of), None)
        if tccsd_type is None:
            continue
        row = table[tccsd_type]
        row["members"] += members.get(org_id, 0)
        if kind == OrgKind.GRASSROOTS_COMMITTEE:
            row["committees"] += 1
        elif kind == OrgKind.GRASSROOTS_CELL:
            row["cells"] += 1
        elif kind == OrgKind.SUB_COMMITTEE:
            row["sub_committees"] += 1
        elif kind == OrgKind.CELL:
            row["sub_cells"] += 1
        row["tccsd"] = row["committees"] + row["cells"]
    return table


def compute(*, actor, organization_id, period_start, period_end):
    """Biểu 5 for the scope on the period's last day (the tree as it stood that day)."""
    placement = scope_placement(actor, organization_id, period_end)
    table = _counts(actor, placement, period_end)
    total = Counter()
    lines = []
    for org_type, number in ROWS:
        row = table[org_type]
        total.update(row)
        label = f"{number}. {OrgType(org_type).label}"
        lines.append(Line(label, tuple(row[c] for c in COLUMNS), 1, org_type.lower()))
    lines.append(Line(_("Total (1 + … + 11)"), tuple(total[c] for c in COLUMNS), 0, "total"))
    return FormTable(
        form="bieu5",
        number="Biểu số 5-BTCTW",
        title=_("Party organizations and members by type of grassroots unit"),
        label_header=_("Type of grassroots party organization"),
        columns=(
            Column(_("Grassroots party organizations: total")),
            Column(_("Grassroots party committees")),
            Column(_("Grassroots party cells")),
            Column(_("Sub-committees")),
            Column(_("Cells under a grassroots committee")),
            Column(_("Party members")),
        ),
        lines=tuple(lines),
        scope=placement.organization,
        period_start=period_start,
        period_end=period_end,
        notes=(
            _("Members are counted in the type of the grassroots organization they belong to, its cells included."),
        ),
    )
