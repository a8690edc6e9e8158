"""The reporting cycle's writes: each refusal with its message, the review's workflow, bounded files, scoping."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from reviews import selectors, services
from reviews.models import DueDate, DutyKind, ReportingUnitKind, ReviewStatus

from .conftest import YEAR

PDF = b"%PDF-1.4\n%test\n"
ZIP = b"PK\x03\x04rest-of-a-zip"


def _messages(error):
    return error.value.messages


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


# --- reporting units and due dates -------------------------------------------------------------------------


def test_reporting_unit_create_committee_reports_through_itself_and_outside_unit_through_the_province(province, units):
    assert units["D1"].parent == province["D1"]
    assert units["D1"].organization == province["D1"]
    assert units["HD"].parent == province["P"]
    assert units["HD"].organization is None


def test_reporting_unit_create_refusals(province, program, units):
    board = province["board"]
    common = {"actor": board, "program": program, "valid_from": date(2020, 1, 1)}

    with pytest.raises(ValidationError) as no_org:
        services.reporting_unit_create(code="X", name="X", kind=ReportingUnitKind.COMMITTEE, **common)
    with pytest.raises(ValidationError) as org_outside:
        services.reporting_unit_create(
            code="X", name="X", kind=ReportingUnitKind.YOUTH_UNION, organization=province["D2"], **common
        )
    with pytest.raises(ValidationError) as taken:
        services.reporting_unit_create(code="BC-D1", name="X", kind=ReportingUnitKind.YOUTH_UNION, **common)
    with pytest.raises(ValidationError) as dates:
        services.reporting_unit_create(
            code="Y", name="Y", kind=ReportingUnitKind.YOUTH_UNION, valid_to=date(2019, 1, 1), **common
        )

    assert _messages(no_org) == [services.UNIT_COMMITTEE_NEEDS_ORG]
    assert _messages(org_outside) == [services.UNIT_OTHER_NO_ORG]
    assert _messages(taken) == [services.UNIT_CODE_TAKEN]
    assert _messages(dates) == [services.UNIT_DATES_ORDER]


def test_reporting_unit_create_and_due_dates_are_the_boards(province, program, units):
    with pytest.raises(PermissionDenied):
        services.reporting_unit_create(
            actor=province["cadre_d1"],
            program=program,
            code="Z",
            name="Z",
            kind=ReportingUnitKind.YOUTH_UNION,
            valid_from=date(2020, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.due_date_set(
            actor=province["cadre_d1"], program=program, kind=DutyKind.REVIEW, year=YEAR, due_on=date(2024, 12, 1)
        )


def test_due_date_set_default_then_a_units_own_and_a_year_outside_the_program(province, program, units):
    board = province["board"]

    services.due_date_set(actor=board, program=program, kind=DutyKind.REVIEW, year=YEAR, due_on=date(2024, 12, 20))
    services.due_date_set(
        actor=board, program=program, kind=DutyKind.REVIEW, year=YEAR, unit=units["D2"], due_on=date(2025, 1, 10)
    )
    with pytest.raises(ValidationError) as outside:
        services.due_date_set(actor=board, program=program, kind=DutyKind.REVIEW, year=2019, due_on=date(2019, 12, 1))

    rows = DueDate.objects.filter(program=program, kind=DutyKind.REVIEW, year=YEAR)
    assert {(row.unit_id, row.due_on) for row in rows} == {
        (None, date(2024, 12, 20)),
        (units["D2"].pk, date(2025, 1, 10)),
    }
    assert _messages(outside) == [services.DUE_YEAR_OUTSIDE % {"year": 2019, "first": 2020, "last": 2025}]


def test_reporting_unit_end_stops_the_years_it_does_not_reach(province, units):
    services.reporting_unit_end(actor=province["board"], unit=units["D2"], valid_to=date(2024, 6, 30))

    with pytest.raises(ValidationError) as not_owed:
        services.review_start(actor=province["cadre_d2"], unit=units["D2"], year=YEAR)

    assert _messages(not_owed) == [services.REVIEW_NOT_OWED % {"unit": "Huyện ủy Tây Hòa", "year": 2024}]


# --- plans and files ---------------------------------------------------------------------------------------------


def test_plan_record_by_the_unit_with_a_pdf(province, units, media):
    plan = services.plan_record(
        actor=province["cadre_d1"],
        unit=units["D1"],
        number="05-KH/HU",
        issued_on=date(2021, 2, 20),
        title="Kế hoạch thực hiện Chương trình hành động",
        document=SimpleUploadedFile("ke-hoach.pdf", PDF),
    )

    assert plan.document.read() == PDF
    assert plan.recorded_by == province["cadre_d1"]


def test_plan_record_refuses_a_big_file_before_reading_it(province, units, media):
    upload = SimpleUploadedFile("ke-hoach.pdf", PDF)
    upload.size = 10 * 1024 * 1024 + 1
    upload.file = None  # reading it would fail: the size alone refuses it

    with pytest.raises(ValidationError) as too_big:
        services.plan_record(
            actor=province["cadre_d1"],
            unit=units["D1"],
            number="1",
            issued_on=date(2021, 1, 1),
            title="T",
            document=upload,
        )

    assert _messages(too_big) == [services.FILE_TOO_LARGE % {"name": "ke-hoach.pdf"}]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ke-hoach.xlsx", ZIP, services.FILE_WRONG_KIND % {"name": "ke-hoach.xlsx", "kinds": ".pdf, .docx"}),
        ("ke-hoach.pdf", ZIP, services.FILE_NOT_WHAT_IT_SAYS % {"name": "ke-hoach.pdf", "kind": "PDF"}),
        ("ke-hoach.docx", PDF, services.FILE_NOT_WHAT_IT_SAYS % {"name": "ke-hoach.docx", "kind": "DOCX"}),
    ],
)
def test_plan_record_refuses_a_file_of_the_wrong_kind(province, units, media, name, content, message):
    with pytest.raises(ValidationError) as wrong:
        services.plan_record(
            actor=province["cadre_d1"],
            unit=units["D1"],
            number="1",
            issued_on=date(2021, 1, 1),
            title="T",
            document=SimpleUploadedFile(name, content),
        )

    assert _messages(wrong) == [message]
    assert not units["D1"].plans.exists()


def test_plan_record_refusals_name_the_fields(province, units):
    with pytest.raises(ValidationError) as empty:
        services.plan_record(actor=province["cadre_d1"], unit=units["D1"], number=" ", issued_on=None, title="")
    with pytest.raises(ValidationError) as future:
        services.plan_record(
            actor=province["cadre_d1"], unit=units["D1"], number="1", issued_on=date(2999, 1, 1), title="T"
        )

    assert empty.value.message_dict == {
        "number": [services.PLAN_NUMBER_REQUIRED],
        "title": [services.PLAN_TITLE_REQUIRED],
    }
    assert future.value.message_dict == {"issued_on": [services.PLAN_DATE_FUTURE]}


def test_plan_for_a_unit_outside_the_tree_is_recorded_by_the_board_only(province, units):
    services.plan_record(actor=province["board"], unit=units["HD"], number="1", issued_on=date(2021, 1, 5), title="T")

    with pytest.raises(PermissionDenied):
        services.plan_record(
            actor=province["cadre_d1"], unit=units["HD"], number="2", issued_on=date(2021, 1, 5), title="T"
        )
    assert units["HD"].plans.count() == 1


# --- the review's workflow -----------------------------------------------------------------------------------


def _draft(province, units, key="D1", actor="cadre_d1"):
    review = services.review_start(actor=province[actor], unit=units[key], year=YEAR)
    return services.review_update(actor=province[actor], review=review, achievements="Đạt 4/6 chỉ tiêu.")


def test_review_submit_needs_the_results_section(province, units):
    review = services.review_start(actor=province["cadre_d1"], unit=units["D1"], year=YEAR)

    with pytest.raises(ValidationError) as empty:
        services.review_submit(actor=province["cadre_d1"], review=review)

    assert empty.value.message_dict == {"achievements": [services.REVIEW_EMPTY]}
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_review_start_twice_and_a_year_outside_the_program_are_refused(province, units):
    _draft(province, units)

    with pytest.raises(ValidationError) as twice:
        services.review_start(actor=province["cadre_d1"], unit=units["D1"], year=YEAR)
    with pytest.raises(ValidationError) as outside:
        services.review_start(actor=province["cadre_d1"], unit=units["D1"], year=2026)

    assert _messages(twice) == [services.REVIEW_EXISTS]
    assert _messages(outside) == [services.REVIEW_NOT_OWED % {"unit": "Huyện ủy Đông Sơn", "year": 2026}]


def test_review_submit_before_the_year_has_started_is_refused(province, units, monkeypatch):
    review = _draft(province, units)
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2024, 11, 30) if not args else args[0].date())
    review.year = 2025
    review.save(update_fields=["year"])

    with pytest.raises(ValidationError) as early:
        services.review_submit(actor=province["cadre_d1"], review=review)

    assert _messages(early) == [services.REVIEW_YEAR_NOT_STARTED % {"year": 2025}]


def test_review_workflow_submit_return_resubmit_receive(province, units):
    cadre, board = province["cadre_d1"], province["board"]
    review = _draft(province, units)

    review = services.review_submit(actor=cadre, review=review)
    first_at, first_as_of = review.submitted_at, review.figures_as_of
    with pytest.raises(ValidationError) as locked:
        services.review_update(actor=cadre, review=review, achievements="Sửa")
    with pytest.raises(ValidationError) as no_reason:
        services.review_return(actor=board, review=review, reason="  ")
    review = services.review_return(actor=board, review=review, reason="Bổ sung phần nguyên nhân.")
    returned_status = review.status
    review = services.review_update(actor=cadre, review=review, causes="Nguyên nhân chủ quan và khách quan.")
    review = services.review_submit(actor=cadre, review=review)
    resubmitted_as_of = review.figures_as_of
    review = services.review_receive(actor=board, review=review)
    with pytest.raises(ValidationError) as received_locked:
        services.review_update(actor=cadre, review=review, achievements="Sửa")
    with pytest.raises(ValidationError) as received_twice:
        services.review_receive(actor=board, review=review)

    assert _messages(locked) == [services.REVIEW_NOT_EDITABLE % {"status": ReviewStatus.SUBMITTED.label}]
    assert no_reason.value.message_dict == {"reason": [services.RETURN_REASON_REQUIRED]}
    assert returned_status == ReviewStatus.RETURNED
    assert review.status == ReviewStatus.RECEIVED
    assert review.submitted_at == first_at  # the first submission stays: lateness counts from it
    assert review.submitted_by == cadre
    assert resubmitted_as_of > first_as_of  # the figures were frozen again at resubmission
    assert review.decided_by == board
    assert review.causes == "Nguyên nhân chủ quan và khách quan."
    assert _messages(received_locked) == [services.REVIEW_NOT_EDITABLE % {"status": ReviewStatus.RECEIVED.label}]
    assert _messages(received_twice) == [services.REVIEW_NOT_SUBMITTED % {"status": ReviewStatus.RECEIVED.label}]
    assert review.history.count() == 7  # created, saved, submitted, returned, saved, resubmitted, received


def test_review_of_a_unit_outside_the_tree_freezes_no_figures(province, units):
    review = _draft(province, units, key="HD", actor="board")

    review = services.review_submit(actor=province["board"], review=review)

    assert review.status == ReviewStatus.SUBMITTED
    assert review.figures is None
    assert review.figures_as_of is None


def test_review_attachments_bounded_and_removable_while_editable(province, units, media):
    cadre = province["cadre_d1"]
    review = _draft(province, units)

    kept = services.review_attach(actor=cadre, review=review, upload=SimpleUploadedFile("phu-luc.xlsx", ZIP))
    gone = services.review_attach(actor=cadre, review=review, upload=SimpleUploadedFile("bien-ban.pdf", PDF))
    with pytest.raises(ValidationError) as wrong:
        services.review_attach(actor=cadre, review=review, upload=SimpleUploadedFile("anh.png", b"\x89PNG"))
    services.review_detach(actor=cadre, attachment=gone)
    services.review_submit(actor=cadre, review=review)
    with pytest.raises(ValidationError) as locked:
        services.review_detach(actor=cadre, attachment=kept)

    assert wrong.value.message_dict == {
        "file": [services.FILE_WRONG_KIND % {"name": "anh.png", "kinds": ".pdf, .docx, .xlsx"}]
    }
    assert [a.name for a in review.attachments.all()] == ["phu-luc.xlsx"]
    assert _messages(locked) == [services.REVIEW_NOT_EDITABLE % {"status": ReviewStatus.SUBMITTED.label}]


# --- scoping -------------------------------------------------------------------------------------------------


def test_another_districts_cadre_neither_sees_nor_edits_the_review(province, units):
    review = _draft(province, units)
    other = province["cadre_d2"]

    with pytest.raises(Http404):
        selectors.review_get(actor=other, review_id=review.pk)
    with pytest.raises(PermissionDenied):
        services.review_update(actor=other, review=review, achievements="Không phải của tôi")
    with pytest.raises(PermissionDenied):
        services.review_submit(actor=other, review=review)
    assert [row.unit.code for row in selectors.overview(actor=other, year=YEAR)] == ["BC-D2"]


def test_a_grassroots_cadre_cannot_submit_the_districts_review(province, units):
    review = _draft(province, units)

    with pytest.raises(PermissionDenied):
        services.review_submit(actor=province["cadre_g1"], review=review)
    with pytest.raises(PermissionDenied):
        services.review_start(actor=province["cadre_g1"], unit=units["D2"], year=YEAR)
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_only_the_board_receives_or_returns(province, units):
    review = services.review_submit(actor=province["cadre_d1"], review=_draft(province, units))

    for actor in ("cadre_d1", "steering"):
        with pytest.raises(PermissionDenied):
            services.review_receive(actor=province[actor], review=review)
        with pytest.raises(PermissionDenied):
            services.review_return(actor=province[actor], review=review, reason="Không")
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED


def test_the_board_adds_an_abolished_district_and_records_its_2024_review_its_cadre_only_reads(
    tree, board_user, district_cadre, program
):
    # tests/conftest.py's tree: D1 ended on 30/06/2025, and the district cadre's role with it.
    unit = services.reporting_unit_create(
        actor=board_user,
        program=program,
        code="BC-D1",
        name=tree["D1"].name,
        kind=ReportingUnitKind.COMMITTEE,
        organization=tree["D1"],
        valid_from=date(2020, 1, 1),
        valid_to=date(2025, 6, 30),
    )

    review = services.review_start(actor=board_user, unit=unit, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.review_update(actor=district_cadre, review=review, achievements="Không còn quyền")
    seen = selectors.review_get(actor=district_cadre, review_id=review.pk)

    assert seen == review
    assert [row.unit.code for row in selectors.overview(actor=district_cadre, year=YEAR)] == ["BC-D1"]
