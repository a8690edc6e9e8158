"""Biểu 3, Biểu 5 and the member register over the hand-built province on 31/12/2024, counted by hand.

On the rolls on 31/12/2024 (14): CA1 a1 a3 n1 · CA2 t1 · GA a6 · GB b1 n2 · GC c1 r1 b2 · GF e1 e2 e3 n3.
"""

from datetime import date

from reports.forms import compute

Y2024 = (date(2024, 1, 1), date(2024, 12, 31))


def _table(form, actor, org):
    return compute(form, actor=actor, organization_id=org.pk, period_start=Y2024[0], period_end=Y2024[1])


def test_bieu5_province_by_type_on_31_12_2024(province):
    table = _table("bieu5", province["admin"], province["orgs"]["P"])
    rows = {line.key: line.values for line in table.lines}

    # Columns: TCCSĐ, đảng bộ cơ sở, chi bộ cơ sở, đảng bộ bộ phận, chi bộ trực thuộc, members.
    assert rows["ward"] == (1, 1, 0, 0, 2, 5)  # GA with CA1 (3), CA2 (1) and its own a6
    assert rows["commune"] == (2, 0, 2, 0, 0, 6)  # GB (2) and GF (4); GE ended on 30/06
    assert rows["private_enterprise"] == (1, 0, 1, 0, 0, 3)  # GC
    assert rows["state_agency"] == (0, 0, 0, 0, 0, 0)
    assert rows["total"] == (4, 1, 3, 0, 2, 14)


def test_bieu5_total_members_equal_the_bieu1_end_rolls(province):
    admin, p = province["admin"], province["orgs"]["P"]

    assert _table("bieu5", admin, p).value("total", 5) == _table("bieu1", admin, p).value("end")


def test_bieu5_district(province):
    rows = {line.key: line.values for line in _table("bieu5", province["admin"], province["orgs"]["D2"]).lines}

    assert rows["total"] == (2, 0, 2, 0, 0, 7)


def test_bieu3_province_on_31_12_2024(province):
    table = _table("bieu3", province["admin"], province["orgs"]["P"])
    cells = {line.key: line.values[0] for line in table.lines}

    assert cells["total"] == 14
    assert cells["women"] == 3  # a3, n1, e1
    assert cells["probationary"] == 4  # n1, n2, n3, r1 (re-admitted 20/05/2024)
    assert cells["minority"] == 2  # a3 Tày, e2 Mường
    assert cells["religion"] == 2  # b1, c1
    # Ages on 31/12/2024: n1 24, n2 25, n3 30 (born 31/12/1994); a6 60 (born 31/12/1964); a1 64; the rest 39.
    assert cells["age_18"] == 3
    assert (cells["age_31"], cells["age_36"], cells["age_41"]) == (0, 9, 0)
    assert (cells["age_46"], cells["age_51"], cells["age_56"], cells["age_61"]) == (0, 0, 1, 1)
    assert cells["age_under_18"] == 0
    # a1 advanced, a6 intermediate, c1 elementary; e1's intermediate dates from 2025; a2 has left.
    assert (cells["theory_none"], cells["theory_elementary"], cells["theory_intermediate"]) == (11, 1, 1)
    assert (cells["theory_advanced"], cells["theory_bachelor"]) == (1, 0)
    assert table.value("women", 1) == 21.43  # 3 × 100 / 14


def test_register_of_a_grassroots_committee_lists_its_cells_members(province):
    people = province["people"]
    table = _table("register", province["admin"], province["orgs"]["GA"])
    rows = {line.key: line for line in table.lines}

    expected = {people[key].record_number for key in ("a1", "a3", "n1", "t1", "a6")}
    assert set(rows) == expected
    n1 = rows[people["n1"].record_number]
    assert n1.label == "Lê Nga"
    assert n1.values[1] == date(2000, 1, 1)
    assert n1.values[5] == date(2024, 3, 10)
    assert n1.values[6] is None  # still probationary on 31/12/2024
    a1 = rows[people["a1"].record_number]
    assert a1.values[6] == date(2016, 3, 2)  # admitted 02/03/2015, official 12 months later
    assert a1.values[4] == "Chi bộ khu phố 1"
