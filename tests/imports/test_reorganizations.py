"""The reorganizations file (sap-xep-to-chuc) on the `tree` fixture (tests/conftest.py): since 01/07/2025 G1
(cells C1, C2) and G2 sit under the ward committee X1. Operations dated 01/03/2026."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import ImportJob, ImportState
from organizations.imports.reorganizations import ReorganizationResource
from organizations.models import Organization, OrgKind, Placement, Reorganization
from party_portal.imports.workbook import template_workbook
from tests.factories import make_member, make_org

from .conftest import FIRST_ROW, confirm, errors_of, upload

SLUG = "sap-xep-to-chuc"


def _row(operation, kind, old, new="", name="", parent="", moved=""):
    return {
        "operation": operation,
        "kind": kind,
        "effective_on": "01/03/2026",
        "decision_number": "125-QĐ/TU",
        "old_code": old,
        "new_code": new,
        "new_name": name,
        "new_parent_code": parent,
        "moved": moved,
    }


MERGE_AND_RENAME = [
    _row("1", "Sáp nhập", "G1", "G3", "Đảng bộ phường Bắc Tây"),
    _row("1", "Sáp nhập", "G2", "G3"),
    _row("2", "Đổi tên", "X1", name="Đảng bộ phường Trung Tâm Mới"),
]


def _file(rows):
    return template_workbook(ReorganizationResource, title="test", rows=rows)


def test_reorganizations_file_merges_and_renames(client, tree, board_user):
    member = make_member(tree["G2"], admission_date=date(2020, 1, 6))
    client.force_login(board_user)

    job = upload(client, SLUG, _file(MERGE_AND_RENAME))
    checked_wrote_nothing = not Organization.objects.filter(code="G3").exists()
    job = confirm(client, job)

    assert checked_wrote_nothing
    assert job.report["counts"] == {"new": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert job.state == ImportState.DONE
    g3 = Organization.objects.get(code="G3")
    # The new unit takes the kind and type of the first one merged (G1: a đảng bộ cơ sở of a ward).
    assert (g3.kind, g3.org_type, g3.valid_from) == ("GRASSROOTS_COMMITTEE", "WARD", date(2026, 3, 1))
    assert Placement.objects.on(date(2026, 3, 1)).get(organization=tree["C1"]).parent == g3
    assert member.memberships.get(end__isnull=True).organization == g3
    assert Organization.objects.get(code="X1").name == "Đảng bộ phường Trung Tâm Mới"
    assert sorted(Reorganization.objects.values_list("kind", flat=True)) == ["MERGE", "RENAME"]
    assert Reorganization.objects.get(kind="MERGE").history.get().history_door == "import"


def test_reorganizations_reimport_changes_nothing(client, tree, board_user):
    client.force_login(board_user)
    confirm(client, upload(client, SLUG, _file(MERGE_AND_RENAME)))
    history = Organization.history.count()

    again = confirm(client, upload(client, SLUG, _file(MERGE_AND_RENAME)))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert Reorganization.objects.count() == 2
    assert Organization.history.count() == history


def test_reorganizations_file_with_one_bad_row_writes_nothing(client, tree, board_user):
    client.force_login(board_user)
    rows = [*MERGE_AND_RENAME, _row("3", "Điều chuyển", "C2", parent="ZZ9")]

    job = upload(client, SLUG, _file(rows))

    assert job.report["counts"]["rejected"] == 1
    assert errors_of(job) == [
        (
            FIRST_ROW + 3,
            "Mã tổ chức cấp trên mới",
            "Không có tổ chức nào mang mã ZZ9 còn hiệu lực vào ngày 01/03/2026 trong phạm vi bạn phụ trách.",
        )
    ]
    assert not Reorganization.objects.exists()
    assert not Organization.objects.filter(code="G3").exists()


def test_reorganizations_file_splits_by_the_moved_column(client, tree, board_user):
    client.force_login(board_user)
    rows = [
        _row("7", "Chia tách", "G1", "G1A", "Đảng bộ phường Bắc A"),
        _row("7", "Chia tách", "G1", "G1B", "Đảng bộ phường Bắc B", moved="C2"),
    ]

    job = confirm(client, upload(client, SLUG, _file(rows)))

    assert job.state == ImportState.DONE
    on = date(2026, 3, 1)
    parents = {
        p.organization.code: p.parent.code
        for p in Placement.objects.on(on)
        .filter(organization__code__in=["C1", "C2"])
        .select_related("organization", "parent")
    }
    assert parents == {"C1": "G1A", "C2": "G1B"}


def test_reorganizations_file_refused_to_a_grassroots_cadre(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)
    data = {"tep": SimpleUploadedFile("sap-xep.xlsx", _file(MERGE_AND_RENAME))}

    response = client.post(reverse("imports:upload", args=[SLUG]), data)

    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_reorganizations_file_of_a_ward_cadre_stays_inside_the_ward(client, tree, ward_cadre):
    y1 = make_org("Y1", OrgKind.COMMUNE_COMMITTEE, parent=tree["P"], valid_from=date(2025, 7, 1))
    make_org("G9", OrgKind.GRASSROOTS_CELL, parent=y1, valid_from=date(2025, 7, 1))
    client.force_login(ward_cadre)
    outside = [_row("1", "Sáp nhập", "G2", "G9")]
    inside = [_row("1", "Sáp nhập", "G2", "G1")]

    refused = upload(client, SLUG, _file(outside))
    done = confirm(client, upload(client, SLUG, _file(inside)))

    assert errors_of(refused) == [
        (
            FIRST_ROW,
            "Mã tổ chức (sau)",
            "Không có tổ chức nào mang mã G9 còn hiệu lực vào ngày 01/03/2026 trong phạm vi bạn phụ trách.",
        )
    ]
    assert done.state == ImportState.DONE
    assert Organization.objects.get(pk=tree["G2"].pk).valid_to == date(2026, 2, 28)
