"""The lists behind the dashboard's numbers, counted by hand on the small province rated for 2024, and the
rule that a list has exactly as many rows as the figure counts."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import Http404

from evaluations.demo import seed_ratings
from evaluations.models import MemberRating
from indicators.selectors import (
    DENOMINATOR,
    FIGURE_GROUPS,
    MISSING,
    NOT_RATED,
    NUMERATOR,
    compliance,
    figure_rows,
)
from organizations.models import Organization, OrgKind, Placement
from tests.factories import make_member

PENDING = "PENDING"


def _names(actor, scope, indicator, group, year=2024, **kwargs):
    _kind, rows = figure_rows(actor=actor, year=year, scope_id=scope.pk, indicator=indicator, group=group, **kwargs)
    return sorted(_name_of(row) for row in rows)


def _name_of(row):
    if hasattr(row, "member"):
        return row.member.full_name
    return row.organization.code


def _count_of(figure, group):
    if group == NUMERATOR:
        return figure.numerator
    if group == DENOMINATOR:
        return figure.denominator
    if group == MISSING:
        return figure.not_rated.get(PENDING, 0)
    return sum(n for reason, n in figure.not_rated.items() if reason != PENDING)


def _assert_lists_match_figures(actor, year, scope_id, figures, org_type=""):
    for code, figure in figures.items():
        for group in FIGURE_GROUPS[code]:
            _kind, rows = figure_rows(
                actor=actor, year=year, scope_id=scope_id, indicator=code, group=group, org_type=org_type
            )
            assert rows.count() == _count_of(figure, group), (scope_id, org_type, code, group)


def test_t1_lists_of_the_province(tree, root_user, rated_2024):
    province = tree["P"]

    good = _names(root_user, province, "T1a", NUMERATOR)
    rated = _names(root_user, province, "T1a", DENOMINATOR)
    failed = _names(root_user, province, "T1b", NUMERATOR)

    # G1 rated GOOD, G2 NOT_COMPLETED; the cells C1 and C2 are not TCCSĐ.
    assert good == ["G1"]
    assert rated == ["G1", "G2"]
    assert failed == ["G2"]
    assert _names(root_user, province, "T1a", MISSING) == []


def test_t2_lists_of_the_province(tree, root_user, rated_2024):
    province = tree["P"]

    good = _names(root_user, province, "T2a", NUMERATOR)
    rated = _names(root_user, province, "T2a", DENOMINATOR)
    not_rated = _names(root_user, province, "T2a", NOT_RATED)
    exempt = _names(root_user, province, "T2a", NOT_RATED, reason="EXEMPT")

    assert good == ["Lê Văn An", "Trần Thị Bình"]
    assert rated == ["Lê Văn An", "Trần Thị Bình", "Vũ Thị Phương"]
    assert not_rated == ["Phạm Minh Nam", "Đỗ Văn Em"]
    assert exempt == ["Đỗ Văn Em"]
    assert _names(root_user, province, "T2b", NUMERATOR) == []
    assert _names(root_user, province, "T2a", MISSING) == []


def test_t2_lists_of_each_district(tree, root_user, rated_2024):
    d1_rated = _names(root_user, tree["D1"], "T2a", DENOMINATOR)
    d2_rated = _names(root_user, tree["D2"], "T2a", DENOMINATOR)

    assert d1_rated == ["Lê Văn An", "Trần Thị Bình"]
    assert d2_rated == ["Vũ Thị Phương"]


def test_t2_missing_lists_members_on_the_rolls_without_a_rating(tree, root_user, rated_2024):
    make_member(tree["C2"], full_name="Hoàng Văn Chưa", admission_date=date(2020, 2, 1))

    missing = _names(root_user, tree["P"], "T2a", MISSING)
    figure = compliance(actor=root_user, year=2024, scope_id=tree["P"].pk).scope.figures["T2a"]

    assert missing == ["Hoàng Văn Chưa"]
    assert figure.not_rated[PENDING] == 1


def test_t3_lists_admissions_and_the_rolls_at_the_start_of_the_year(tree, root_user, rated_2024):
    admissions = _names(root_user, tree["P"], "T3", NUMERATOR)
    base = _names(root_user, tree["P"], "T3", DENOMINATOR)

    # N was admitted on 10/09/2024; A, B, E and F were on the rolls on 31/12/2023.
    assert admissions == ["Phạm Minh Nam"]
    assert base == ["Lê Văn An", "Trần Thị Bình", "Vũ Thị Phương", "Đỗ Văn Em"]


def test_t4_lists_committee_members_and_the_qualified(tree, root_user, rated_2024):
    holders = _names(root_user, tree["P"], "T4", DENOMINATOR)
    qualified = _names(root_user, tree["P"], "T4", NUMERATOR)

    # A (intermediate) and B (elementary) sit on G1's committee.
    assert holders == ["Lê Văn An", "Trần Thị Bình"]
    assert qualified == ["Lê Văn An"]


def test_lists_by_tccsd_type(tree, root_user, rated_2024):
    ward = _names(root_user, tree["P"], "T2a", DENOMINATOR, org_type="WARD")
    state_agency = _names(root_user, tree["P"], "T2a", DENOMINATOR, org_type="STATE_AGENCY")
    ward_admissions = _names(root_user, tree["P"], "T3", NUMERATOR, org_type="WARD")

    assert ward == ["Lê Văn An", "Trần Thị Bình"]
    assert state_agency == ["Vũ Thị Phương"]
    assert ward_admissions == ["Phạm Minh Nam"]


def test_2025_missing_tccsd_after_the_reform(tree, root_user, rated_2024):
    missing = _names(root_user, tree["X1"], "T1a", MISSING, year=2025)

    # Nothing is rated for 2025 yet: both TCCSĐ re-attached to X1 on 01/07/2025 are missing.
    assert missing == ["G1", "G2"]


def test_every_list_has_as_many_rows_as_its_figure_counts(tree, root_user, rated_2024):
    make_member(tree["C2"], full_name="Hoàng Văn Chưa", admission_date=date(2020, 2, 1))

    for code in ("P", "D1", "D2", "G1", "G2"):
        result = compliance(actor=root_user, year=2024, scope_id=tree[code].pk)
        _assert_lists_match_figures(root_user, 2024, tree[code].pk, result.scope.figures)
        for org_type, figures in result.by_type:
            _assert_lists_match_figures(root_user, 2024, tree[code].pk, figures, org_type)


@pytest.mark.django_db
def test_lists_match_the_figures_on_the_demo_province():
    call_command("seed_demo", "--size", "tiny", "--seed", "3", stdout=StringIO())
    if not MemberRating.objects.exists():
        seed_ratings(seed=3)
    province = Organization.objects.get(kind=OrgKind.PROVINCE_COMMITTEE)
    root = get_user_model().objects.get(username="admin")

    for year in (2023, 2025):
        top = Placement.objects.on(date(year, 12, 31)).get(organization=province)
        result = compliance(actor=root, year=year, scope_id=top.organization_id)
        _assert_lists_match_figures(root, year, top.organization_id, result.scope.figures)
        for child in result.children[:3]:
            _assert_lists_match_figures(root, year, child.node.id, child.figures)
        for org_type, figures in result.by_type[:3]:
            _assert_lists_match_figures(root, year, top.organization_id, figures, org_type)


def test_lists_are_scoped(tree, district_cadre, rated_2024):
    own = _names(district_cadre, tree["D1"], "T2a", DENOMINATOR)

    with pytest.raises(Http404):
        figure_rows(actor=district_cadre, year=2024, scope_id=tree["D2"].pk, indicator="T2a", group=DENOMINATOR)
    assert own == ["Lê Văn An", "Trần Thị Bình"]


def test_a_group_the_indicator_does_not_have_is_a_404(tree, root_user, rated_2024):
    with pytest.raises(Http404):
        figure_rows(actor=root_user, year=2024, scope_id=tree["P"].pk, indicator="T3", group=MISSING)
