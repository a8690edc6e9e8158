"""The audit trail in the portal (/lich-su/<kind>/<id>/): who, when, through which door and what changed, for
every audited record, read with the record's own scoping."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Submission
from indicators import services as target_services
from indicators.models import Target, TargetOverride
from members.forms import MemberIdentityForm
from members.models import DisciplineKind, Member, TheoryLevel
from members.services import discipline_add, member_update, theory_level_add
from organizations.models import OrgKind, OrgType
from party_portal.audit_kinds import KINDS
from party_portal.audit_trail import audit_trail
from tests.factories import make_member
from tests.imports.conftest import confirm, upload, workbook
from tests.indicators.conftest import rated_2024  # noqa: F401  (a fixture: members rated for 2024)


def _trail(kind, pk):
    return reverse("audit:trail", args=[kind, pk])


def test_audit_trail_web_change_shows_old_and_new_values_and_the_web_door(client, tree, grassroots_cadre):
    member = make_member(tree["C1"], full_name="Lê Văn An", gender="M", admission_date=date(2019, 3, 2))
    client.force_login(grassroots_cadre)
    data = {name: value for name, value in MemberIdentityForm(instance=member).initial.items() if value is not None}
    data.update(gender="F", date_of_birth=member.date_of_birth.strftime("%d/%m/%Y"))

    saved = client.post(reverse("members:edit", args=[member.pk]), data)
    response = client.get(_trail("dang-vien", member.pk))

    assert saved.status_code == 302
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Giới tính</strong>: <del>Nam</del> → <ins>Nữ</ins>" in html
    assert "trang web" in html
    assert "Cán bộ G1" in html
    # The newest change comes first; the admission (a created row, by the factory's superuser) after it.
    entries = response.context["entries"]
    assert [(entry.record, entry.action) for entry in entries][:1] == [("Đảng viên", "Sửa")]
    assert {(entry.record, entry.action) for entry in entries[1:]} == {
        ("Đảng viên", "Tạo mới"),
        ("Biến động", "Tạo mới"),
    }


def test_audit_trail_of_an_imported_member_names_the_file_import_door(client, tree, root_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(root_user)
    row = {
        "record_number": "100001TN",
        "full_name": "Nguyễn Văn An",
        "gender": "Nam",
        "date_of_birth": date(1990, 4, 12),
        "organization_code": "C1",
        "admission_date": date(2019, 5, 19),
        "admission_kind": "Kết nạp",
    }
    confirm(client, upload(client, "dang-vien", workbook("dang-vien", [row])))
    member = Member.objects.get(record_number="100001TN")

    response = client.get(_trail("dang-vien", member.pk))

    doors = {entry.door for entry in response.context["entries"]}
    assert doors == {"nhập từ tệp"}
    assert "<del>—</del> → <ins>Nguyễn Văn An</ins>" in response.content.decode()


def test_audit_trail_outside_the_readers_part_of_the_tree_is_a_404(
    client, tree, board_user, grassroots_cadre, other_district_cadre
):
    member = make_member(tree["C1"], admission_date=date(2019, 3, 2))
    target = Target.objects.get(program__code="CTHD-2020-2025", indicator="T3")
    override = target_services.target_override_set(
        actor=board_user,
        target=target,
        organization=tree["D2"],
        threshold=Decimal("3"),
        decided_on=date(2024, 3, 15),
        decision_number="2-QĐ/TU",
    )

    client.force_login(other_district_cadre)
    foreign_member = client.get(_trail("dang-vien", member.pk))
    own_override = client.get(_trail("chi-tieu-rieng", override.pk))
    client.force_login(grassroots_cadre)
    own_member = client.get(_trail("dang-vien", member.pk))
    foreign_override = client.get(_trail("chi-tieu-rieng", override.pk))
    unknown_kind = client.get(_trail("khong-co", member.pk))
    unknown_record = client.get(_trail("dang-vien", 987654))

    assert (foreign_member.status_code, own_override.status_code) == (404, 200)
    assert (own_member.status_code, foreign_override.status_code) == (200, 404)
    assert (unknown_kind.status_code, unknown_record.status_code) == (404, 404)


def test_audit_trail_shows_a_deleted_record_as_deleted(client, tree, board_user):
    target = Target.objects.get(program__code="CTHD-2020-2025", indicator="T3")
    decision = {"decided_on": date(2024, 3, 15), "decision_number": "2-QĐ/TU"}
    override = target_services.target_override_set(
        actor=board_user, target=target, organization=tree["D2"], threshold=Decimal("3"), **decision
    )
    pk = override.pk
    target_services.target_override_end(actor=board_user, target=target, organization=tree["D2"], **decision)
    client.force_login(board_user)

    response = client.get(_trail("chi-tieu-rieng", pk))

    assert not TargetOverride.objects.filter(pk=pk).exists()
    html = response.content.decode()
    assert "Bản ghi này đã bị xóa; lịch sử của nó vẫn được lưu." in html
    assert "Bản ghi đã bị xóa." in html
    # Created with its values: the district's name and the threshold with a decimal comma.
    assert "<del>—</del> → <ins>Huyện ủy Tây Hòa</ins>" in html
    assert "<del>—</del> → <ins>3</ins>" in html
    assert [entry.action for entry in response.context["entries"]] == ["Xóa", "Tạo mới"]


def test_audit_trail_selector_query_count_does_not_grow_with_the_records(tree, root_user):
    def queries_for(records):
        member = make_member(tree["C1"], admission_date=date(2019, 3, 2))
        theory_level_add(actor=root_user, member=member, level=TheoryLevel.ELEMENTARY, obtained_on=date(2019, 4, 5))
        for n in range(records):
            discipline_add(
                actor=root_user, member=member, kind=DisciplineKind.REPRIMAND, decided_on=date(2019 + n, 5, 1)
            )
            member_update(actor=root_user, member=member, full_name=f"Nguyễn Văn Số {n}")
        kind = KINDS["dang-vien"]
        row = kind.model.history.model.objects.filter(id=member.pk).latest("history_id")
        with CaptureQueriesContext(connection) as captured:
            entries = audit_trail(parts=kind.parts(row))
        return len(captured), len(entries)

    small, small_entries = queries_for(1)
    large, large_entries = queries_for(6)

    # The member, its admission and its theory level, then a discipline and a rename per record.
    assert (small_entries, large_entries) == (5, 15)
    assert small == large
    # One read per kind of record gathered (9, with posts and attendance), then one per kind of related object
    # named: organizations (the admission's) and members (the records'); the users come with the rows.
    assert large <= 11


def test_audit_kinds_name_audited_models_under_distinct_slugs():
    models = [kind.model for kind in KINDS.values()]

    assert all(hasattr(model, "history") for model in models)
    # with the indicator definitions (chi-so), the codes, government posts and meeting attendance, and the yearly
    # reviews (so-ket)
    assert len(set(models)) == len(models) == 24


def test_audit_trail_of_a_submission_holds_the_years_ratings_and_is_linked_from_the_grid(
    client,
    tree,
    grassroots_cadre,
    rated_2024,  # noqa: F811
):
    submission = Submission.objects.get(organization=tree["G1"], year__year=2024)
    client.force_login(grassroots_cadre)

    grid = client.get(reverse("evaluations:grid", args=[tree["G1"].pk, 2024])).content.decode()
    response = client.get(_trail("ho-so-xep-loai", submission.pk))

    assert f'href="{_trail("ho-so-xep-loai", submission.pk)}"' in grid
    records = [entry.record for entry in response.context["entries"]]
    # A, B and N of G1 rated, and G1 itself (by the level above).
    assert records.count("Xếp loại đảng viên") == 3
    assert records.count("Xếp loại tổ chức đảng") == 1
    html = response.content.decode()
    assert "<del>—</del> → <ins>Hoàn thành xuất sắc nhiệm vụ</ins>" in html
    assert "<del>—</del> → <ins>Lê Văn An</ins>" in html


def test_audit_trail_of_a_merge_lists_its_successor_links_for_whoever_reads_a_unit_it_names(
    client, tree, board_user, grassroots_cadre, other_district_cadre
):
    from organizations import reorganizations

    new_unit = reorganizations.NewUnit(
        code="G3", name="Đảng bộ phường Bắc Tây", kind=OrgKind.GRASSROOTS_COMMITTEE, org_type=OrgType.WARD
    )
    operation = reorganizations.reorganization_apply(
        actor=board_user,
        kind="MERGE",
        predecessors=[tree["G1"], tree["G2"]],
        successor=new_unit,
        effective_on=date(2026, 3, 1),
        decision_number="125-QĐ/TU",
        decision_date=date(2026, 2, 20),
    )

    client.force_login(grassroots_cadre)
    response = client.get(_trail("sap-xep-to-chuc", operation.pk))
    client.force_login(other_district_cadre)
    foreign = client.get(_trail("sap-xep-to-chuc", operation.pk))

    assert (response.status_code, foreign.status_code) == (200, 404)
    records = [entry.record for entry in response.context["entries"]]
    assert records.count("Liên kết kế tục") == 2
    html = response.content.decode()
    assert "<del>—</del> → <ins>125-QĐ/TU</ins>" in html
    assert "<del>—</del> → <ins>Đảng bộ phường Bắc Tây</ins>" in html
