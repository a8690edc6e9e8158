"""Properties of the indicators on a generated province (seed_demo --size tiny, ratings included)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.selectors import compliance, compliance_snapshot

YEARS = range(2020, 2026)
ADDITIVE = ("numerator", "denominator", "total")


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--size", "tiny", "--seed", "3", stdout=StringIO())
    return get_user_model().objects.get(username="admin")


@pytest.mark.parametrize("year", YEARS)
def test_province_figures_are_the_sums_of_its_sub_units(seeded, year):
    result = compliance(actor=seeded, year=year)

    for code, figure in result.scope.figures.items():
        for part in ADDITIVE:
            children_sum = sum(getattr(child.figures[code], part) for child in result.children)
            assert getattr(figure, part) == children_sum, (year, code, part)


def test_seeded_province_has_ratings_and_pending_tccsd_in_2025(seeded):
    figures_2024 = compliance(actor=seeded, year=2024).scope.figures
    figures_2025 = compliance(actor=seeded, year=2025).scope.figures

    assert figures_2024["T2a"].denominator > 200
    assert figures_2024["T1a"].not_rated["PENDING"] == 0
    assert figures_2025["T1a"].total > 0


def test_seeded_snapshots_equal_the_live_figures(seeded):
    live = compliance(actor=seeded, year=2023).as_dict()
    stored = compliance_snapshot(actor=seeded, year=2023).as_dict()

    live.pop("computed_at")
    stored.pop("computed_at")
    assert stored == live
