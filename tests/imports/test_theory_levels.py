"""The political theory levels file: several levels per member, all or nothing, idempotent, scoped."""

from datetime import date

from evaluations.models import ImportState, RatingYear, YearState
from members.models import TheoryQualification
from party_portal import closed_years
from tests.factories import make_member

from .conftest import FIRST_ROW, confirm, errors_of, upload, workbook

SLUG = "trinh-do-ly-luan"
ADMITTED = date(2020, 3, 2)


def _row(record, level, obtained_on, name=""):
    return {"record_number": record, "full_name": name, "theory_level": level, "theory_obtained_on": obtained_on}


def _levels():
    return sorted(TheoryQualification.objects.values_list("member__record_number", "level", "obtained_on"))


def test_theory_levels_several_per_member_are_written_with_their_audit(client, tree, grassroots_cadre):
    make_member(tree["C1"], admission_date=ADMITTED, record_number="300001TN")
    make_member(tree["C2"], admission_date=ADMITTED, record_number="300002TN")
    client.force_login(grassroots_cadre)
    rows = [
        _row("300001TN", "Sơ cấp", date(2016, 5, 4)),
        _row("300001TN", "Trung cấp", "20/11/2019"),
        _row(" 300002tn ", "Cao cấp", date(2018, 6, 30)),
    ]

    job = upload(client, SLUG, workbook(SLUG, rows))
    assert job.report["counts"] == {"new": 3, "updated": 0, "unchanged": 0, "rejected": 0}, job.report
    assert TheoryQualification.objects.count() == 0
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    assert job.report["written"] == {"theory_levels": 3, "theory_levels_redated": 0}
    assert _levels() == [
        ("300001TN", 1, date(2016, 5, 4)),
        ("300001TN", 2, date(2019, 11, 20)),
        ("300002TN", 3, date(2018, 6, 30)),
    ]
    audit = TheoryQualification.history.filter(history_type="+")
    assert sorted(audit.values_list("history_door", "history_user__username")) == [("import", "cadre_g1")] * 3


def test_theory_levels_one_bad_row_writes_nothing_and_says_where(client, tree, grassroots_cadre):
    make_member(tree["C1"], admission_date=ADMITTED, record_number="300001TN")
    client.force_login(grassroots_cadre)
    rows = [
        _row("300001TN", "Sơ cấp", date(2016, 5, 4)),
        _row("300001TN", "Trung cấp", "31/02/2019"),
        _row("300009TN", "Cao cấp", date(2018, 6, 30)),
        _row("300001TN", "Sơ cấp", date(2016, 5, 4)),
    ]

    job = confirm(client, upload(client, SLUG, workbook(SLUG, rows)))

    assert job.state == ImportState.REJECTED
    assert errors_of(job) == [
        (FIRST_ROW + 1, "Ngày đạt trình độ LLCT", "“31/02/2019” không phải là ngày; hãy ghi theo dạng dd/mm/yyyy."),
        (
            FIRST_ROW + 2,
            "Số lý lịch đảng viên",
            "Không có đảng viên nào mang số lý lịch 300009TN trong phạm vi bạn phụ trách.",
        ),
        (FIRST_ROW + 3, "Trình độ lý luận chính trị", "Trình độ này của đảng viên đã có ở dòng 3 của tệp này."),
    ]
    assert job.report["counts"] == {"new": 1, "updated": 0, "unchanged": 0, "rejected": 3}
    assert TheoryQualification.objects.count() == 0


def test_theory_levels_reimport_changes_nothing_and_a_new_date_redates(client, tree, grassroots_cadre):
    make_member(tree["C1"], admission_date=ADMITTED, record_number="300001TN")
    client.force_login(grassroots_cadre)
    rows = [_row("300001TN", "Sơ cấp", date(2016, 5, 4)), _row("300001TN", "Trung cấp", date(2019, 11, 20))]
    content = workbook(SLUG, rows)
    confirm(client, upload(client, SLUG, content))
    history = TheoryQualification.history.count()

    again = confirm(client, upload(client, SLUG, content))

    assert (again.state, again.report["counts"]) == (
        ImportState.DONE,
        {"new": 0, "updated": 0, "unchanged": 2, "rejected": 0},
    )
    assert TheoryQualification.history.count() == history
    redated = confirm(client, upload(client, SLUG, workbook(SLUG, [_row("300001TN", "Trung cấp", "01/12/2019")])))
    assert redated.report["rows"][0][4] == "Trình độ lý luận chính trị: Trung cấp 20/11/2019 → Trung cấp 01/12/2019"
    assert _levels() == [("300001TN", 1, date(2016, 5, 4)), ("300001TN", 2, date(2019, 12, 1))]


def test_theory_levels_a_member_outside_the_subtree_is_refused_unnamed(client, tree, grassroots_cadre):
    make_member(tree["C1"], admission_date=ADMITTED, record_number="300001TN")
    make_member(tree["G2"], admission_date=ADMITTED, record_number="300002TN", full_name="Người Ở Nơi Khác")
    client.force_login(grassroots_cadre)
    rows = [_row("300001TN", "Sơ cấp", date(2016, 5, 4)), _row("300002TN", "Sơ cấp", date(2016, 5, 4))]

    job = upload(client, SLUG, workbook(SLUG, rows))

    assert job.state == ImportState.REJECTED
    assert errors_of(job) == [
        (
            FIRST_ROW + 1,
            "Số lý lịch đảng viên",
            "Không có đảng viên nào mang số lý lịch 300002TN trong phạm vi bạn phụ trách.",
        )
    ]
    assert "Người Ở Nơi Khác" not in str(job.report)
    assert TheoryQualification.objects.count() == 0


def test_theory_levels_a_date_reaching_a_closed_year_is_refused(client, tree, grassroots_cadre):
    make_member(tree["C1"], admission_date=ADMITTED, record_number="300001TN")
    RatingYear.objects.filter(year=2023).update(state=YearState.CLOSED)
    client.force_login(grassroots_cadre)
    rows = [_row("300001TN", "Sơ cấp", date(2016, 5, 4)), _row("300001TN", "Trung cấp", date(2024, 3, 1))]

    job = upload(client, SLUG, workbook(SLUG, rows))

    # A level counts from its date on: one obtained in 2016 would change 2023's locked figures, one of 2024 not.
    assert errors_of(job) == [
        (
            FIRST_ROW,
            "Ngày đạt trình độ LLCT",
            str(closed_years.YEAR_CLOSED % {"year": 2023, "date": "04/05/2016"}),
        )
    ]
    assert job.report["counts"] == {"new": 1, "updated": 0, "unchanged": 0, "rejected": 1}
