"""How the dashboard words and formats a figure: decimal comma, enough decimals to agree with the verdict,
margins in words."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.computation import make_figure
from indicators.dashboard import figure_percent, margin_text, percent, threshold_text
from indicators.models import Target

# The numerator measure of each program target (its definition row), whose words the margin uses.
NUMERATORS = {
    "T1a": "grassroots_good",
    "T1b": "grassroots_not_completed",
    "T2a": "members_good",
    "T2b": "members_not_completed",
    "T3": "admissions",
    "T4": "committee_members_qualified",
}


def _figure(indicator, numerator, denominator, comparator, threshold):
    target = Target(indicator=indicator, comparator=comparator, threshold=Decimal(threshold))
    return make_figure(indicator, numerator, denominator, target, Decimal(threshold), measure=NUMERATORS[indicator])


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_percent_has_two_decimals_a_decimal_comma_and_rounds_half_up():
    assert percent(Decimal("91.2350")) == "91,24 %"
    assert percent(Decimal("66.6667")) == "66,67 %"
    assert percent(None) == "—"


def test_threshold_is_written_plainly():
    assert threshold_text(">", Decimal("90.000")) == "> 90 %"
    assert threshold_text("<", Decimal("0.300")) == "< 0,3 %"
    assert threshold_text(">=", Decimal("90")) == "≥ 90 %"


def test_more_decimals_when_two_would_contradict_the_verdict():
    # 49 of 12 351 = 0,3967 %: below 0,4 % (met), but two decimals would show 0,40 %.
    passing = _figure("T2b", 49, 12351, "<", "0.4")
    # 89 999 of 100 000 = 89,999 % misses "≥ 90 %" yet rounds to 90,00 %.
    missing = _figure("T2a", 89999, 100000, ">=", "90")

    assert (passing.status, figure_percent(passing)) == ("met", "0,397 %")
    assert (missing.status, figure_percent(missing)) == ("not_met", "89,999 %")
    assert figure_percent(_figure("T1a", 912, 1000, ">", "90")) == "91,20 %"


def test_margins_in_words():
    assert margin_text(_figure("T1a", 17, 20, ">", "90")) == "cần thêm 2 TCCSĐ"
    assert margin_text(_figure("T2b", 3, 2000, "<", "0.4")) == "còn được phép 4 đảng viên"
    assert margin_text(_figure("T2b", 12, 2000, "<", "0.4")) == "vượt 5 đảng viên so với mức cho phép"
    # > 4 % of 10 000 needs 401 admissions: 1 234 leaves 833 to spare.
    assert margin_text(_figure("T3", 1234, 10000, ">", "4")) == "dư 833 đảng viên kết nạp so với ngưỡng"
    assert margin_text(_figure("T4", 91, 100, ">", "90")) == "vừa đủ đạt: bớt 1 là không đạt"
    assert margin_text(_figure("T2a", 20000, 20000, ">=", "90")) == "dư 2.000 đảng viên so với ngưỡng"
