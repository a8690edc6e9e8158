"""Biểu số 2-BTCTW, đảng viên mới kết nạp: the admissions (re-admissions included) of the period by group, for
this period and the same period a year before. Admissions of a unit that ended inside the period count where its
successor sits (docs/counting-rules.md §3)."""

from django.utils.translation import gettext_lazy as _

from members.models import ADMISSION_KINDS, CodeList, MovementEvent, MovementKind

from .bieu3 import AGE_BANDS, NO_RELIGION
from .common import COMPARED_COLUMNS, FormTable, code_rows, compared_line, this_and_last_year

# The coded analyses of the official form (II.1, II.3, II.4): (heading key, label, list, member field).
CODED = (
    ("occupations", _("1. Occupation at admission"), CodeList.OCCUPATION, "occupation_at_admission_id"),
    ("education", _("3. General education"), CodeList.EDUCATION, "general_education_id"),
    ("qualification", _("4. Professional qualification"), CodeList.QUALIFICATION, "qualification_id"),
)


def _age(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _band_key(age):
    for low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return f"age_{low}"
    return "age_under_18"


def _coded_rows():
    """{heading key: [(key, label, depth, code id)]} of the coded analyses."""
    return {
        heading: [(key, label, 1, pk) for key, label, pk in code_rows(code_list, heading.removesuffix("s"))]
        for heading, _label, code_list, _field in CODED
    }


def _rows(coded):
    ages = [(f"age_{low}", f"{low}–{high}" if high is not None else f"> {low - 1}", 1) for low, high in AGE_BANDS]
    occupations, education, qualification = ([row[:3] for row in coded[heading]] for heading, *_ in CODED)
    return (
        ("total", _("I. Members admitted in the period"), 0),
        ("women", _("of which: women"), 2),
        ("minority", _("of which: ethnic minorities"), 2),
        ("religion", _("of which: religious followers"), 2),
        ("youth_union", _("of which: members of the Hồ Chí Minh Communist Youth Union"), 2),
        ("readmitted", _("of which: re-admitted"), 2),
        ("analysis", _("II. Analysis of the members admitted"), 0),
        ("occupations", CODED[0][1], 0),
        *occupations,
        ("ages", _("2. Age on the day of admission"), 0),
        *ages,
        ("age_under_18", _("under 18 (check the date of birth)"), 1),
        ("education", CODED[1][1], 0),
        *education,
        ("qualification", CODED[2][1], 0),
        *qualification,
    )


HEADINGS = ("analysis", "occupations", "ages", "education", "qualification")


def figures(org_ids, period_start, period_end):
    """{row key: count} of the admissions dated in the period at the given organizations."""
    admissions = MovementEvent.objects.filter(
        organization_id__in=org_ids, kind__in=ADMISSION_KINDS, date__gte=period_start, date__lte=period_end
    ).values_list(
        "kind",
        "date",
        "member__gender",
        "member__ethnicity",
        "member__religion",
        "member__date_of_birth",
        "member__youth_union_at_admission",
        *(f"member__{field}" for *_, field in CODED),
    )
    coded = _coded_rows()
    key_of = [{pk: key for key, _l, _d, pk in coded[heading]} for heading, *_ in CODED]
    counts = dict.fromkeys((key for key, _l, _d in _rows(coded)), 0)
    counts.update(dict.fromkeys(HEADINGS))
    for kind, day, gender, ethnicity, religion, born, youth_union, *codes in admissions:
        counts["total"] += 1
        counts["women"] += gender == "F"
        counts["minority"] += ethnicity.casefold() != "kinh"
        counts["religion"] += religion not in NO_RELIGION
        counts["youth_union"] += youth_union is True
        counts["readmitted"] += kind == MovementKind.READMITTED
        counts[_band_key(_age(born, day))] += 1
        for keys, code in zip(key_of, codes, strict=True):
            counts[keys[code]] += 1
    return counts


def compute(*, actor, organization_id, period_start, period_end):
    """Biểu 2 for the scope over the period, the units that ended inside it included."""
    placement, now, before = this_and_last_year(actor, organization_id, period_start, period_end, figures)
    lines = []
    for key, label, depth in _rows(_coded_rows()):
        lines.append(compared_line(key, label, depth, now, before))
    return FormTable(
        form="bieu2",
        number="Biểu số 2-BTCTW",
        title=_("Statistics of newly admitted party members"),
        label_header=_("Item"),
        columns=COMPARED_COLUMNS,
        lines=tuple(lines),
        scope=placement.organization,
        period_start=period_start,
        period_end=period_end,
    )
