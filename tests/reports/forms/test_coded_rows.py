"""The coded rows of Biểu 2 (occupation at admission, general education, professional qualification, youth union)
and Biểu 3 (occupation now, general education, professional qualification) over the hand-built province
(tests/reports/forms/conftest.py), counted by hand."""

from datetime import date

from members.models import Code, Member
from reports.forms import compute

Y2024 = (date(2024, 1, 1), date(2024, 12, 31))


def _code(code_list, code):
    return Code.objects.get(list=code_list, code=code)


LISTS = {"occupation_at_admission": "occupation", "occupation_now": "occupation"}


def _record(person, **codes):
    """Give the member codes by field: {field: code of the field's list}."""
    fields = {field: _code(LISTS.get(field, field.removeprefix("general_")), code) for field, code in codes.items()}
    Member.objects.filter(pk=person.pk).update(**fields)


def _cells(form, actor, org, column=0):
    table = compute(form, actor=actor, organization_id=org.pk, period_start=Y2024[0], period_end=Y2024[1])
    return {line.key: line.values[column] for line in table.lines}


def test_bieu2_admissions_by_occupation_education_qualification_and_youth_union(province):
    people = province["people"]
    _record(people["n1"], occupation_at_admission="SINH_VIEN", general_education="THPT", qualification="DAI_HOC")
    _record(people["n2"], occupation_at_admission="CN_DN_NNN", general_education="THPT")
    _record(people["r1"], occupation_at_admission="NONG_LAM_NGU", general_education="THCS", qualification="KHONG")
    Member.objects.filter(pk__in=[people["n1"].pk, people["n2"].pk]).update(youth_union_at_admission=True)
    Member.objects.filter(pk=people["r1"].pk).update(youth_union_at_admission=False)

    cells = _cells("bieu2", province["admin"], province["orgs"]["P"])
    last_year = _cells("bieu2", province["admin"], province["orgs"]["P"], 1)

    # Admitted in 2024: n1, n2, r1 and n3 (no codes recorded); in 2023: p1 (no codes).
    assert cells["youth_union"] == 2  # n1, n2 (r1 said no, n3 unknown)
    assert (cells["occupation_sinh_vien"], cells["occupation_cn_dn_nnn"], cells["occupation_nong_lam_ngu"]) == (1, 1, 1)
    assert (cells["occupation_cbcc_nn"], cells["occupation_none"]) == (0, 1)  # n3
    assert (cells["education_thpt"], cells["education_thcs"], cells["education_th"], cells["education_none"]) == (
        2,
        1,
        0,
        1,
    )
    assert (cells["qualification_dai_hoc"], cells["qualification_khong"], cells["qualification_none"]) == (1, 1, 2)
    assert (cells["analysis"], cells["occupations"], cells["education"], cells["qualification"]) == (None,) * 4
    assert (last_year["occupation_none"], last_year["education_none"], last_year["youth_union"]) == (1, 1, 0)


def test_bieu3_members_by_occupation_education_and_qualification(province):
    people = province["people"]
    _record(people["a1"], occupation_now="HUU_TRI", general_education="THPT", qualification="DAI_HOC")
    _record(people["a6"], occupation_now="CBCC_XA")
    _record(people["b1"], occupation_now="NONG_LAM_NGU")
    _record(people["c1"], occupation_now="CN_DN_NNN", qualification="TRUNG_CAP")
    _record(people["n1"], occupation_now="SINH_VIEN")
    _record(people["a3"], general_education="THCS")
    _record(people["e2"], general_education="TH")
    _record(people["a2"], occupation_now="CBCC_NN", qualification="THAC_SI")  # left the province on 20/12/2024

    cells = _cells("bieu3", province["admin"], province["orgs"]["P"])
    shares = _cells("bieu3", province["admin"], province["orgs"]["P"], 1)

    # 14 on the rolls on 31/12/2024: a1 a3 n1 t1 a6 b1 n2 c1 r1 b2 e1 e2 e3 n3.
    assert (cells["occupation_huu_tri"], cells["occupation_cbcc_xa"], cells["occupation_nong_lam_ngu"]) == (1, 1, 1)
    assert (cells["occupation_cn_dn_nnn"], cells["occupation_sinh_vien"], cells["occupation_cbcc_nn"]) == (1, 1, 0)
    assert cells["occupation_none"] == 9  # 14 − 5
    assert (cells["education_thpt"], cells["education_thcs"], cells["education_th"], cells["education_none"]) == (
        1,
        1,
        1,
        11,
    )
    assert (cells["qualification_dai_hoc"], cells["qualification_trung_cap"], cells["qualification_thac_si"]) == (
        1,
        1,
        0,
    )
    assert cells["qualification_none"] == 12
    assert shares["occupation_none"] == 64.29  # 9 × 100 / 14
    assert cells["occupations"] is None
