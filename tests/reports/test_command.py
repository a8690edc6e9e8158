"""`manage.py report`: the same job from the command line, writing the workbook."""

import pytest
from django.core.management import CommandError, call_command

from .workbook_checks import check_hand_counted


def test_report_command_now_writes_the_hand_counted_workbook(tree, root_user, closed_2024, tmp_path, capsys):
    out = tmp_path / "report.xlsx"

    call_command("report", year=2024, scope="P", out=str(out), now=True)

    check_hand_counted(out.read_bytes())
    assert str(out) in capsys.readouterr().out


def test_report_command_computes_in_process_when_no_worker_answers(tree, root_user, closed_2024, tmp_path, capsys):
    out = tmp_path / "report.xlsx"

    call_command("report", year=2024, out=str(out), pickup_timeout=0)

    check_hand_counted(out.read_bytes())
    assert "Celery worker" in capsys.readouterr().err


def test_report_command_applies_the_users_scope(tree, district_cadre, tmp_path):
    with pytest.raises(CommandError):
        call_command("report", year=2024, scope="D2", out=str(tmp_path / "x.xlsx"), user="cadre_d1", now=True)

    assert not (tmp_path / "x.xlsx").exists()


def test_report_command_again_makes_a_new_version_and_leaves_the_issued_one(
    tree, root_user, board_user, rated_2024, tmp_path, capsys
):
    from reports.issuing import report_run_issue
    from reports.models import ReportRun

    call_command("report", year=2024, scope="P", out=str(tmp_path / "v1.xlsx"), now=True)
    issued = report_run_issue(actor=board_user, run_id=ReportRun.objects.get().pk)
    before = (issued.workbook.name, issued.results, issued.requested_by_id)
    capsys.readouterr()

    call_command("report", year=2024, scope="P", out=str(tmp_path / "v2.xlsx"), now=True)

    issued.refresh_from_db()
    assert (issued.workbook.name, issued.results, issued.requested_by_id) == before
    assert list(ReportRun.objects.order_by("version").values_list("version", "number")) == [(1, "1-BC/BTCTU"), (2, "")]
    assert "(phiên bản 2)" in capsys.readouterr().err
