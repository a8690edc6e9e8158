"""The snapshot refresh fanned out over partitions (indicators.fanout) writes the rows snapshot_refresh writes."""

import pytest
from django.utils import timezone

from indicators import fanout
from indicators.models import IndicatorSnapshot, SnapshotRun, StagedSnapshot
from indicators.services import snapshot_refresh
from indicators.tasks import refresh_snapshots_task


def _rows(year):
    return {
        s.organization_id: (s.counts, s.by_type) for s in IndicatorSnapshot.objects.filter(year=year).order_by("pk")
    }


def test_fanout_plan_splits_a_single_root_into_its_subtrees(tree):
    plan = fanout.refresh_plan(2024)

    # On 31/12/2024 P holds D1 and D2 (X1 begins in 2025).
    assert [node.code for node in plan.above] == ["P"]
    assert sorted(node.code for node in plan.partitions) == ["D1", "D2"]


def test_fanout_plan_takes_each_root_whole_when_there_are_several(tree, second_province):
    plan = fanout.refresh_plan(2024)

    assert plan.above == []
    assert sorted(node.code for node in plan.partitions) == ["P", "TP"]


@pytest.mark.parametrize("split", [True, False])
def test_fanout_rows_equal_the_single_process_refresh(tree, rated_2024, second_province, split):
    snapshot_refresh(year=2024)
    reference = _rows(2024)

    fanout.refresh_chord(year=2024, split=split).apply()

    assert _rows(2024) == reference
    assert len(reference) == 14  # P, D1, G1, C1, C2, D2, G2 and TP, TD, TD2, TG1, TC1, TG3, TG4
    assert len(set(IndicatorSnapshot.objects.filter(year=2024).values_list("computed_at", flat=True))) == 1
    assert not StagedSnapshot.objects.exists()
    assert not SnapshotRun.objects.exists()


def test_fanout_counts_a_person_on_committees_of_two_districts_once_in_the_province(second_province):
    fanout.refresh_chord(year=2024, split=True).apply()

    rows = _rows(2024)
    counts = {code: rows[second_province[code].pk][0] for code in ("TP", "TD", "TD2")}
    # TD: A (TG1), B (TG1), C (TG3); TD2: A (TG4). TP: A, B, C — A once, not twice (4 seats on 31/12).
    assert (counts["TD"]["t4_total"], counts["TD"]["t4_qualified"]) == (3, 1)
    assert (counts["TD2"]["t4_total"], counts["TD2"]["t4_qualified"]) == (1, 1)
    assert (counts["TP"]["t4_total"], counts["TP"]["t4_qualified"]) == (3, 1)
    # State agencies TG3 and TG4: C and A; wards TG1: A and B.
    by_type = rows[second_province["TP"].pk][1]
    assert (by_type["STATE_AGENCY"]["t4_total"], by_type["WARD"]["t4_total"]) == (2, 2)


def test_fanout_replaces_the_year_only_at_its_last_step(tree, rated_2024):
    snapshot_refresh(year=2024)
    before = _rows(2024)
    stamp = IndicatorSnapshot.objects.filter(year=2024).values_list("computed_at", flat=True).first()
    run = SnapshotRun.objects.create(year=2024, started_at=stamp)
    d1 = tree["D1"]
    partition = {"run_id": run.pk, "year": 2024, "path": f"/{tree['P'].pk}/{d1.pk}/", "report_above": True}

    first = fanout.refresh_partition(**partition)
    again = fanout.refresh_partition(**partition)

    # D1, G1, C1, C2 staged once however often the partition runs; readers still see the old rows.
    assert first["rows"] == again["rows"] == StagedSnapshot.objects.filter(run=run).count() == 4
    assert _rows(2024) == before
    assert set(IndicatorSnapshot.objects.filter(year=2024).values_list("computed_at", flat=True)) == {stamp}


def test_fanout_last_step_run_twice_changes_nothing_the_second_time(tree, rated_2024):
    fanout.refresh_chord(year=2024).apply()
    rows = _rows(2024)
    run = SnapshotRun.objects.create(year=2024, started_at=timezone.now())
    run_id = run.pk
    run.delete()

    assert fanout.refresh_finish(results=[], run_id=run_id, year=2024, above_paths=[]) is None
    assert fanout.refresh_partition(run_id=run_id, year=2024, path=f"/{tree['P'].pk}/", report_above=False) is None
    assert _rows(2024) == rows


def test_refresh_task_called_in_process_runs_the_fanout_in_place(tree, rated_2024):
    refresh_snapshots_task(2024)
    fanned = _rows(2024)
    snapshot_refresh(year=2024)

    assert fanned == _rows(2024)
    # G1 rated, G2 not (tests/indicators/conftest.py): P counts 2 TCCSĐ, 1 rated.
    assert fanned[tree["P"].pk][0]["t1_total"] == 2


def test_fanout_of_a_year_without_a_tree_empties_the_year(tree, rated_2024):
    snapshot_refresh(year=2024)

    # 31/12/2018: before every organization of the tree began (01/01/2019).
    IndicatorSnapshot.objects.filter(year=2024).update(year=2018)
    fanout.refresh_chord(year=2018).apply()

    assert not IndicatorSnapshot.objects.filter(year=2018).exists()
    assert not SnapshotRun.objects.exists()
