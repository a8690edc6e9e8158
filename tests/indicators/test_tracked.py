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

import json
import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse

from indicators import dashboard
from indicators.computation import make_figure
from indicators.dashboard import figure_percent
from indicators.models import Unit
from indicators.selectors import Rule, compliance, compliance_snapshot, compliance_trend
from indicators.services import snapshot_refresh
from indicators.tracked import disciplines_list, non_state_tccsd_list, removals_list, theory_qualified_list
from members.models import DisciplineKind, MovementKind, TheoryLevel
from members.services import discipline_add, movement_record, theory_level_add
from organizations.models import OrgKind, OrgType
from tests.factories import make_member, make_org

ADMITTED = date(2019, 4, 2)


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


def _figures(actor, org, year=2024):
    return compliance(actor=actor, year=year, scope_id=org.pk).scope.figures


def _pair(figure):
    return figure.numerator, figure.denominator


def test_tracked_struck_off_and_expelled_count_and_per_thousand(tree, root_user, province_2024):
    province = _figures(root_user, tree["P"])
    # P: K struck off, M expelled, over 6 on the rolls on 31/12/2023: 1000/6 = 166,666… ‰.
    assert (_pair(province["XOA_TEN"]), _pair(province["KHAI_TRU"])) == ((1, 6), (1, 6))
    assert province["XOA_TEN"].ratio == province["KHAI_TRU"].ratio == Decimal("166.6667")
    d1, d2 = _figures(root_user, tree["D1"]), _figures(root_user, tree["D2"])
    # D1: K over 4 → 250 ‰; D2: M over 2 → 500 ‰.
    assert (_pair(d1["XOA_TEN"]), d1["XOA_TEN"].ratio, d1["KHAI_TRU"].numerator) == ((1, 4), 250, 0)
    assert (_pair(d2["KHAI_TRU"]), d2["KHAI_TRU"].ratio, d2["XOA_TEN"].numerator) == ((1, 2), 500, 0)
    # C1 as a scope: K over A, B, K → 1000/3 ‰.
    assert _figures(root_user, tree["C1"])["XOA_TEN"].ratio == Decimal("333.3333")


def test_tracked_disciplined_counts_decisions_of_the_year_where_the_member_was(tree, root_user, province_2024):
    # 2024: B's warning (C1) and M's expulsion (G2, off the rolls that same day); H's 2023 reprimand is not counted.
    province = _figures(root_user, tree["P"])["KY_LUAT"]
    assert (_pair(province), province.ratio) == ((2, 6), Decimal("333.3333"))
    assert _figures(root_user, tree["D1"])["KY_LUAT"].numerator == 1
    assert _figures(root_user, tree["D2"])["KY_LUAT"].ratio == 500
    assert _figures(root_user, tree["C2"])["KY_LUAT"].numerator == 0


def test_tracked_theory_share_on_the_rolls_at_year_end(tree, root_user, province_2024):
    # 31/12/2024: A (intermediate) and Q (bachelor) of A, B, H, Q, R; H's advanced level comes in 2025.
    province = _figures(root_user, tree["P"])["LLCT_TRUNG_CAP"]
    assert (_pair(province), province.ratio) == ((2, 5), 40)
    assert _pair(_figures(root_user, tree["D1"])["LLCT_TRUNG_CAP"]) == (1, 3)
    assert _figures(root_user, tree["D2"])["LLCT_TRUNG_CAP"].ratio == 50


def test_tracked_non_state_tccsd_count_and_change_over_the_year_before(tree, root_user, province_2024):
    # 31/12/2024: G3 and G4 (G5 is foreign-invested); 31/12/2023: G4 only (D1's), none in D2.
    expected = {"P": (2, 1, "+1 so với 2023"), "D1": (1, 1, "±0 so với 2023"), "D2": (1, 0, "+1 so với 2023")}
    for code, (now, before, change) in expected.items():
        figure, previous = (_figures(root_user, tree[code], year)["TCCSD_NGOAI_NN"] for year in (2024, 2023))
        assert (figure.numerator, previous.numerator) == (now, before), code
        assert figure.ratio == now  # a count is its own value
        assert dashboard.change_text(figure, previous, 2024) == change, code


def test_tracked_non_state_change_is_empty_for_a_scope_formed_in_the_year(tree, root_user, province_2024):
    # G3 formed on 01/02/2024: no figure on 31/12/2023 to compare with.
    snapshot_refresh(year=2023)
    snapshot_refresh(year=2024)
    result = compliance_snapshot(actor=root_user, year=2024, scope_id=province_2024["G3"].pk)
    trend = compliance_trend(actor=root_user, scope_id=province_2024["G3"].pk)

    tile = next(t for t in dashboard.tiles(result, "other", trend) if t.code == "TCCSD_NGOAI_NN")
    assert trend[2023] is None
    assert (tile.value, tile.change) == ("1", "")


def test_tracked_rate_with_no_base_is_no_data(tree, root_user):
    figure = _figures(root_user, tree["C2"])["XOA_TEN"]
    assert (figure.ratio, figure.status, figure_percent(figure)) == (None, "no_data", "—")


def test_tracked_figures_are_shown_not_judged(tree, root_user, province_2024):
    # The program states no number for the other commitments: every tracked figure is shown without a verdict.
    result = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk)
    tracked = [code for code, d in result.definitions.items() if d.group == "other"]
    assert len(tracked) == 16  # 7 admission groups, 2 secretaries, non-state, 3 removals, theory, 2 attendance
    assert all(not result.scope.figures[code].judged for code in tracked)
    assert all(dashboard.status_of(result.scope.figures[code]) == dashboard.TRACKED for code in tracked)


def test_tracked_drill_down_lists_match_the_figures(tree, root_user, province_2024):
    where = {"actor": root_user, "year": 2024, "organization_id": tree["P"].pk}
    assert [e.member_id for e in removals_list(**where)] == [province_2024["K"].pk, province_2024["M"].pk]
    assert [d.member_id for d in disciplines_list(**where)] == [province_2024["B"].pk, province_2024["M"].pk]
    assert {s.member_id for s in theory_qualified_list(**where)} == {province_2024["A"].pk, province_2024["Q"].pk}
    assert [p.organization.code for p in non_state_tccsd_list(**where)] == ["G3", "G4"]


def test_tracked_figures_stay_inside_the_actor_scope(tree, grassroots_cadre, province_2024):
    with pytest.raises(Http404):
        compliance(actor=grassroots_cadre, year=2024, scope_id=tree["D2"].pk)


def test_tracked_figures_show_two_decimals_with_a_decimal_comma(tree, root_user, province_2024):
    province = _figures(root_user, tree["P"])
    # 1000/6 = 166,666… ‰; 2 of 5 = 40 %; a count as it is.
    assert (figure_percent(province["XOA_TEN"]), figure_percent(province["LLCT_TRUNG_CAP"])) == ("166,67 ‰", "40,00 %")
    assert figure_percent(province["TCCSD_NGOAI_NN"]) == "2"
    # C2: H on the rolls, nobody struck off; G3 had nobody on the rolls on 31/12/2023.
    assert figure_percent(_figures(root_user, tree["C2"])["XOA_TEN"]) == "0,00 ‰"
    assert figure_percent(_figures(root_user, province_2024["G3"])["XOA_TEN"]) == "—"


def _tile_html(html, code):
    """The HTML of one dashboard tile (from its code to the end of its article)."""
    match = re.search(rf'<span class="tile-code">{code}</span>.*?</article>', html, re.S)
    assert match, code
    return match.group(0)


def test_dashboard_shows_the_tracked_group_from_the_snapshots(client, root_user, tree, province_2024):
    snapshot_refresh(year=2023)
    snapshot_refresh(year=2024)
    client.force_login(root_user)

    html = client.get(reverse("indicators:dashboard") + f"?nam=2024&pham-vi={tree['P'].pk}").content.decode()

    assert "Chỉ tiêu theo dõi khác" in html
    assert html.index('<span class="tile-code">T4</span>') < html.index("Chỉ tiêu theo dõi khác")
    struck_off = _tile_html(html, "XOA_TEN")
    # K struck off over 6 on the rolls on 31/12/2023 → 166,67 ‰; no verdict (no threshold).
    assert "166,67 ‰" in struck_off
    assert 'class="verdict' not in struck_off
    theory = _tile_html(html, "LLCT_TRUNG_CAP")
    assert "40,00 %" in theory  # A and Q of 5
    non_state = _tile_html(html, "TCCSD_NGOAI_NN")
    # G3, G4 on 31/12/2024 against G4 on 31/12/2023.
    assert '<span class="tile-value">2</span>' in non_state
    assert "+1 so với 2023" in non_state
    # The tracked group has a trend chart per figure; its sub-unit table (D1, D2) is on a page of its own.
    assert 'id="trend-XOA_TEN"' in html
    assert 'id="sub-units-other"' not in html
    group_url = f"{reverse('indicators:group')}?nam=2024&amp;pham-vi={tree['P'].pk}&amp;nhom-chi-tieu=other"
    assert group_url in html
    group_page = client.get(group_url.replace("&amp;", "&")).content.decode()
    table = group_page[group_page.index('id="sub-units-other"') :]
    table = table[: table.index("</table>")]
    d1_row = table[table.index(tree["D1"].name) :]
    d1_row = d1_row[: d1_row.index("</tr>")]
    assert tree["D2"].name in table
    # D1: K struck off over 4 on its rolls on 31/12/2023 (A, B, K, H) → 250,00 ‰.
    assert "250,00 ‰" in d1_row


def test_dashboard_tracked_tile_links_drill_down_to_the_rows(client, root_user, tree, province_2024):
    snapshot_refresh(year=2024)
    client.force_login(root_user)
    response = client.get(reverse("indicators:dashboard") + f"?nam=2024&pham-vi={tree['P'].pk}")
    tiles = {tile.code: tile for section in response.context["sections"] for tile in section.tiles}

    struck_off = client.get(tiles["XOA_TEN"].numerator_url)
    non_state = client.get(tiles["TCCSD_NGOAI_NN"].numerator_url)

    # XOA_TEN: K alone (M was expelled, not struck off); TCCSD_NGOAI_NN: G3 and G4.
    assert [row.member_id for row in struck_off.context["page"]] == [province_2024["K"].pk]
    assert "Xóa tên" in struck_off.content.decode()
    assert [row.organization.code for row in non_state.context["page"]] == ["G3", "G4"]
    # The rolls at the start of the year have no list behind them: the number is shown without a link.
    assert tiles["XOA_TEN"].denominator_url == ""


def test_snapshot_counts_carry_the_tracked_sources(tree, root_user, province_2024):
    snapshot_refresh(year=2024)

    live = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk)
    stored = compliance_snapshot(actor=root_user, year=2024, scope_id=tree["P"].pk)

    tracked = ("XOA_TEN", "KHAI_TRU", "KY_LUAT", "TCCSD_NGOAI_NN", "LLCT_TRUNG_CAP")
    # The hand counts of the tests above: (1, 6), (1, 6), (2, 6), 2 TCCSĐ, (2, 5).
    assert [_pair(stored.scope.figures[code]) for code in tracked] == [(1, 6), (1, 6), (2, 6), (2, 0), (2, 5)]
    assert [_pair(live.scope.figures[code]) for code in tracked] == [(1, 6), (1, 6), (2, 6), (2, 0), (2, 5)]
    d2 = next(child for child in stored.children if child.node.code == "D2")
    assert _pair(d2.figures["KHAI_TRU"]) == (1, 2)  # M over M and Q


def test_compliance_command_prints_the_tracked_figures_in_their_unit(tree, root_user, province_2024):
    out = StringIO()

    call_command("compliance", "--year", "2024", stdout=out)

    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line.strip()}
    assert "166,67 ‰" in lines["XOA_TEN"]
    assert "THEO DÕI" in lines["XOA_TEN"]
    assert "40,00 %" in lines["LLCT_TRUNG_CAP"]
    assert lines["TCCSD_NGOAI_NN"].split()[1:4] == ["2", "0", "2"]  # numerator, no denominator, the count


def test_compliance_json_carries_the_tracked_unit(tree, root_user, province_2024):
    out = StringIO()

    call_command("compliance", "--year", "2024", "--format", "json", stdout=out)

    figures = json.loads(out.getvalue())["scope"]["indicators"]
    assert (figures["XOA_TEN"]["unit"], figures["XOA_TEN"]["ratio"]) == ("PER_MILLE", "166.6667")
    assert (figures["TCCSD_NGOAI_NN"]["unit"], figures["TCCSD_NGOAI_NN"]["ratio"]) == ("COUNT", "2.0000")
    assert (figures["T1a"]["unit"], figures["XOA_TEN"]["judged"]) == ("PERCENT", False)


def test_per_mille_figure_is_judged_per_thousand_on_integers():
    rule = Rule("<", Decimal("200"), "EACH_YEAR", None)
    # Below 200 ‰ of 6: n × 1000 < 200 × 6 = 1200, so at most 1 — 1 of 6 (166,67 ‰) meets it with nothing to spare.
    one = make_figure("XOA_TEN", 1, 6, rule, Decimal("200"), unit=Unit.PER_MILLE)
    two = make_figure("XOA_TEN", 2, 6, rule, Decimal("200"), unit=Unit.PER_MILLE)

    assert (one.status, one.margin, one.ratio) == ("met", 0, Decimal("166.6667"))
    assert (two.status, two.margin, figure_percent(two)) == ("not_met", -1, "333,33 ‰")
    assert dashboard.threshold_text("<", Decimal("200"), Unit.PER_MILLE) == "< 200 ‰"
    assert dashboard.threshold_text(">=", Decimal("12"), Unit.COUNT) == "≥ 12"
