"""Biểu số 3-BTCTW, đội ngũ đảng viên: the members on the rolls on the period's last day by gender, probation,
ethnicity, religion, occupation, age band, general education, professional qualification and political theory
level, in the order of the official form."""

from datetime import date

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from members.models import CodeList, Membership, TheoryLevel, TheoryQualification

from .common import Column, FormTable, Line, code_rows, scope_placement, snapshot_org_ids

# Age bands of the form (RESEARCH §3.5): completed years on the last day of the period.
AGE_BANDS = ((18, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, 60), (61, None))
NO_RELIGION = ("", "Không")


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


def _age_q(day, low, high):
    """Born so as to be `low`..`high` years old (completed) on `day`."""
    q = Q(member__date_of_birth__lte=years_before(day, low))
    if high is not None:
        q &= Q(member__date_of_birth__gt=years_before(day, high + 1))
    return q


def _coded(code_list, prefix, field):
    """Rows of a coded list over a member field: a code's members, or those with none recorded."""
    return [
        (key, label, 1, Q(**{f"member__{field}": pk}) if pk is not None else Q(**{f"member__{field}__isnull": True}))
        for key, label, pk in code_rows(code_list, prefix)
    ]


def _rows(day):
    theory = [(f"theory_{level.name.lower()}", level.label, Q(theory=level.value)) for level in TheoryLevel]
    ages = []
    for low, high in AGE_BANDS:
        label = f"{low}–{high}" if high is not None else f"> {low - 1}"
        ages.append((f"age_{low}", label, _age_q(day, low, high)))
    young = Q(member__date_of_birth__gt=years_before(day, AGE_BANDS[0][0]))
    return (
        ("total", _("Party members on the rolls"), 0, Q()),
        ("women", _("of which: women"), 2, Q(member__gender="F")),
        ("probationary", _("of which: probationary members"), 2, Q(member__admission_date__gt=years_before(day, 1))),
        ("minority", _("of which: ethnic minorities"), 2, ~Q(member__ethnicity__iexact="Kinh")),
        ("religion", _("of which: religious followers"), 2, ~Q(member__religion__in=NO_RELIGION)),
        ("occupations", _("By occupation now"), 0, None),
        *_coded(CodeList.OCCUPATION, "occupation", "occupation_now_id"),
        ("ages", _("By age"), 0, None),
        *((key, label, 1, q) for key, label, q in ages),
        ("age_under_18", _("under 18 (check the date of birth)"), 1, young),
        ("education", _("By general education"), 0, None),
        *_coded(CodeList.EDUCATION, "education", "general_education_id"),
        ("qualification", _("By professional qualification"), 0, None),
        *_coded(CodeList.QUALIFICATION, "qualification", "qualification_id"),
        ("theory", _("By political theory level"), 0, None),
        *((key, label, 1, q) for key, label, q in theory),
    )


def compute(*, actor, organization_id, period_start, period_end):
    """Biểu 3 for the scope on the period's last day."""
    day = period_end
    placement = scope_placement(actor, organization_id, day)
    stints = (
        Membership.objects.filter(organization_id__in=snapshot_org_ids(actor, placement, day), start__lte=day)
        .exclude(end__lte=day)
        .annotate(
            theory=Coalesce(
                Subquery(
                    TheoryQualification.objects.filter(member=OuterRef("member_id"), obtained_on__lte=day)
                    .order_by()
                    .values("member")
                    .annotate(top=Max("level"))
                    .values("top")
                ),
                TheoryLevel.NONE.value,
            )
        )
    )
    rows = _rows(day)
    counts = stints.aggregate(**{key: Count("id", filter=q) for key, _l, _d, q in rows if q is not None})
    total = counts["total"]
    lines = []
    for key, label, depth, q in rows:
        if q is None:
            lines.append(Line(label, (None, None), 0, key))
            continue
        value = counts[key]
        lines.append(Line(label, (value, round(value * 100 / total, 2) if total else None), depth, key))
    return FormTable(
        form="bieu3",
        number="Biểu số 3-BTCTW",
        title=_("The body of party members"),
        label_header=_("Item"),
        columns=(Column(_("Members")), Column(_("Share of the total (%)"), "percent")),
        lines=tuple(lines),
        scope=placement.organization,
        period_start=period_start,
        period_end=period_end,
    )
