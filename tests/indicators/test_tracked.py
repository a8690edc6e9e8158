"""Tracked figures of docs/counting-rules.md §7, counted by hand on a small province for 2024.

The `tree` fixture on 31/12/2024: P ─ D1 ─ G1 (ward committee) ─ C1, C2 cells; P ─ D2 ─ G2 (state agency cell).
Added here: G4 non-state enterprise cell under D1 (from 2023), G5 foreign-invested cell under D1 (from 2023),
G3 non-state enterprise cell under D2 (from 01/02/2024).

Members (all admitted in 2019 unless said):
  C1: A (intermediate theory 2020), B (warned 15/03/2024), K (struck off 10/05/2024)
  C2: H (reprimanded 01/06/2023 — another year; advanced theory only from 01/02/2025)
  G2: M (expelled 01/08/2024, with the discipline decision that day), Q (bachelor 2022),
      R (admitted 01/03/2024, elementary theory)

Rolls on 31/12/2023: C1 3 (A, B, K), C2 1 (H), G2 2 (M, Q) → D1 4, D2 2, P 6.
Rolls on 31/12/2024: C1 2 (A, B), C2 1 (H), G2 2 (Q, R) → D1 3, D2 2, P 5.
"""

from datetime import date
from fractions import Fraction

import pytest
from django.http import Http404

from indicators.models import IndicatorDefinition
from indicators.selectors import NUMERATOR, compliance, figure_rows
from indicators.tracked import (
    disciplines_list,
    non_state_tccsd_list,
    removals_list,
    theory_qualified_list,
    tracked_figures,
)
from members.models import DisciplineKind, MovementKind, TheoryLevel
from members.services import discipline_add, movement_record, theory_level_add
from organizations.models import OrgKind, OrgType
from tests.factories import make_member, make_org

ADMITTED = date(2019, 4, 2)


DEFINITIONS = [
    ("XOA_TEN", "members_struck_off", "", "COUNT"),
    ("KHAI_TRU", "members_expelled", "", "COUNT"),
    ("KY_LUAT", "discipline_decisions", "", "COUNT"),
    ("TCCSD_NGOAI_NN", "non_state_tccsd", "", "COUNT"),
    ("LLCT_TRUNG_CAP", "members_theory_intermediate", "members_at_year_end", "PERCENT"),
]


@pytest.fixture
def tracked_definitions(db):
    """The tracked definitions these tests read, as the Board would add them on the tracked-figure page."""
    for code, numerator, denominator, unit in DEFINITIONS:
        IndicatorDefinition.objects.create(
            code=code,
            name_vi=code,
            numerator=numerator,
            denominator=denominator,
            unit=unit,
            kind="TRACKED",
            group="other",
        )


@pytest.fixture
def province_2024(tree, root_user):
    g4 = make_org(
        "G4",
        OrgKind.GRASSROOTS_CELL,
        parent=tree["D1"],
        org_type=OrgType.PRIVATE_ENTERPRISE,
        valid_from=date(2023, 1, 1),
    )
    make_org(
        "G5",
        OrgKind.GRASSROOTS_CELL,
        parent=tree["D1"],
        org_type=OrgType.FOREIGN_INVESTED_ENTERPRISE,
        valid_from=date(2023, 1, 1),
    )
    g3 = make_org(
        "G3",
        OrgKind.GRASSROOTS_CELL,
        parent=tree["D2"],
        org_type=OrgType.PRIVATE_ENTERPRISE,
        valid_from=date(2024, 2, 1),
    )
    a, b, k = (make_member(tree["C1"], admission_date=ADMITTED, full_name=n) for n in ("An", "Bình", "Khánh"))
    h = make_member(tree["C2"], admission_date=ADMITTED, full_name="Hà")
    m, q = (make_member(tree["G2"], admission_date=ADMITTED, full_name=n) for n in ("Minh", "Quang"))
    r = make_member(tree["G2"], admission_date=date(2024, 3, 1), full_name="Rạng")
    for member, level, day in (
        (a, TheoryLevel.INTERMEDIATE, date(2020, 5, 1)),
        (h, TheoryLevel.ADVANCED, date(2025, 2, 1)),
        (q, TheoryLevel.BACHELOR, date(2022, 9, 1)),
        (r, TheoryLevel.ELEMENTARY, date(2024, 6, 1)),
    ):
        theory_level_add(actor=root_user, member=member, level=level, obtained_on=day)
    discipline_add(actor=root_user, member=b, kind=DisciplineKind.WARNING, decided_on=date(2024, 3, 15))
    discipline_add(actor=root_user, member=h, kind=DisciplineKind.REPRIMAND, decided_on=date(2023, 6, 1))
    discipline_add(actor=root_user, member=m, kind=DisciplineKind.EXPULSION, decided_on=date(2024, 8, 1))
    movement_record(
        actor=root_user, member=k, kind=MovementKind.STRUCK_OFF, date=date(2024, 5, 10), organization=tree["C1"]
    )
    movement_record(
        actor=root_user, member=m, kind=MovementKind.EXPELLED, date=date(2024, 8, 1), organization=tree["G2"]
    )
    return {"G3": g3, "G4": g4, "K": k, "M": m, "B": b, "A": a, "Q": q}


def _figures(actor, org):
    return tracked_figures(actor=actor, year=2024, scope_id=org.pk)


def test_tracked_struck_off_and_expelled_count_and_per_thousand(tree, root_user, province_2024):
    province = _figures(root_user, tree["P"])
    # P: K struck off, M expelled, over 6 on the rolls on 31/12/2023.
    assert (province["STRUCK_OFF"].value, province["EXPELLED"].value) == (1, 1)
    assert province["STRUCK_OFF_RATE"].value == Fraction(1000, 6)
    assert province["EXPELLED_RATE"].value == Fraction(1000, 6)
    d1, d2 = _figures(root_user, tree["D1"]), _figures(root_user, tree["D2"])
    # D1: K over 4 → 250 ‰; D2: M over 2 → 500 ‰.
    assert (d1["STRUCK_OFF"].value, d1["STRUCK_OFF_RATE"].value, d1["EXPELLED"].value) == (1, 250, 0)
    assert (d2["EXPELLED"].value, d2["EXPELLED_RATE"].value, d2["STRUCK_OFF"].value) == (1, 500, 0)
    # C1 as a scope: K over A, B, K → 1000/3 ‰.
    assert _figures(root_user, tree["C1"])["STRUCK_OFF_RATE"].value == Fraction(1000, 3)


def test_tracked_disciplined_counts_decisions_of_the_year_where_the_member_was(tree, root_user, province_2024):
    # 2024: B's warning (C1) and M's expulsion (G2, off the rolls that same day); H's 2023 reprimand is not counted.
    province = _figures(root_user, tree["P"])
    assert (province["DISCIPLINED"].value, province["DISCIPLINED_RATE"].value) == (2, Fraction(2000, 6))
    assert _figures(root_user, tree["D1"])["DISCIPLINED"].value == 1
    assert _figures(root_user, tree["D2"])["DISCIPLINED_RATE"].value == 500
    assert _figures(root_user, tree["C2"])["DISCIPLINED"].value == 0


def test_tracked_theory_share_on_the_rolls_at_year_end(tree, root_user, province_2024):
    # 31/12/2024: A (intermediate) and Q (bachelor) of A, B, H, Q, R; H's advanced level comes in 2025.
    province = _figures(root_user, tree["P"])["THEORY_INTERMEDIATE"]
    assert (province.numerator, province.denominator, province.value) == (2, 5, 40)
    d1 = _figures(root_user, tree["D1"])["THEORY_INTERMEDIATE"]
    assert (d1.numerator, d1.denominator) == (1, 3)
    assert _figures(root_user, tree["D2"])["THEORY_INTERMEDIATE"].value == 50


def test_tracked_non_state_tccsd_count_and_change_over_the_year_before(tree, root_user, province_2024):
    # 31/12/2024: G3 and G4 (G5 is foreign-invested); 31/12/2023: G4 only.
    province = _figures(root_user, tree["P"])["NON_STATE_TCCSD"]
    assert (province.value, province.change) == (2, 1)
    d1, d2 = _figures(root_user, tree["D1"])["NON_STATE_TCCSD"], _figures(root_user, tree["D2"])["NON_STATE_TCCSD"]
    assert (d1.value, d1.change, d2.value, d2.change) == (1, 0, 1, 1)


def test_tracked_non_state_change_is_empty_for_a_scope_formed_in_the_year(tree, root_user, province_2024):
    # G3 formed on 01/02/2024: no figure on 31/12/2023 to compare with.
    figure = _figures(root_user, province_2024["G3"])["NON_STATE_TCCSD"]
    assert (figure.value, figure.change) == (1, None)


def test_tracked_rate_with_no_base_is_no_data(tree, root_user):
    assert _figures(root_user, tree["C2"])["STRUCK_OFF_RATE"].value is None


def test_tracked_drill_down_lists_match_the_figures(tree, root_user, province_2024):
    where = {"actor": root_user, "year": 2024, "organization_id": tree["P"].pk}
    assert [e.member_id for e in removals_list(**where)] == [province_2024["K"].pk, province_2024["M"].pk]
    assert [d.member_id for d in disciplines_list(**where)] == [province_2024["B"].pk, province_2024["M"].pk]
    assert {s.member_id for s in theory_qualified_list(**where)} == {province_2024["A"].pk, province_2024["Q"].pk}
    assert [p.organization.code for p in non_state_tccsd_list(**where)] == ["G3", "G4"]


def test_tracked_figures_stay_inside_the_actor_scope(tree, grassroots_cadre, province_2024):
    with pytest.raises(Http404):
        tracked_figures(actor=grassroots_cadre, year=2024, scope_id=tree["D2"].pk)


def test_tracked_figures_show_two_decimals_with_a_decimal_comma(tree, root_user, province_2024):
    province = _figures(root_user, tree["P"])
    # 1000/6 = 166,666… ‰; 2 of 5 = 40 %; a count as it is.
    assert (province["STRUCK_OFF_RATE"].text, province["THEORY_INTERMEDIATE"].text) == ("166,67 ‰", "40,00 %")
    assert province["NON_STATE_TCCSD"].text == "2"
    # C2: H on the rolls, nobody struck off; G3 had nobody on the rolls on 31/12/2023.
    assert _figures(root_user, tree["C2"])["STRUCK_OFF_RATE"].text == "0,00 ‰"
    assert _figures(root_user, province_2024["G3"])["STRUCK_OFF_RATE"].text == "—"


def test_tracked_definitions_on_the_dashboard_path(tree, root_user, tracked_definitions, province_2024):
    figures = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk).scope.figures
    # K struck off, M expelled, B and M disciplined; A and Q of 5 with intermediate theory; G3 and G4.
    assert [figures[code].numerator for code in ("XOA_TEN", "KHAI_TRU", "KY_LUAT", "TCCSD_NGOAI_NN")] == [1, 1, 2, 2]
    assert (figures["LLCT_TRUNG_CAP"].numerator, figures["LLCT_TRUNG_CAP"].denominator) == (2, 5)
    d2 = compliance(actor=root_user, year=2024, scope_id=tree["D2"].pk).scope.figures
    assert (d2["KHAI_TRU"].numerator, d2["TCCSD_NGOAI_NN"].numerator) == (1, 1)
    kind, rows = figure_rows(
        actor=root_user, year=2024, scope_id=tree["P"].pk, indicator="TCCSD_NGOAI_NN", group=NUMERATOR
    )
    assert kind == "organizations"
    assert [row.organization.code for row in rows] == ["G3", "G4"]
