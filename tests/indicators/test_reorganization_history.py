"""Indicators for years before a reorganization do not move when it is applied (the `rated_2024` province of
tests/indicators/conftest.py: G1 with A, B, N in its cell C1; G2 with E and F on its own rolls)."""

from datetime import date

from indicators.selectors import compliance
from organizations import reorganizations as R
from organizations.models import OrgKind, OrgType

DAY = date(2026, 3, 1)


def _figures(result):
    indicators = result.scope.as_dict()["indicators"]
    return {
        code: (indicators[code]["numerator"], indicators[code]["denominator"], indicators[code]["coverage"]["total"])
        for code in ("T1a", "T2a", "T3", "T4")
    }


# Counted by hand in tests/indicators/test_compliance.py: T1a 1 of 2 rated TCCSĐ; T2a A and B of the 3 rated
# (A, B, F) among 5 on the rolls; T3 N over the 4 on the rolls on 31/12/2023; T4 A of A and B on G1's committee.
PROVINCE_2024 = {"T1a": (1, 2, 2), "T2a": (2, 3, 5), "T3": (1, 4, 0), "T4": (1, 2, 0)}
# 2025 under X1, nothing rated: no TCCSĐ or member rated of 2 and 5; T3 no admission over the 5 of 31/12/2024;
# T4 still A of A and B.
WARD_2025 = {"T1a": (0, 0, 2), "T2a": (0, 0, 5), "T3": (0, 5, 0), "T4": (1, 2, 0)}


def test_indicators_before_a_merge_are_unchanged(tree, board_user, root_user, rated_2024):
    before = _figures(compliance(actor=root_user, year=2024, scope_id=tree["P"].pk))
    g3 = R.NewUnit(code="G3", name="Đảng bộ phường Bắc Tây", kind=OrgKind.GRASSROOTS_COMMITTEE, org_type=OrgType.WARD)

    R.reorganization_apply(
        actor=board_user, kind="MERGE", predecessors=[tree["G1"], tree["G2"]], successor=g3, effective_on=DAY
    )

    assert before == PROVINCE_2024
    assert _figures(compliance(actor=root_user, year=2024, scope_id=tree["P"].pk)) == PROVINCE_2024
    assert _figures(compliance(actor=root_user, year=2025, scope_id=tree["X1"].pk)) == WARD_2025
    # 2026: the merged unit holds every member, one TCCSĐ instead of two; nobody sits on G3's committee yet.
    assert _figures(compliance(actor=root_user, year=2026, scope_id=tree["X1"].pk))["T2a"] == (0, 0, 5)
    assert _figures(compliance(actor=root_user, year=2026, scope_id=tree["X1"].pk))["T1a"] == (0, 0, 1)


def test_indicators_before_a_split_are_unchanged(tree, board_user, root_user, rated_2024):
    before = _figures(compliance(actor=root_user, year=2025, scope_id=tree["X1"].pk))
    successors = [
        R.NewUnit(code="G2A", name="Chi bộ Sở Tư pháp A", kind=OrgKind.GRASSROOTS_CELL, org_type=OrgType.STATE_AGENCY),
        R.NewUnit(code="G2B", name="Chi bộ Sở Tư pháp B", kind=OrgKind.GRASSROOTS_CELL, org_type=OrgType.STATE_AGENCY),
    ]

    R.reorganization_apply(
        actor=board_user,
        kind="SPLIT",
        predecessor=tree["G2"],
        successors=successors,
        mapping={rated_2024["F"].record_number: "G2B"},
        effective_on=DAY,
    )

    assert before == WARD_2025
    assert _figures(compliance(actor=root_user, year=2025, scope_id=tree["X1"].pk)) == WARD_2025
    assert _figures(compliance(actor=root_user, year=2024, scope_id=tree["P"].pk)) == PROVINCE_2024
    # 2026: G1, G2A (E) and G2B (F) — three TCCSĐ, still 5 members.
    assert _figures(compliance(actor=root_user, year=2026, scope_id=tree["X1"].pk))["T1a"] == (0, 0, 3)
