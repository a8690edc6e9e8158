"""Indicators on a small province counted by hand (see the `tree` fixture in tests/conftest.py)."""

from indicators.selectors import compliance


def _figure(result, code):
    return result.scope.as_dict()["indicators"][code]


def test_compliance_province_2024(tree, root_user, rated_2024):
    result = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk)

    t1a, t1b, t2a = _figure(result, "T1a"), _figure(result, "T1b"), _figure(result, "T2a")
    assert (t1a["numerator"], t1a["denominator"], t1a["status"], t1a["margin"]) == (1, 2, "not_met", -1)
    assert (t1b["numerator"], t1b["denominator"], t1b["status"], t1b["margin"]) == (1, 2, "not_met", -1)
    # Members: A excellent + B good of 3 rated (A, B, F); N new, E exempt: 5 on the rolls.
    assert (t2a["numerator"], t2a["denominator"], t2a["ratio"], t2a["status"]) == (2, 3, "66.6667", "not_met")
    assert t2a["coverage"]["total"] == 5
    assert t2a["coverage"]["not_rated"] == {
        "EXEMPT": 1,
        "SUSPENDED": 0,
        "NEW_MEMBER": 1,
        "NEW_ORGANIZATION": 0,
        "PENDING": 0,
    }
    assert _figure(result, "T2b")["numerator"] == 0
    # T3: N admitted in 2024 over the 4 members on the rolls on 31/12/2023.
    t3 = _figure(result, "T3")
    assert (t3["numerator"], t3["denominator"], t3["ratio"], t3["status"]) == (1, 4, "25.0000", "met")
    # T4: A of A and B on G1's committee; progress only before 2025.
    t4 = _figure(result, "T4")
    assert (t4["numerator"], t4["denominator"], t4["judged"]) == (1, 2, False)


def test_compliance_children_are_districts_in_2024_and_sum_to_the_province(tree, root_user, rated_2024):
    result = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk)

    children = {child.node.code: child.as_dict()["indicators"] for child in result.children}
    assert sorted(children) == ["D1", "D2"]
    assert children["D1"]["T1a"]["numerator"] == 1
    assert children["D1"]["T1a"]["status"] == "met"
    assert children["D2"]["T1b"]["numerator"] == 1
    assert children["D1"]["T2a"]["denominator"] + children["D2"]["T2a"]["denominator"] == 3


def test_compliance_2024_of_district_unchanged_after_the_reform_and_ward_holds_both_in_2025(
    tree, root_user, rated_2024
):
    d1_2024 = compliance(actor=root_user, year=2024, scope_id=tree["D1"].pk)
    x1_2025 = compliance(actor=root_user, year=2025, scope_id=tree["X1"].pk)

    assert _figure(d1_2024, "T2a")["coverage"]["total"] == 3
    assert _figure(d1_2024, "T1a")["denominator"] == 1
    # 2025: nothing rated yet, so T1/T2 have no data, but both re-attached TCCSĐ and their 5 members are there.
    assert _figure(x1_2025, "T1a")["status"] == "no_data"
    assert _figure(x1_2025, "T1a")["coverage"]["not_rated"]["PENDING"] == 2
    assert _figure(x1_2025, "T2a")["coverage"]["total"] == 5
    # T3 2025: no admission; base = the 5 members on 31/12/2024.
    assert (_figure(x1_2025, "T3")["numerator"], _figure(x1_2025, "T3")["denominator"]) == (0, 5)
    assert _figure(x1_2025, "T4")["judged"] is True
