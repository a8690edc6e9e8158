"""The national and merged-province demos: a generated province copied inside PostgreSQL (party_portal/replicate.py)."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from evaluations.demo import seed_ratings
from evaluations.models import MemberRating, OrganizationRating, Submission
from indicators.models import IndicatorSnapshot
from indicators.services import snapshot_refresh
from members.demo import build_demo
from members.models import CommitteeSeat, Member, Membership, MovementEvent
from organizations.models import Organization, OrgKind, Placement
from party_portal import replicate
from party_portal.replicate import ReplicationError, Replicator
from tests.factories import make_member

COUNTED = (Organization, Placement, Member, Membership, MovementEvent, CommitteeSeat, MemberRating, OrganizationRating)


@pytest.fixture
def template(db):
    """The tiny province with its ratings, and its row counts before any copy. The copies are written by
    PostgreSQL (INSERT … SELECT, arrays), the only engine the national and xlarge sizes run on: on SQLite these
    tests do not apply, and the last one below checks the refusal instead (CI runs them all on PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("the national and merged-province copies are built inside PostgreSQL only")
    build_demo(size="tiny", seed=7)
    seed_ratings(seed=7)
    return {model: model.objects.count() for model in COUNTED}


@pytest.fixture
def top(template):
    """The generated rows' highest ids: the copy's ids are those plus it (the test database's sequences do not
    restart at 1 between tests)."""
    return {model: max(model.objects.values_list("pk", flat=True)) for model in COUNTED}


@pytest.fixture
def copied(template, top):
    Replicator(copies=1).run()
    return template


def _roots():
    return list(
        Placement.objects.filter(parent=None).order_by("organization_id").values_list("organization_id", flat=True)
    )


def _path_ids(placement):
    return [int(part) for part in placement.path.strip("/").split("/")]


def test_one_copy_doubles_every_copied_table(copied):
    for model, before in copied.items():
        assert model.objects.count() == 2 * before, model.__name__


def test_the_copy_is_a_second_province_with_its_own_name_and_code(copied):
    first, second = (Organization.objects.get(pk=pk) for pk in _roots())

    assert (first.code, first.name) == ("TN", "Đảng bộ tỉnh Tân Nguyên")
    # The first invented name of replicate._places, and the copy's number (the generated province is 01).
    assert (second.code, second.name, second.name_folded) == (
        "TN-02",
        "Đảng bộ tỉnh Tân Thành",
        "dang bo tinh tan thanh",
    )


def test_every_path_names_existing_organizations_of_its_own_copy(copied, top):
    span = top[Organization]
    existing = set(Organization.objects.values_list("pk", flat=True))
    for placement in Placement.objects.all():
        ids = _path_ids(placement)
        assert set(ids) <= existing, placement
        assert ids[-1] == placement.organization_id
        assert ids[-2:-1] == ([placement.parent_id] if placement.parent_id else [])
        assert {i > span for i in ids} == {placement.organization_id > span}, placement


def test_rows_point_into_their_own_copy(copied, top):
    for rating in MemberRating.objects.all():
        assert (rating.member_id > top[Member]) == (rating.organization_id > top[Organization])


def test_codes_and_identity_numbers_stay_unique(copied, top):
    current = Organization.objects.filter(valid_to=None)
    assert current.values("code").distinct().count() == current.count()
    for column in ("record_number", "card_number", "citizen_id"):
        values = [v for v in Member.objects.values_list(column, flat=True) if v is not None]
        assert len(set(values)) == len(values), column
    # The copy's record numbers end in a three-letter code no generated record number has.
    records = Member.objects.values_list("record_number", flat=True)
    copy_suffixes = {r[6:] for r in records.filter(pk__gt=top[Member])}
    first_suffixes = {r[6:] for r in records.filter(pk__lte=top[Member])}
    assert {len(s) for s in copy_suffixes} == {3}
    assert not copy_suffixes & first_suffixes


def test_the_copies_have_no_logins_behind_their_submissions(copied, top):
    copies = Submission.objects.filter(organization_id__gt=top[Organization])
    assert copies.exists()
    assert not copies.exclude(submitted_by=None, decided_by=None).exists()


def test_the_copy_root_has_the_figures_of_the_first_root(copied):
    snapshot_refresh(year=2024)
    first, second = (IndicatorSnapshot.objects.get(year=2024, organization_id=pk) for pk in _roots())

    assert first.counts["rolls_end"] > 0
    assert second.counts == first.counts
    assert second.by_type == first.by_type


def test_new_rows_take_ids_after_the_copies(copied, top):
    cell = Organization.objects.filter(pk__gt=top[Organization], kind=OrgKind.GRASSROOTS_CELL, valid_to=None).first()
    admin = get_user_model().objects.get(username="admin")

    member = make_member(cell, actor=admin, admission_date=date(2025, 12, 1))  # 2025 is the demo's open year

    assert member.pk == 2 * top[Member] + 1


def test_grafted_copies_make_one_merged_province(template):
    snapshot_refresh(year=2024)
    alone = IndicatorSnapshot.objects.get(year=2024, organization_id=_roots()[0]).counts["rolls_end"]

    Replicator(copies=2, graft=True).run()
    snapshot_refresh(year=2024)

    assert len(_roots()) == 1
    assert Organization.objects.count() == 3 * template[Organization] - 2
    assert Member.objects.count() == 3 * template[Member]
    merged = IndicatorSnapshot.objects.get(year=2024, organization_id=_roots()[0]).counts["rolls_end"]
    assert merged == 3 * alone


def test_a_model_without_a_copy_rule_stops_the_copy(template, monkeypatch):
    monkeypatch.setattr(replicate, "COPIED", replicate.COPIED - {"members.Discipline"})

    with pytest.raises(ReplicationError, match=r"No copy rule for members\.Discipline"):
        Replicator(copies=1)
    assert Member.objects.count() == template[Member]


def test_a_foreign_key_to_rows_the_copies_lack_stops_the_copy(template, monkeypatch):
    monkeypatch.setattr(replicate, "SHARED", replicate.SHARED - {"members.Code"})
    monkeypatch.setattr(replicate, "FIRST_ONLY", replicate.FIRST_ONLY | {"members.Code"})

    with pytest.raises(ReplicationError, match=r"points to members\.Code"):
        Replicator(copies=1)


def test_a_unique_column_left_as_it_is_stops_the_copy(template, monkeypatch):
    monkeypatch.setattr(replicate, "REWRITTEN", {**replicate.REWRITTEN, "members.Member": {"card_number"}})

    with pytest.raises(ReplicationError, match="record_number"):
        Replicator(copies=1)


def test_the_national_size_refuses_another_database_engine(db, monkeypatch):
    # On SQLite as it is; on PostgreSQL as if it were another engine.
    monkeypatch.setattr(connection, "vendor", "sqlite")

    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("seed_demo", "--size", "national", stdout=StringIO())
    assert not Organization.objects.exists()


def test_a_key_pointing_nowhere_undoes_every_copy(template, monkeypatch):
    shift = Replicator._key

    def astray(self, column, target, copy):
        expression, args = shift(self, column, target, copy)
        return (f"{expression} + 1000000000", args) if column == "member_id" else (expression, args)

    monkeypatch.setattr(Replicator, "_key", astray)

    with pytest.raises(ReplicationError, match="name no existing row in member"):
        Replicator(copies=2).run()
    assert Member.objects.count() == template[Member]
    assert MemberRating.objects.count() == template[MemberRating]
