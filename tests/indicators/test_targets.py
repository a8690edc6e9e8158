"""The targets page and services: the Board changes a target or gives a district-level unit its own, each under a
dated, numbered decision; the dashboard and the compliance figures judge against the target that applies."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators import services
from indicators.computation import MET, NOT_MET
from indicators.models import Target, TargetOverride
from indicators.selectors import compliance
from indicators.services import snapshot_refresh
from party_portal.doors import WEB, door

DECIDED = date(2024, 3, 15)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _target(code):
    return Target.objects.get(program__code="CTHD-2020-2025", indicator=code)


def _t4_status(result, org):
    if result.scope.node.id == org.pk:
        return result.scope.figures["T4"].status
    return next(child for child in result.children if child.node.id == org.pk).figures["T4"].status


def test_target_override_set_changes_the_districts_verdict_not_the_provinces(board_user, tree, rated_2024):
    # T4 in 2024: G1's committee is A (intermediate) and B (elementary): 1 of 2 = 50 %; D2 has no committee.
    # Under the program's "> 90 %" D1 and the province both fail; D1's own "> 40 %" makes D1 pass.
    before = compliance(actor=board_user, year=2024, scope_id=tree["P"].pk)

    services.target_override_set(
        actor=board_user,
        target=_target("T4"),
        organization=tree["D1"],
        threshold=Decimal("40"),
        decided_on=DECIDED,
        decision_number="15-QĐ/TU",
    )

    after = compliance(actor=board_user, year=2024, scope_id=tree["P"].pk)
    assert _t4_status(before, tree["D1"]) == NOT_MET
    assert _t4_status(after, tree["D1"]) == MET
    assert after.scope.figures["T4"].status == NOT_MET
    assert _t4_status(compliance(actor=board_user, year=2024, scope_id=tree["D1"].pk), tree["D1"]) == MET
    # G1, under D1 in 2024, is judged against D1's own target too.
    assert _t4_status(compliance(actor=board_user, year=2024, scope_id=tree["G1"].pk), tree["G1"]) == MET


def test_dashboard_shows_the_override_that_applies_with_its_decision(client, board_user, tree, rated_2024):
    # T3 in 2024: N admitted in G1 over the rolls of 31/12/2023 — D1: 1 of A, B = 50 %; the province: 1 of A, B,
    # E, F = 25 %. Both pass the program's "> 4 %"; D1's own "> 60 %" makes D1 fail, the province still passes.
    snapshot_refresh(year=2024)
    client.force_login(board_user)
    url = reverse("indicators:dashboard") + f"?nam=2024&pham-vi={tree['D1'].pk}"
    first = client.get(url)
    services.target_override_set(
        actor=board_user,
        target=_target("T3"),
        organization=tree["D1"],
        threshold=Decimal("60"),
        decided_on=DECIDED,
        decision_number="15-QĐ/TU",
    )

    response = client.get(url)
    province = client.get(reverse("indicators:dashboard") + f"?nam=2024&pham-vi={tree['P'].pk}")

    tiles = {tile.code: tile for tile in first.context["tiles"]}
    assert tiles["T3"].status == MET
    tiles = {tile.code: tile for tile in response.context["tiles"]}
    # The cached figures were not reused: the targets' version is in the cache key.
    assert tiles["T3"].status == NOT_MET
    assert tiles["T3"].threshold == "> 60 %"
    html = response.content.decode()
    assert "Chỉ tiêu riêng của Huyện ủy Đông Sơn" in html
    assert "15-QĐ/TU" in html
    assert "15/03/2024" in html
    tiles = {tile.code: tile for tile in province.context["tiles"]}
    assert tiles["T3"].status == MET
    assert tiles["T3"].threshold == "> 4 %"
    assert "15-QĐ/TU" not in province.content.decode()


def test_board_changes_a_target_on_the_page_and_the_audit_row_names_them(client, board_user, tree):
    client.force_login(board_user)
    target = _target("T1a")

    response = client.post(
        reverse("targets:edit", args=[target.pk]),
        {"comparator": ">=", "threshold": "85,5", "decided_on": "15/03/2024", "decision_number": "15-QĐ/TU"},
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.comparator, target.threshold) == (">=", Decimal("85.5"))
    assert (target.decided_on, target.decision_number) == (DECIDED, "15-QĐ/TU")
    row = target.history.order_by("-history_id").first()
    assert (row.history_user, row.history_door, row.history_type) == (board_user, WEB, "~")
    page = client.get(reverse("targets:list")).content.decode()
    assert "15-QĐ/TU" in page
    assert "15/03/2024" in page


def test_only_the_board_may_change_targets(client, steering_user, ward_cadre, grassroots_cadre, tree):
    target = _target("T1a")
    for user in (steering_user, ward_cadre, grassroots_cadre):
        client.force_login(user)

        response = client.post(
            reverse("targets:edit", args=[target.pk]),
            {"comparator": ">", "threshold": "10", "decided_on": "15/03/2024", "decision_number": "1-QĐ/TU"},
        )
        listing = client.get(reverse("targets:list"))

        assert response.status_code == 403
        assert listing.status_code == 200
        assert f'href="{reverse("targets:edit", args=[target.pk])}"' not in listing.content.decode()
    with pytest.raises(PermissionDenied):
        services.target_update(
            actor=steering_user, target=target, threshold=Decimal("10"), decided_on=DECIDED, decision_number="1"
        )
    target.refresh_from_db()
    assert target.threshold == Decimal("90")


def test_override_is_for_a_district_level_unit_with_a_decision(board_user, tree):
    with pytest.raises(ValidationError) as error:
        services.target_override_set(
            actor=board_user,
            target=_target("T3"),
            organization=tree["G1"],
            threshold=Decimal("5"),
            decided_on=DECIDED,
            decision_number="2-QĐ/TU",
        )
    assert "Đảng bộ phường Bắc" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.target_override_set(
            actor=board_user,
            target=_target("T3"),
            organization=tree["D1"],
            threshold=Decimal("101"),
            decided_on=date(2999, 1, 1),
            decision_number=" ",
        )
    assert set(error.value.error_dict) == {"threshold", "decided_on", "decision_number"}
    assert not TargetOverride.objects.exists()


def test_override_form_refuses_an_unknown_unit_without_showing_its_id(client, board_user, tree):
    client.force_login(board_user)

    response = client.post(
        reverse("targets:override_set", args=[_target("T3").pk]),
        {"organization": "987654", "threshold": "5", "decided_on": "15/03/2024", "decision_number": "2-QĐ/TU"},
    )

    assert response.status_code == 200
    assert "987654" not in response.content.decode()
    assert "Chọn một đơn vị cấp huyện trong danh sách." in response.content.decode()
    assert not TargetOverride.objects.exists()


def test_ending_an_override_is_audited_with_its_decision_and_restores_the_program_target(board_user, tree):
    target = _target("T3")
    with door(WEB):
        services.target_override_set(
            actor=board_user,
            target=target,
            organization=tree["D2"],
            threshold=Decimal("2"),
            decided_on=DECIDED,
            decision_number="2-QĐ/TU",
        )
        services.target_override_end(
            actor=board_user,
            target=target,
            organization=tree["D2"],
            decided_on=date(2025, 1, 10),
            decision_number="9-QĐ/TU",
        )

    assert not TargetOverride.objects.exists()
    rows = list(TargetOverride.history.order_by("history_id").values_list("history_type", "decision_number"))
    assert rows == [("+", "2-QĐ/TU"), ("~", "9-QĐ/TU"), ("-", "9-QĐ/TU")]


def test_saving_the_same_target_again_writes_no_audit_row(board_user, tree):
    target = _target("T2a")
    kwargs = {"threshold": Decimal("91"), "decided_on": DECIDED, "decision_number": "3-QĐ/TU"}
    services.target_update(actor=board_user, target=target, **kwargs)

    services.target_update(actor=board_user, target=target, **kwargs)

    assert target.history.count() == 1


def test_board_gives_and_ends_a_districts_own_target_on_the_pages(client, board_user, tree):
    client.force_login(board_user)
    target = _target("T3")
    decision = {"decided_on": "15/03/2024", "decision_number": "2-QĐ/TU"}

    form = client.get(reverse("targets:override_set", args=[target.pk])).content.decode()
    given = client.post(
        reverse("targets:override_set", args=[target.pk]),
        {"organization": tree["D2"].pk, "threshold": "3,5", **decision},
    )
    listing = client.get(reverse("targets:list")).content.decode()
    ended = client.post(
        reverse("targets:override_end", args=[target.pk]),
        {"organization": tree["D2"].pk, "decided_on": "10/01/2025", "decision_number": "9-QĐ/TU"},
    )

    # The district-level units, by name and code; a TCCSĐ is not offered.
    assert "Huyện ủy Tây Hòa (D2)" in form
    assert "Đảng bộ phường Trung Tâm (X1)" in form
    assert "Đảng bộ phường Bắc" not in form
    assert (given.status_code, ended.status_code) == (302, 302)
    assert "Huyện ủy Tây Hòa" in listing
    assert "3,5 %" in listing
    assert not TargetOverride.objects.exists()


@pytest.mark.django_db
def test_a_target_names_a_program_target_definition():
    program_target = _target("T3")
    program_target.indicator = "X9"  # no definition carries this code

    with pytest.raises(ValidationError) as refused:
        program_target.full_clean()

    assert refused.value.message_dict["indicator"] == [
        "X9 không phải là mã của một chỉ tiêu của chương trình trong danh mục chỉ tiêu."
    ]


def test_targets_page_names_each_target_by_its_definition(client, board_user, tree):
    client.force_login(board_user)

    page = client.get(reverse("targets:list")).content.decode()

    # The definitions' Vietnamese names (migration 0007), beside their codes.
    assert "<strong>T1a</strong> TCCSĐ hoàn thành tốt nhiệm vụ trở lên" in page
    assert "<strong>T3</strong> Tỷ lệ kết nạp đảng viên mới so với số đảng viên đầu năm" in page
