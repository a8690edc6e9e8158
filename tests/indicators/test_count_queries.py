"""The member-ratings count (T2) and the theory share read each a fixed number of statements whatever the
number of members: the stint holding a member on 31/12 is joined, not looked up per rating (issue 13).
Expected values counted by hand from the `rated_2024` fixture (tests/indicators/conftest.py)."""

from datetime import date

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save
from indicators import tracked
from indicators.selectors.counts import MEMBER_RATINGS, year_counts
from indicators.selectors.scope import _in_subtree, _subtree
from organizations.models import Placement
from tests.factories import make_member

ON = date(2024, 12, 31)


def _path(organization):
    return Placement.objects.on(ON).get(organization=organization).path


def _member_counts(scope):
    path = _path(scope)
    return year_counts(2024, _subtree(path, ON), path, sources={MEMBER_RATINGS})


def _rate_more(tree, root_user, n):
    members = [make_member(tree["G2"], full_name=f"Hà Văn {i}", admission_date=date(2019, 2, 1)) for i in range(n)]
    member_ratings_save(
        actor=root_user,
        organization=tree["G2"],
        year=RatingYear.objects.get(year=2024),
        entries=[{"member_id": m.pk, "level": "GOOD"} for m in members],
    )


def test_member_ratings_count_where_the_rolls_hold_the_member(tree, root_user, rated_2024):
    counts = _member_counts(tree["P"])

    # G1 rated A (EXCELLENT), B (GOOD) and N (NEW_MEMBER), all three on the rolls of its cell C1 on 31/12/2024.
    assert {k: v for k, v in counts[tree["C1"].pk].items() if v} == {
        "t2_EXCELLENT": 1,
        "t2_GOOD": 1,
        "t2_NEW_MEMBER": 1,
        "t2_total": 3,
    }
    # G2 (a grassroots cell) rated E (EXEMPT) and F (COMPLETED), both on its own rolls.
    assert {k: v for k, v in counts[tree["G2"].pk].items() if v} == {"t2_EXEMPT": 1, "t2_COMPLETED": 1, "t2_total": 2}
    assert not any(counts[tree["G1"].pk].values())


def test_a_cell_as_the_scope_counts_its_members_ratings(tree, root_user, rated_2024):
    counts = _member_counts(tree["C1"])

    assert set(counts) == {tree["C1"].pk}
    assert counts[tree["C1"].pk]["t2_EXCELLENT"] == 1
    assert counts[tree["C1"].pk]["t2_total"] == 3


def test_member_ratings_read_two_statements_whatever_the_number_of_members(
    tree, root_user, rated_2024, django_assert_num_queries
):
    path = _path(tree["P"])
    nodes = _subtree(path, ON)
    with django_assert_num_queries(2):  # the ratings with their roll unit, the rolls on 31/12
        year_counts(2024, nodes, path, sources={MEMBER_RATINGS})
    _rate_more(tree, root_user, 4)
    with django_assert_num_queries(2):
        counts = year_counts(2024, nodes, path, sources={MEMBER_RATINGS})
    # G2: E (EXEMPT), F (COMPLETED) and the four new members (GOOD), six on the rolls.
    assert (counts[tree["G2"].pk]["t2_GOOD"], counts[tree["G2"].pk]["t2_total"]) == (4, 6)


def test_theory_share_reads_two_statements_and_counts_by_hand(tree, root_user, rated_2024, django_assert_num_queries):
    org_ids = _in_subtree(_path(tree["P"]), ON)["organization_id__in"]
    _rate_more(tree, root_user, 3)
    with django_assert_num_queries(2):  # the rolls on 31/12, those of them with intermediate theory or higher
        counts = tracked.theory_counts(2024, org_ids)

    # Only A holds intermediate theory (B: elementary); C1 has A, B, N; G2 has E, F and the three new members.
    assert (counts[tree["C1"].pk]["rolls_end"], counts[tree["C1"].pk]["theory_qualified"]) == (3, 1)
    assert (counts[tree["G2"].pk]["rolls_end"], counts[tree["G2"].pk]["theory_qualified"]) == (5, 0)
