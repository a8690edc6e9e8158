"""Member figures per cell (chi bộ trực thuộc): a TCCSĐ's cells have their own T2a, T2b and T3, counted by hand.

2024, G1 (grassroots committee) with its cells C1 and C2 (the `tree` fixture); G1 rates every member:
- C1: A (GOOD), B (COMPLETED); both on the rolls since 2019.
- C2: D (GOOD), E (NOT_COMPLETED), H (admitted 01/03/2024, GOOD), K (on the rolls since 2019, no rating).
On 31/12/2023 C1 had A, B and C2 had D, E, K.
"""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save
from indicators.selectors import compliance, compliance_snapshot, figure_rows
from indicators.services import snapshot_refresh
from tests.factories import make_member
from tests.indicators.tables import figure_table


@pytest.fixture
def cells_2024(tree, root_user):
    since = date(2019, 3, 2)
    members = {
        "A": make_member(tree["C1"], full_name="Lê Văn An", admission_date=since),
        "B": make_member(tree["C1"], full_name="Trần Thị Bình", admission_date=since),
        "D": make_member(tree["C2"], full_name="Ngô Văn Dũng", admission_date=since),
        "E": make_member(tree["C2"], full_name="Đinh Thị Em", admission_date=since),
        "H": make_member(tree["C2"], full_name="Hồ Văn Hải", admission_date=date(2024, 3, 1)),
        "K": make_member(tree["C2"], full_name="Khúc Thị Kim", admission_date=since),
    }
    levels = {"A": "GOOD", "B": "COMPLETED", "D": "GOOD", "E": "NOT_COMPLETED", "H": "GOOD"}
    member_ratings_save(
        actor=root_user,
        organization=tree["G1"],
        year=RatingYear.objects.get(year=2024),
        entries=[{"member_id": members[key].pk, "level": level} for key, level in levels.items()],
    )
    return members


def _counts(figures, code):
    figure = figures[code]
    return (figure.numerator, figure.denominator, figure.total)


def _children(result):
    return {child.node.code: child.figures for child in result.children}


def test_each_cell_has_its_own_member_figures(tree, root_user, cells_2024):
    result = compliance(actor=root_user, year=2024, scope_id=tree["G1"].pk)
    cells = _children(result)

    assert sorted(cells) == ["C1", "C2"]
    # C1: A good of A, B rated; both on the rolls.
    assert _counts(cells["C1"], "T2a") == (1, 2, 2)
    assert _counts(cells["C1"], "T2b") == (0, 2, 2)
    assert str(cells["C1"]["T2a"].ratio) == "50.0000"
    # C2: D and H good, E not completed, of 3 rated; K not rated: 4 on the rolls, 1 pending.
    assert _counts(cells["C2"], "T2a") == (2, 3, 4)
    assert _counts(cells["C2"], "T2b") == (1, 3, 4)
    assert cells["C2"]["T2a"].not_rated["PENDING"] == 1
    # T3: H admitted in 2024 at C2 over D, E, K on 31/12/2023; none at C1 over A, B.
    assert (cells["C1"]["T3"].numerator, cells["C1"]["T3"].denominator) == (0, 2)
    assert (cells["C2"]["T3"].numerator, cells["C2"]["T3"].denominator) == (1, 3)


def test_cells_add_up_to_their_tccsd(tree, root_user, cells_2024):
    figures = compliance(actor=root_user, year=2024, scope_id=tree["G1"].pk).scope.figures

    assert _counts(figures, "T2a") == (3, 5, 6)
    assert _counts(figures, "T2b") == (1, 5, 6)
    assert (figures["T3"].numerator, figures["T3"].denominator) == (1, 5)


def test_organization_figures_stay_empty_at_cell_level(tree, root_user, cells_2024):
    cells = _children(compliance(actor=root_user, year=2024, scope_id=tree["G1"].pk))

    # T1 rates TCCSĐ and T4 counts TCCSĐ committees: a cell has neither.
    for code in ("T1a", "T1b", "T4"):
        assert (cells["C1"][code].denominator, cells["C1"][code].status) == (0, "no_data")


def test_a_cell_as_the_scope_counts_what_its_row_shows(tree, root_user, cells_2024):
    figures = compliance(actor=root_user, year=2024, scope_id=tree["C2"].pk).scope.figures

    assert _counts(figures, "T2a") == (2, 3, 4)
    assert (figures["T3"].numerator, figures["T3"].denominator) == (1, 3)


def test_the_snapshot_holds_the_cells_figures(tree, root_user, cells_2024):
    snapshot_refresh(year=2024)

    cells = _children(compliance_snapshot(actor=root_user, year=2024, scope_id=tree["G1"].pk))

    assert _counts(cells["C1"], "T2a") == (1, 2, 2)
    assert _counts(cells["C2"], "T2b") == (1, 3, 4)


def test_a_cells_lists_are_as_long_as_its_figures(tree, root_user, cells_2024):
    def rows(indicator, group):
        _kind, queryset = figure_rows(
            actor=root_user, year=2024, scope_id=tree["C2"].pk, indicator=indicator, group=group
        )
        return sorted(str(row.member.full_name) for row in queryset)

    assert rows("T2a", "numerator") == ["Hồ Văn Hải", "Ngô Văn Dũng"]
    assert len(rows("T2a", "denominator")) == 3
    assert rows("T2b", "numerator") == ["Đinh Thị Em"]
    assert rows("T2a", "missing") == ["Khúc Thị Kim"]
    assert rows("T3", "numerator") == ["Hồ Văn Hải"]
    assert len(rows("T3", "denominator")) == 3


def test_grassroots_dashboard_shows_real_numbers_for_its_cells(client, tree, grassroots_cadre, cells_2024):
    cache.clear()
    snapshot_refresh(year=2024)
    client.force_login(grassroots_cadre)

    response = client.get(f"{reverse('indicators:dashboard')}?nam=2024&pham-vi={tree['G1'].pk}")

    rows = figure_table(response.content.decode())
    c1, c2 = rows["Chi bộ khu phố 1"], rows["Chi bộ khu phố 2"]
    assert (c1["T2a"]["value"], c1["T2a"]["counts"]) == ("50,00 %", "1/2")
    assert (c2["T2b"]["value"], c2["T2b"]["counts"]) == ("33,33 %", "1/3")
    assert c2["T3"]["counts"] == "1/3"
    assert c1["T1a"]["value"] == "—"
