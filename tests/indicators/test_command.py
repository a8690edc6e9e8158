import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


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
