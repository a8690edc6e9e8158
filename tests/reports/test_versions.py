"""Report versions through the service layer: each request a version, issuing under a number of the year, and
an issued version final whatever writes to it."""

import os
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reports import issuing, services, tasks
from reports.models import ReportRun, RunStatus

from .workbook_checks import open_workbook

BLANK = "\u00a0" * 8
THIS_YEAR = timezone.localdate().year


def _done(actor, scope, year=2024):
    run = services.report_run_start(actor=actor, year=year, scope_id=scope.pk)
    services.report_run_execute(run.pk)
    return ReportRun.objects.get(pk=run.pk)


def _number_lines(run):
    with run.workbook.open("rb") as source:
        sheets = open_workbook(source.read())
    return {key: ws["A4"].value for key, ws in sheets.items()}


def test_versions_of_a_report_count_from_one_and_keep_their_requesters(tree, root_user, board_user, rated_2024):
    first = _done(root_user, tree["P"])
    second = _done(board_user, tree["P"])
    other_scope = _done(board_user, tree["D1"])

    rows = ReportRun.objects.order_by("pk").values_list("scope__code", "version", "requested_by__username", "status")
    assert list(rows) == [
        ("P", 1, "root", RunStatus.DONE),
        ("P", 2, "board", RunStatus.DONE),
        ("D1", 1, "board", RunStatus.DONE),
    ]
    assert first.parameters == {"program": first.program.code, "year": 2024, "scope": "P"}
    assert second.requested_at > first.requested_at
    assert other_scope.version == 1


def test_a_redelivered_task_makes_no_second_version(tree, root_user, rated_2024):
    run = services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)

    first = tasks.report_run_task.apply(args=[run.pk])
    again = tasks.report_run_task.apply(args=[run.pk])

    assert (first.result, again.result) == (RunStatus.DONE, None)
    assert ReportRun.objects.count() == 1
    assert ReportRun.objects.get().attempts == 1


def test_a_draft_leaves_the_number_blank_in_every_sheets_header(tree, root_user, rated_2024):
    run = _done(root_user, tree["P"])

    lines = _number_lines(run)

    assert set(lines.values()) == {f"Số: {BLANK}-BC/BTCTU"}
    assert run.results["report"]["number"] is None


def test_issuing_numbers_versions_in_the_sequence_of_the_year(
    tree, root_user, board_user, rated_2024, django_capture_on_commit_callbacks
):
    province = _done(root_user, tree["P"])
    district = _done(root_user, tree["D1"])

    with django_capture_on_commit_callbacks(execute=True):
        issuing.report_run_issue(actor=board_user, run_id=district.pk)
        issuing.report_run_issue(actor=board_user, run_id=province.pk)

    province.refresh_from_db()
    district.refresh_from_db()
    assert (district.number, district.number_seq, district.number_year) == ("1-BC/BTCTU", 1, THIS_YEAR)
    assert (province.number, province.number_seq, province.number_year) == ("2-BC/BTCTU", 2, THIS_YEAR)
    assert (province.issued_by, province.is_issued) == (board_user, True)
    assert province.download_name == f"bao-cao-2024-P-so-2-{THIS_YEAR}.xlsx"
    assert set(_number_lines(province).values()) == {"Số: 2-BC/BTCTU"}
    assert province.results["report"]["number"] == "2-BC/BTCTU"
    # The numbered workbook replaced the draft's file in the version's folder.
    assert os.listdir(os.path.dirname(province.workbook.path)) == [os.path.basename(province.workbook.name)]


def test_the_sequence_starts_again_each_year(tree, root_user, board_user, rated_2024):
    last_year = _done(root_user, tree["D1"])
    ReportRun.objects.filter(pk=last_year.pk).update(
        issued_at=timezone.now(), issued_by=board_user, number_year=THIS_YEAR - 1, number_seq=7, number="7-BC/BTCTU"
    )
    run = _done(root_user, tree["P"])

    issued = issuing.report_run_issue(actor=board_user, run_id=run.pk)

    assert (issued.number, issued.number_year) == ("1-BC/BTCTU", THIS_YEAR)


def test_issuing_is_the_boards_only(tree, root_user, steering_user, district_cadre, rated_2024):
    run = _done(root_user, tree["D1"])

    for actor in (steering_user, district_cadre):
        with pytest.raises(PermissionDenied):
            issuing.report_run_issue(actor=actor, run_id=run.pk)

    run.refresh_from_db()
    assert (run.is_issued, run.number) == (False, "")


def test_only_a_done_version_not_yet_issued_can_be_issued(tree, root_user, board_user, rated_2024):
    queued = services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)

    with pytest.raises(ValidationError) as not_done:
        issuing.report_run_issue(actor=board_user, run_id=queued.pk)
    services.report_run_execute(queued.pk)
    issuing.report_run_issue(actor=board_user, run_id=queued.pk)
    with pytest.raises(ValidationError) as twice:
        issuing.report_run_issue(actor=board_user, run_id=queued.pk)

    assert not_done.value.messages == [
        "Phiên bản 1 của báo cáo này chưa xong (Đang chờ): chỉ phiên bản đã xong mới ban hành được."
    ]
    assert twice.value.messages == ["Phiên bản 1 của báo cáo này đã được ban hành với số 1-BC/BTCTU."]
    assert ReportRun.objects.filter(number_seq__isnull=False).count() == 1


def test_an_issued_version_is_final_for_every_write(tree, root_user, board_user, rated_2024):
    run = _done(root_user, tree["P"])
    issuing.report_run_issue(actor=board_user, run_id=run.pk)
    run.refresh_from_db()
    before = (run.number, run.workbook.name, run.results, run.finished_at, run.requested_by_id, run.status)

    # A re-run makes version 2 and leaves the issued one; a redelivered job does nothing to it.
    again = services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)
    assert services.report_run_execute(run.pk) is None
    services.report_run_execute(again.pk)
    assert services.report_runs_resume(stale_after=timedelta(0)) == []
    run.status = RunStatus.FAILED
    with pytest.raises(ValidationError):
        run.save()
    with pytest.raises(ValidationError):
        run.delete()
    with pytest.raises(ValidationError):
        ReportRun.objects.filter(scope=tree["P"]).delete()

    run.refresh_from_db()
    after = (run.number, run.workbook.name, run.results, run.finished_at, run.requested_by_id, run.status)
    assert after == before
    assert os.path.exists(run.workbook.path)
    assert list(ReportRun.objects.order_by("version").values_list("version", "number")) == [
        (1, "1-BC/BTCTU"),
        (2, ""),
    ]


def test_the_database_refuses_a_number_twice_and_an_undone_issued_row(tree, root_user, board_user, rated_2024):
    first = _done(root_user, tree["P"])
    second = _done(root_user, tree["D1"])
    issuing.report_run_issue(actor=board_user, run_id=first.pk)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRun.objects.filter(pk=second.pk).update(
            issued_at=timezone.now(), number_year=THIS_YEAR, number_seq=1, number="1-BC/BTCTU"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRun.objects.filter(pk=second.pk).update(status=RunStatus.FAILED, issued_at=timezone.now())


def test_one_computation_at_a_time_per_report(tree, root_user, rated_2024):
    services.report_run_start(actor=root_user, year=2024, scope_id=tree["P"].pk)
    run = ReportRun.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRun.objects.create(
            program=run.program,
            year=2024,
            scope=run.scope,
            version=2,
            requested_by=root_user,
            requested_at=run.requested_at,
        )


def test_a_number_taken_meanwhile_is_retried_with_the_next(
    tree, root_user, board_user, rated_2024, monkeypatch, django_capture_on_commit_callbacks
):
    """Another issue took number 1 between this one's read of the sequence and its write: the unique constraint
    refuses it, its file is removed, and the next number is taken."""
    first = _done(root_user, tree["D1"])
    second = _done(root_user, tree["P"])
    issuing.report_run_issue(actor=board_user, run_id=first.pk)
    reads = iter([1, 2])
    monkeypatch.setattr(issuing, "next_seq", lambda number_year: next(reads))

    with django_capture_on_commit_callbacks(execute=True):
        issued = issuing.report_run_issue(actor=board_user, run_id=second.pk)

    assert issued.number == "2-BC/BTCTU"
    assert set(_number_lines(issued).values()) == {"Số: 2-BC/BTCTU"}
    assert os.listdir(os.path.dirname(issued.workbook.path)) == [f"bao-cao-2024-P-so-2-{THIS_YEAR}.xlsx"]
