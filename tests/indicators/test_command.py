import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators.models import IndicatorDefinition, Unit


def test_compliance_command_json_carries_every_figure(tree, root_user, rated_2024):
    out = StringIO()

    call_command("compliance", "--year", "2024", "--scope", "D2", "--format", "json", stdout=out)

    data = json.loads(out.getvalue())
    assert data["scope"]["code"] == "D2"
    # The six targets (migration 0007) and the sixteen tracked definitions (migration 0008).
    assert set(data["scope"]["indicators"]) == {
        *("T1a", "T1b", "T2a", "T2b", "T3", "T4"),
        *("KN_DOAN_VIEN", "KN_CONG_NHAN", "KN_TRI_THUC", "KN_HS_SV", "KN_DB_DQTV", "KN_DAN_TOC", "KN_TON_GIAO"),
        *("BT_CHU_TICH", "BT_TRUONG_THON", "TCCSD_NGOAI_NN", "XOA_TEN", "KHAI_TRU", "KY_LUAT"),
        *("LLCT_TRUNG_CAP", "DU_SINH_HOAT", "DU_SH_BAO_PHU"),
    }
    t2a = data["scope"]["indicators"]["T2a"]
    # D2 holds G2: F completed is the only rated member, E is exempt.
    assert (t2a["numerator"], t2a["denominator"], t2a["ratio"], t2a["status"]) == (0, 1, "0.0000", "not_met")
    assert data["scope"]["indicators"]["T1b"]["status"] == "not_met"


def test_compliance_command_table_uses_decimal_comma(tree, root_user, rated_2024):
    out = StringIO()

    call_command("compliance", "--year", "2024", stdout=out)

    assert "66,67 %" in out.getvalue()
    assert "KHÔNG ĐẠT" in out.getvalue()


def test_compliance_command_unknown_scope_is_a_clear_error(tree, root_user):
    with pytest.raises(CommandError) as error:
        call_command("compliance", "--year", "2024", "--scope", "NOPE", stdout=StringIO())

    assert "NOPE" in str(error.value)


def test_compliance_command_prints_a_tracked_count_without_a_threshold(tree, root_user, rated_2024):
    IndicatorDefinition.objects.create(
        code="KN", name_vi="Số đảng viên kết nạp", numerator="admissions", unit=Unit.COUNT, group="other", order=1
    )
    out = StringIO()

    call_command("compliance", "--year", "2024", "--format", "json", stdout=out)
    table = StringIO()
    call_command("compliance", "--year", "2024", stdout=table)

    # 2024's admissions in the province: N (10/09/2024) alone; a count, over no denominator, not judged.
    data = json.loads(out.getvalue())
    assert (data["scope"]["indicators"]["KN"]["numerator"], data["scope"]["indicators"]["KN"]["denominator"]) == (1, 0)
    assert next(d for d in data["definitions"] if d["code"] == "KN")["unit"] == "COUNT"
    line = next(line for line in table.getvalue().splitlines() if line.startswith("KN "))
    assert line.split()[:4] == ["KN", "1", "0", "1"]
    assert "THEO DÕI" in line
