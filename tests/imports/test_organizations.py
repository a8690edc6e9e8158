from datetime import date

from evaluations.models import ImportState
from organizations.models import Organization, Placement

from .conftest import FIRST_ROW, confirm, errors_of, upload, workbook


def _row(code, name, kind, parent, valid_from, org_type=""):
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "org_type": org_type,
        "parent_code": parent,
        "valid_from": valid_from,
    }


def test_organizations_file_creates_parents_first_and_renames(client, tree, root_user):
    client.force_login(root_user)
    rows = [
        _row("C31", "Chi bộ Văn phòng", "Chi bộ trực thuộc", "G3", "01/08/2025"),
        _row("G3", "Đảng bộ Sở Tài chính", "Đảng bộ cơ sở", "X1", date(2025, 8, 1), org_type="Cơ quan Nhà nước"),
        _row("G1", "Đảng bộ phường Bắc Mới", "Đảng bộ cơ sở", "X1", "01/01/2019", org_type="Phường"),
    ]

    job = upload(client, "to-chuc", workbook("to-chuc", rows))
    assert job.report["counts"] == {"new": 2, "updated": 1, "unchanged": 0, "rejected": 0}, job.report
    assert not Organization.objects.filter(code="G3").exists()
    job = confirm(client, job)

    assert job.state == ImportState.DONE
    cell = Placement.objects.select_related("parent").get(organization__code="C31")
    assert (cell.parent.code, cell.valid_from, cell.depth) == ("G3", date(2025, 8, 1), 3)
    assert Organization.objects.get(code="G1").name == "Đảng bộ phường Bắc Mới"
    assert Organization.objects.get(code="G3").history.get().history_door == "import"


def test_organizations_reimport_changes_nothing(client, tree, root_user):
    client.force_login(root_user)
    content = workbook(
        "to-chuc", [_row("G3", "Đảng bộ Sở Tài chính", "Đảng bộ cơ sở", "X1", "01/08/2025", "Cơ quan Nhà nước")]
    )
    confirm(client, upload(client, "to-chuc", content))
    history = Organization.history.count()

    again = confirm(client, upload(client, "to-chuc", content))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert Organization.history.count() == history


def test_organizations_outside_the_subtree_are_refused_as_if_they_did_not_exist(client, tree, grassroots_cadre):
    client.force_login(grassroots_cadre)
    rows = [
        _row("C11", "Chi bộ mới", "Chi bộ trực thuộc", "G1", "01/03/2020"),
        _row("C21", "Chi bộ bên kia", "Chi bộ trực thuộc", "G2", "01/03/2020"),
        _row("C22", "Chi bộ không cha", "Chi bộ trực thuộc", "ZZ9", "01/03/2020"),
        # D2's organization, under another kind, type, start and parent: none of D2's facts may show.
        _row("G2", "Chi bộ Sở Tư pháp", "Chi bộ trực thuộc", "D1", "05/05/2021", "Phường"),
    ]

    job = upload(client, "to-chuc", workbook("to-chuc", rows))

    assert errors_of(job) == [
        (
            FIRST_ROW + 1,
            "Mã tổ chức cấp trên",
            "Không có tổ chức nào mang mã G2 còn hiệu lực vào ngày 01/03/2020 trong phạm vi bạn phụ trách.",
        ),
        (
            FIRST_ROW + 2,
            "Mã tổ chức cấp trên",
            "Không có tổ chức nào mang mã ZZ9 còn hiệu lực vào ngày 01/03/2020 trong phạm vi bạn phụ trách.",
        ),
        (FIRST_ROW + 3, "Mã tổ chức", "Không có tổ chức nào mang mã G2 trong phạm vi bạn phụ trách."),
    ]
    assert job.report["counts"]["rejected"] == 3
    assert not Organization.objects.filter(code="C11").exists()


def test_organizations_changed_kind_in_the_actors_subtree_is_rejected(client, tree, root_user):
    client.force_login(root_user)
    rows = [_row("C1", "Chi bộ khu phố 1", "Chi bộ cơ sở", "G1", "01/01/2019", "Phường")]

    job = upload(client, "to-chuc", workbook("to-chuc", rows))

    assert (FIRST_ROW, "Loại tổ chức") in [error[:2] for error in errors_of(job)]
    assert job.state == ImportState.REJECTED


def test_organizations_file_naming_an_ended_organization_is_unchanged_and_cannot_change_it(client, tree, root_user):
    # D1 ended on 30/06/2025 (the reform); the file that created it is imported again, then one renaming it.
    client.force_login(root_user)
    same = _row("D1", "Huyện ủy Đông Sơn", "Huyện ủy / Thị ủy / Thành ủy", "P", "01/01/2019")
    renamed = _row("D1", "Huyện ủy Đông Sơn Mới", "Huyện ủy / Thị ủy / Thành ủy", "P", "01/01/2019")

    again = upload(client, "to-chuc", workbook("to-chuc", [same]))
    refused = upload(client, "to-chuc", workbook("to-chuc", [renamed]))

    assert again.report["counts"] == {"new": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert errors_of(refused) == [
        (
            FIRST_ROW,
            "Mã tổ chức",
            "Tổ chức D1 đã kết thúc hoạt động ngày 30/06/2025: không thể thay đổi bằng tệp một tổ chức đã kết thúc.",
        )
    ]
    assert Organization.objects.get(code="D1").name == "Huyện ủy Đông Sơn"
