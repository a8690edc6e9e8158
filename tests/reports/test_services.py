"""Report runs through the service layer, executed in-process (the real worker is in test_worker.py)."""

import os
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluations.models import RatingYear
from evaluations.services import year_close
from organizations.models import RoleKind
from reports import services
from reports.models import ReportRun, RunStatus
from tests.factories import UserFactory, give_role

from .workbook_checks import check_hand_counted


def _files(run):
    folder = os.path.dirname(run.workbook.path)
    return sorted(os.listdir(folder))


def _start(actor, scope, year=2024):
    return services.report_run_start(actor=actor, year=year, scope_id=scope.pk)


def test_report_run_start_enqueues_after_commit(tree, root_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run = _start(root_user, tree["P"])

    assert (run.status, run.progress, run.requested_by, run.scope) == (RunStatus.QUEUED, 0, root_user, tree["P"])
    assert len(callbacks) == 1


def test_report_run_start_twice_while_queued_is_one_run_and_one_job(
    tree, root_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = _start(root_user, tree["P"])
        second = _start(root_user, tree["P"])

    assert first.pk == second.pk
    assert len(callbacks) == 1


def test_report_run_start_defaults_to_the_top_of_the_actors_scope(tree, district_cadre):
    run = services.report_run_start(actor=district_cadre, year=2024)

    assert run.scope == tree["D1"]


def test_report_run_start_outside_the_scope_is_refused(tree, district_cadre):
    with pytest.raises(PermissionDenied):
        _start(district_cadre, tree["D2"])

    assert not ReportRun.objects.exists()


def test_report_run_start_outside_the_program_years_is_refused(tree, root_user):
    with pytest.raises(ValidationError) as error:
        _start(root_user, tree["P"], year=2019)

    assert error.value.code == "year_outside_program"


def test_report_run_execute_writes_results_and_the_hand_counted_workbook(tree, root_user, closed_2024):
    run = _start(root_user, tree["P"])

    services.report_run_execute(run.pk)

    run.refresh_from_db()
    assert (run.status, run.progress, run.attempts, run.error) == (RunStatus.DONE, 100, 1, "")
    assert run.started_at <= run.finished_at
    assert run.results["scope"]["indicators"]["T2a"]["numerator"] == 2
    assert [entry["year"] for entry in run.results["trend"]] == [2020, 2021, 2022, 2023, 2024]
    with run.workbook.open("rb") as workbook:
        check_hand_counted(workbook.read())


def test_report_run_execute_twice_is_a_no_op(tree, root_user, rated_2024):
    run = _start(root_user, tree["P"])
    services.report_run_execute(run.pk)
    run.refresh_from_db()
    first_results, first_file, first_finish = run.results, run.workbook.name, run.finished_at

    assert services.report_run_execute(run.pk) is None

    run.refresh_from_db()
    assert (run.results, run.workbook.name, run.finished_at, run.attempts) == (
        first_results,
        first_file,
        first_finish,
        1,
    )
    assert len(_files(run)) == 1


def test_report_rerun_is_a_new_version_and_the_earlier_one_stays_with_its_file(
    tree, root_user, board_user, rated_2024, django_capture_on_commit_callbacks
):
    first = _start(root_user, tree["P"])
    services.report_run_execute(first.pk)
    first.refresh_from_db()
    first_file, first_finish = first.workbook.name, first.finished_at

    second = _start(board_user, tree["P"])
    assert (second.version, second.status, second.requested_by) == (2, RunStatus.QUEUED, board_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_run_execute(second.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, first.status, first.requested_by) == (1, RunStatus.DONE, root_user)
    assert (first.workbook.name, first.finished_at) == (first_file, first_finish)
    assert second.status == RunStatus.DONE
    assert second.workbook.name != first_file
    assert _files(first) == [os.path.basename(first_file)]
    assert _files(second) == [os.path.basename(second.workbook.name)]
    assert (first.results["report"]["version"], second.results["report"]["version"]) == (1, 2)


def test_report_run_failure_before_the_last_attempt_goes_back_to_the_queue(tree, root_user, monkeypatch):
    run = _start(root_user, tree["P"])
    monkeypatch.setattr(services.workbook, "build", lambda results: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        services.report_run_execute(run.pk, final_attempt=False)

    run.refresh_from_db()
    assert (run.status, run.results, run.workbook.name) == (RunStatus.QUEUED, None, "")
    assert run.error.startswith("ZeroDivisionError")


def test_report_run_failure_on_the_last_attempt_fails_the_run(tree, root_user, monkeypatch):
    run = _start(root_user, tree["P"])
    monkeypatch.setattr(services.workbook, "build", lambda results: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        services.report_run_execute(run.pk)

    run.refresh_from_db()
    assert (run.status, run.results, run.workbook.name) == (RunStatus.FAILED, None, "")
    assert services.report_run_execute(run.pk) is None  # a failed run waits for a new request


def test_report_run_requester_who_lost_the_scope_fails_at_once(tree, district_cadre):
    run = services.report_run_start(actor=district_cadre, year=2024)
    district_cadre.party_roles.all().delete()

    with pytest.raises(PermissionDenied):
        services.report_run_execute(run.pk, final_attempt=False)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED


def test_report_run_older_attempt_cannot_overwrite_a_newer_one(tree, root_user, rated_2024):
    """A worker presumed dead finishing late must not write over the attempt that replaced it."""
    run = _start(root_user, tree["P"])
    stale = services._claim(run.pk)
    current = services._claim(run.pk)

    services._finish(run.pk, stale.attempts, {"stale": True}, b"stale")
    run.refresh_from_db()
    assert (run.status, run.results) == (RunStatus.RUNNING, None)

    services._finish(run.pk, current.attempts, {"fresh": True}, b"fresh")
    run.refresh_from_db()
    assert (run.status, run.results, run.attempts) == (RunStatus.DONE, {"fresh": True}, 2)


def test_report_run_done_without_results_is_refused_by_the_database(tree, root_user):
    run = _start(root_user, tree["P"])

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)


def test_report_runs_resume_requeues_only_runs_that_lost_their_worker(
    tree, root_user, rated_2024, django_capture_on_commit_callbacks
):
    lost = _start(root_user, tree["P"])
    services._claim(lost.pk)
    ReportRun.objects.filter(pk=lost.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=30))
    alive = _start(root_user, tree["D1"])
    services._claim(alive.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resumed = services.report_runs_resume()

    assert resumed == [lost.pk]
    assert len(callbacks) == 1
    lost.refresh_from_db()
    assert lost.status == RunStatus.QUEUED
    services.report_run_execute(lost.pk)
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (RunStatus.DONE, 2)


def test_closed_year_reports_start_once_per_close(tree, root_user, django_capture_on_commit_callbacks):
    board = UserFactory(username="board")
    give_role(board, tree["P"], RoleKind.BOARD)
    year_close(actor=board, year=RatingYear.objects.get(year=2024))

    with django_capture_on_commit_callbacks(execute=False):
        started = services.closed_year_reports_start()
        again = services.closed_year_reports_start()

    assert [(run.year, run.scope, run.requested_by) for run in started] == [(2024, tree["P"], board)]
    assert again == []


def test_report_run_history_records_who_asked(tree, root_user, rated_2024):
    run = _start(root_user, tree["P"])
    services.report_run_execute(run.pk)

    history = list(run.history.order_by("history_id").values_list("status", "history_user__username"))
    assert history[0] == (RunStatus.QUEUED, "root")
    assert history[-1][0] == RunStatus.DONE
