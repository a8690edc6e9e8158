"""The coded lists the migrations seed, the mapping of free-text ethnicity and religion onto codes, and the
rules the new records hold in the database."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from members.models import Code, CodeList, GovernmentPost, MeetingAttendance, Member

SEED = importlib.import_module("members.migrations.0005_seed_codes")


def _member(record_number, ethnicity="Kinh", religion=""):
    return Member.objects.create(
        full_name="Lò Văn Páo",
        gender="M",
        date_of_birth=date(1980, 1, 1),
        record_number=record_number,
        admission_date=date(2010, 5, 19),
        ethnicity=ethnicity,
        religion=religion,
    )


@pytest.mark.django_db
def test_code_lists_seeded_with_official_codes():
    ethnicities = Code.objects.filter(list=CodeList.ETHNICITY)
    # 54 groups plus "other".
    assert ethnicities.count() == 55
    assert ethnicities.get(code="01").name == "Kinh"
    assert ethnicities.get(code="08").name == "Hmông"
    assert ethnicities.get(code="54").name == "Rơ-măm"
    assert ethnicities.filter(group="THIEU_SO").count() == 53
    # 16 recognised religions, "none" and "other".
    assert Code.objects.filter(list=CodeList.RELIGION).count() == 18
    assert Code.objects.get(list=CodeList.RELIGION, code="00").name == "Không"
    assert set(Code.objects.filter(list=CodeList.QUALIFICATION, group="TRI_THUC").values_list("code", flat=True)) == {
        "DAI_HOC",
        "THAC_SI",
        "TIEN_SI",
    }
    assert set(Code.objects.filter(list=CodeList.POST, group="CHU_TICH_XA").values_list("code", flat=True)) == {
        "CT_HDND_XA",
        "CT_UBND_XA",
    }


@pytest.mark.django_db
def test_code_members_maps_free_text_and_keeps_unmatched_as_other():
    kinh = _member("000001TN", "Kinh", "")
    hmong = _member("000002TN", "H'Mông", "Thiên Chúa")
    tay = _member("000003TN", "tày", "Phật giáo")
    odd = _member("000004TN", "Người Việt gốc X", "Đạo Y")
    Member.objects.update(ethnicity_code=None, religion_code=None)

    SEED.code_members(apps, None)

    def codes(member):
        member.refresh_from_db()
        return member.ethnicity_code.code, member.religion_code.code

    assert codes(kinh) == ("01", "00")
    assert codes(hmong) == ("08", "02")
    assert codes(tay) == ("02", "01")
    assert codes(odd) == ("99", "99")
    # The text stays as written.
    assert odd.ethnicity == "Người Việt gốc X"
    assert odd.religion == "Đạo Y"


@pytest.mark.django_db
def test_code_seed_idempotent():
    before = Code.objects.count()
    SEED.create_codes(apps, None)
    assert Code.objects.count() == before


@pytest.mark.django_db
def test_attendance_not_above_meetings_held(tree):
    member = _member("000005TN")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingAttendance.objects.create(
            organization=tree["G1"], year=2024, quarter=1, member=member, meetings_held=3, meetings_attended=4
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingAttendance.objects.create(
            organization=tree["G1"], year=2024, quarter=5, member=member, meetings_held=3, meetings_attended=3
        )


@pytest.mark.django_db
def test_government_post_dates_ordered(tree):
    member = _member("000006TN")
    head = Code.objects.get(list=CodeList.POST, code="TRUONG_THON")
    with pytest.raises(IntegrityError), transaction.atomic():
        GovernmentPost.objects.create(
            member=member, kind=head, organization=tree["G1"], start=date(2024, 1, 1), end=date(2023, 1, 1)
        )
