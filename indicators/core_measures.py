"""The measures of the program's targets: ratings of TCCSĐ and members, admissions, committees."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from evaluations import selectors as rating_selectors
from evaluations.models import GOOD_OR_BETTER, Level, NotRatedReason
from members.models import MovementKind, TheoryLevel

from .measures import Measure, register_measure
from .selectors import counts as c
from .selectors import drilldown as d

LEVELS = c.LEVELS
THEORY_KEYS = [(level.name, f"t4_theory_{level.value}") for level in TheoryLevel]
# Not-rated reasons the report always shows as columns beside a denominator (RESEARCH §5: the forms print
# them even when empty); any other reason gets a column when it occurs.
ORG_REASONS = (NotRatedReason.NEW_ORGANIZATION, NotRatedReason.PENDING)
MEMBER_REASONS = (NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED, NotRatedReason.NEW_MEMBER, NotRatedReason.PENDING)


# The counts' keys are joined once here, not per figure, and read with get(key, 0) (what a Counter gives for a
# missing key, without its Python-level __missing__): a province's dashboard builds some thousand figures.


def _levels(prefix):
    keys = [(level, f"{prefix}{level}") for level in LEVELS]
    return lambda counts: {level: counts.get(key, 0) for level, key in keys}


def _sum(prefix, levels):
    keys = [f"{prefix}{level}" for level in levels]
    return lambda counts: sum(counts.get(key, 0) for key in keys)


def _not_rated(prefix):
    keys = [f"{prefix}{level}" for level in LEVELS]

    def not_rated(counts):
        rated = sum(counts.get(key, 0) for key in keys)
        return c.not_rated_breakdown(counts, prefix, rated)

    return not_rated


def _org_rows(levels):
    return lambda **where: (d.ROWS_ORGANIZATIONS, rating_selectors.grassroots_ratings_list(**where, levels=levels))


def _member_rows(levels):
    return lambda **where: (d.ROWS_RATINGS, rating_selectors.member_ratings_list(**where, levels=levels))


def _words(more, spare, too_many=None, allows=None):
    return {"more": more, "spare": spare, "too_many": too_many, "allows": allows}


TCCSD_WORDS = _words(
    lambda n: ngettext("needs %(n)s more TCCSĐ", "needs %(n)s more TCCSĐ", n),
    lambda n: ngettext("%(n)s TCCSĐ to spare", "%(n)s TCCSĐ to spare", n),
    lambda n: ngettext("%(n)s TCCSĐ too many", "%(n)s TCCSĐ too many", n),
    lambda n: ngettext("still allows %(n)s TCCSĐ", "still allows %(n)s TCCSĐ", n),
)
MEMBER_WORDS = _words(
    lambda n: ngettext("needs %(n)s more member", "needs %(n)s more members", n),
    lambda n: ngettext("%(n)s member to spare", "%(n)s members to spare", n),
    lambda n: ngettext("%(n)s member too many", "%(n)s members too many", n),
    lambda n: ngettext("still allows %(n)s member", "still allows %(n)s members", n),
)
ADMISSION_WORDS = _words(
    lambda n: ngettext("needs %(n)s more admission", "needs %(n)s more admissions", n),
    lambda n: ngettext("%(n)s admission to spare", "%(n)s admissions to spare", n),
)
QUALIFIED_WORDS = _words(
    lambda n: ngettext(
        "needs %(n)s more qualified committee member", "needs %(n)s more qualified committee members", n
    ),
    lambda n: ngettext("%(n)s qualified committee member to spare", "%(n)s qualified committee members to spare", n),
)

for name, label, levels, words in (
    ("grassroots_rated", _("TCCSĐ rated"), LEVELS, TCCSD_WORDS),
    ("grassroots_good", _("TCCSĐ rated well completed or better"), GOOD_OR_BETTER, TCCSD_WORDS),
    ("grassroots_not_completed", _("TCCSĐ rated not completed"), (Level.NOT_COMPLETED,), TCCSD_WORDS),
):
    register_measure(
        Measure(
            name=name,
            label=label,
            source=c.ORG_RATINGS,
            value=_sum("t1_", levels),
            total=lambda counts: counts["t1_total"],
            not_rated=_not_rated("t1_"),
            breakdown=_levels("t1_"),
            rows=_org_rows(levels),
            not_rated_rows=lambda **where: (
                d.ROWS_ORGANIZATIONS,
                rating_selectors.grassroots_ratings_list(**where),
            ),
            missing_rows=lambda **where: (
                d.ROWS_ORGANIZATIONS,
                rating_selectors.grassroots_ratings_list(**where, missing=True),
            ),
            extra={"margin_words": words, "shown_reasons": ORG_REASONS},
        )
    )

for name, label, levels in (
    ("members_rated", _("members rated"), LEVELS),
    ("members_good", _("members rated well completed or better"), GOOD_OR_BETTER),
    ("members_not_completed", _("members rated not completed"), (Level.NOT_COMPLETED,)),
):
    register_measure(
        Measure(
            name=name,
            label=label,
            source=c.MEMBER_RATINGS,
            value=_sum("t2_", levels),
            total=lambda counts: counts["t2_total"],
            not_rated=_not_rated("t2_"),
            breakdown=_levels("t2_"),
            rows=_member_rows(levels),
            not_rated_rows=lambda **where: (d.ROWS_RATINGS, rating_selectors.member_ratings_list(**where)),
            missing_rows=lambda **where: (d.ROWS_STINTS, rating_selectors.members_unrated_list(**where)),
            extra={"margin_words": MEMBER_WORDS, "shown_reasons": MEMBER_REASONS},
        )
    )

register_measure(
    Measure(
        name="admissions",
        label=_("admissions in %(year)s"),
        source=c.ADMISSIONS,
        value=lambda counts: counts["t3_admissions"],
        breakdown=lambda counts: {MovementKind.READMITTED.value: counts["t3_readmissions"]},
        rows=lambda **where: (d.ROWS_ADMISSIONS, d.admissions_list(**where)),
        extra={"margin_words": ADMISSION_WORDS, "label_has_year": True},
    )
)
register_measure(
    Measure(
        name="rolls_at_start",
        label=_("members on the rolls on 31/12/%(year)s"),
        source=c.ADMISSIONS,
        value=lambda counts: counts["t3_base"],
        rows=lambda **where: (d.ROWS_STINTS, d.rolls_at_start_list(**where)),
        extra={"label_has_year": True, "label_year_offset": -1},
    )
)
register_measure(
    Measure(
        name="committee_members",
        label=_("TCCSĐ committee members"),
        source=c.COMMITTEES,
        value=lambda counts: counts["t4_total"],
        rows=lambda **where: (d.ROWS_SEATS, d.committee_holders_list(**where)),
    )
)
register_measure(
    Measure(
        name="committee_members_qualified",
        label=_("with intermediate theory or higher"),
        source=c.COMMITTEES,
        value=lambda counts: counts["t4_qualified"],
        breakdown=lambda counts: {name: counts.get(key, 0) for name, key in THEORY_KEYS},
        rows=lambda **where: (d.ROWS_SEATS, d.committee_holders_list(**where, qualified=True)),
        extra={"margin_words": QUALIFIED_WORDS},
    )
)
