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
