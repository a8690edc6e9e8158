from dataclasses import FrozenInstanceError, fields
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from indicators.computation import MET, NO_DATA, NOT_MET, Figure, judge, make_figure, program_rate, roll_up
from indicators.models import Unit


def test_judge_exactly_90_percent_fails_strict_target():
    assert judge(9, 10, ">", Decimal("90")) == (NOT_MET, -1)


def test_judge_exactly_90_percent_passes_at_least_target():
    assert judge(9, 10, ">=", Decimal("90")) == (MET, 0)


def test_judge_exactly_4_percent_admissions_fails():
    assert judge(4, 100, ">", Decimal("4")) == (NOT_MET, -1)


def test_judge_zero_rated_is_no_data():
    assert judge(0, 0, ">", Decimal("90")) == (NO_DATA, None)


def test_judge_upper_bound_tolerates_two_of_700_and_none_of_1000_beyond_two():
    # 0.3 % of 700 = 2.1 → at most 2 failures; 3 of 1000 is exactly 0.3 %, which is not below it.
    assert judge(2, 700, "<", Decimal("0.3")) == (MET, 0)
    assert judge(0, 700, "<", Decimal("0.3")) == (MET, 2)
    assert judge(3, 1000, "<", Decimal("0.3")) == (NOT_MET, -1)


def test_judge_margin_counts_what_is_missing():
    # 95 of 110 good: more than 90 % needs 100 (99/110 = 90 % exactly).
    assert judge(95, 110, ">", Decimal("90")) == (NOT_MET, -5)


def test_program_rate_mean_differs_from_pooled():
    result = program_rate([(2020, 5, 100), (2021, 3, 50)], ">", Decimal("4"))

    assert result.mean == Fraction(11, 200)  # (5 % + 6 %) / 2 = 5.5 %
    assert result.pooled == Fraction(8, 150)
    assert result.status == MET
    assert result.as_dict()["mean_ratio"] == "5.5000"
    assert result.as_dict()["pooled_ratio"] == "5.3333"


def test_roll_up_adds_to_every_ancestor_below_scope():
    counts = {3: {"a": 2}, 4: {"a": 1}, 5: {"a": 7}}
    # Every node of the tree is given, counted or not (as the selectors pass the whole subtree).
    paths = {1: "/1/", 2: "/1/2/", 6: "/1/6/", 3: "/1/2/3/", 4: "/1/2/4/", 5: "/1/6/5/"}

    totals = roll_up(counts, paths)

    assert totals[1]["a"] == 10
    assert totals[2]["a"] == 3
    assert totals[6]["a"] == 7
    assert totals[3]["a"] == 2


def test_roll_up_stops_at_the_scope_depth():
    paths = {1: "/1/", 2: "/1/2/", 3: "/1/2/3/"}

    totals = roll_up({3: {"a": 4}}, paths, scope_depth=1)

    assert totals[2]["a"] == 4
    assert totals[1]["a"] == 0


def test_make_figure_gives_the_figure_its_constructor_gives():
    # make_figure fills the frozen Figure's fields without its generated __init__: every field must be there.
    rule = SimpleNamespace(comparator=">=")
    made = make_figure("T2a", 9, 10, rule, 90, total=12, provisional=True, measure="t2_good", unit=Unit.PERCENT)

    expected = Figure(
        indicator="T2a",
        numerator=9,
        denominator=10,
        comparator=">=",
        threshold=Decimal(90),
        status=MET,  # 9 of 10 is 90 %, ≥ 90 %
        margin=0,  # one fewer would miss
        total=12,
        provisional=True,
        measure="t2_good",
        unit=Unit.PERCENT,
    )
    assert made == expected
    assert vars(made).keys() >= {f.name for f in fields(Figure)}
    with pytest.raises(FrozenInstanceError):
        made.numerator = 8
