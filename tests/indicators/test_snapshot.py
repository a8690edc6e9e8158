from datetime import date

from indicators.definitions import definitions_for
from indicators.selectors import compliance, compliance_snapshot, default_program
from indicators.services import snapshot_refresh
from indicators.tasks import refresh_open_years_task
from tests.factories import make_member


def _numbers(result):
    data = result.as_dict()
    data.pop("computed_at")
    return data


def test_snapshot_gives_the_same_figures_as_the_live_computation(tree, root_user, rated_2024):
    for year in range(2020, 2025):
        snapshot_refresh(year=year)

    for code in ("P", "D1", "D2", "G1"):
        live = compliance(actor=root_user, year=2024, scope_id=tree[code].pk)
        stored = compliance_snapshot(actor=root_user, year=2024, scope_id=tree[code].pk)
        assert _numbers(stored) == _numbers(live), code
        assert stored.computed_at is not None


def test_snapshot_is_none_before_the_first_refresh(tree, root_user):
    assert compliance_snapshot(actor=root_user, year=2023, scope_id=tree["P"].pk) is None


def test_snapshot_refresh_replaces_the_year(tree, root_user, rated_2024):
    snapshot_refresh(year=2024)
    make_member(tree["C2"], full_name="Người Mới", admission_date=date(2024, 11, 5))

    snapshot_refresh(year=2024)
    stored = compliance_snapshot(actor=root_user, year=2024, scope_id=tree["P"].pk)

    # 5 members on the rolls on 31/12/2024 plus the new one; 2 admissions in 2024 (N and the new one).
    assert stored.scope.figures["T2a"].total == 6
    assert stored.scope.figures["T3"].numerator == 2


def test_snapshot_is_scoped_like_the_live_figures(tree, district_cadre, rated_2024):
    import pytest
    from django.http import Http404

    snapshot_refresh(year=2024)

    own = compliance_snapshot(actor=district_cadre, year=2024)
    with pytest.raises(Http404):
        compliance_snapshot(actor=district_cadre, year=2024, scope_id=tree["D2"].pk)
    assert own.scope.node.code == "D1"


def test_nightly_task_refreshes_open_years_only(tree, root_user, rated_2024):
    from evaluations.models import RatingYear, YearState

    RatingYear.objects.exclude(year=2025).update(state=YearState.CLOSED)

    years = refresh_open_years_task()

    assert years == [2025]
    assert compliance_snapshot(actor=root_user, year=2025, scope_id=tree["X1"].pk) is not None
    assert compliance_snapshot(actor=root_user, year=2024, scope_id=tree["P"].pk) is None


def test_the_dashboard_tables_figures_hold_the_same_numbers_without_their_breakdowns(tree, root_user, rated_2024):
    snapshot_refresh(year=2024)
    program = default_program()
    group = definitions_for(program)[0].group  # T1a's group, the program's targets: the dashboard's tables

    full = compliance_snapshot(actor=root_user, year=2024, scope_id=tree["P"].pk)
    tables = compliance_snapshot(actor=root_user, year=2024, scope_id=tree["P"].pk, tables_group=group)

    def t2a(result, code):
        child = next(c for c in result.children if c.node.code == code)
        figure = child.figures["T2a"]
        return figure.numerator, figure.denominator, figure.total, figure.status, figure.not_rated

    # D1: A (excellent) and B (good) of 3 on the rolls, N new and not rated. D2: F completed, E exempt.
    assert t2a(full, "D1")[:3] == t2a(tables, "D1")[:3] == (2, 2, 3)
    assert t2a(full, "D2")[:3] == t2a(tables, "D2")[:3] == (0, 1, 2)
    assert t2a(full, "D1")[3] == t2a(tables, "D1")[3]
    assert t2a(full, "D1")[4]["NEW_MEMBER"] == 1
    assert t2a(full, "D2")[4]["EXEMPT"] == 1
    # A table cell shows no breakdown: the tables' figures carry none. The scope's own figures (its tiles) do.
    assert t2a(tables, "D1")[4] == t2a(tables, "D2")[4] == {}
    assert tables.scope.figures["T2a"].not_rated == full.scope.figures["T2a"].not_rated
