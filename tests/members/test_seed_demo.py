from collections import defaultdict
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from members.demo import DEMO_PASSWORD
from members.models import (
    CommitteeSeat,
    Discipline,
    DisciplineKind,
    Member,
    Membership,
    MovementEvent,
    MovementKind,
    StatusKind,
    StatusPeriod,
    TheoryQualification,
)
from members.rolls import Event, stints_from_events
from members.selectors import rolls_movement
from organizations.models import Organization, OrgKind, Placement, Role, RoleKind
from party_portal.text import fold

LAST_DAY = date(2025, 12, 31)
GRASSROOTS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)


def _seed(seed=7, *extra):
    out = StringIO()
    call_command("seed_demo", "--size", "tiny", "--seed", str(seed), *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def tiny(db):
    _seed()


@pytest.fixture
def admin(tiny):
    return get_user_model().objects.get(username="admin")


def _snapshot():
    """The generated rows by natural keys (codes, record numbers), so two loads compare across id sequences."""
    codes = dict(Organization.objects.values_list("pk", "code"))
    records = dict(Member.objects.values_list("pk", "record_number"))

    def path(value):
        return "/".join(codes[int(part)] for part in value.strip("/").split("/"))

    return {
        "organizations": sorted(
            (o.code, o.name, o.kind, o.org_type, o.valid_from, o.valid_to, codes.get(o.successor_of_id))
            for o in Organization.objects.all()
        ),
        "placements": sorted(
            (codes[p.organization_id], codes.get(p.parent_id), p.valid_from, p.valid_to, path(p.path), p.depth)
            for p in Placement.objects.all()
        ),
        "members": sorted(
            Member.objects.values_list(
                "record_number", "full_name", "gender", "date_of_birth", "ethnicity", "card_number", "citizen_id"
            )
        ),
        "events": sorted(
            (records[e.member_id], e.kind, e.date, codes[e.organization_id], e.transfer_scope)
            for e in MovementEvent.objects.all()
        ),
        "statuses": sorted((records[s.member_id], s.kind, s.start, s.end) for s in StatusPeriod.objects.all()),
        "theory": sorted((records[t.member_id], t.level, t.obtained_on) for t in TheoryQualification.objects.all()),
        "disciplines": sorted((records[d.member_id], d.kind, d.decided_on) for d in Discipline.objects.all()),
        "seats": sorted(
            (records[s.member_id], codes[s.organization_id], s.role, s.start, s.end)
            for s in CommitteeSeat.objects.all()
        ),
    }


def _empty_the_database():
    from evaluations.models import MemberRating, OrganizationRating, Submission
    from indicators.models import IndicatorSnapshot

    for model in (MemberRating, OrganizationRating, Submission, IndicatorSnapshot):
        model.objects.all().delete()
    for model in (CommitteeSeat, Discipline, TheoryQualification, StatusPeriod, Membership, MovementEvent, Member):
        model.objects.all().delete()
    Role.objects.all().delete()
    Placement.objects.all().delete()
    Organization.objects.update(successor_of=None)
    Organization.objects.all().delete()


def _tccsd_parents_on(day):
    placements = Placement.objects.on(day).filter(organization__kind__in=GRASSROOTS).select_related("parent")
    return [p.parent.kind for p in placements]


def test_seed_demo_tiny_builds_a_small_province(tiny):
    tccsd = Organization.objects.filter(kind__in=GRASSROOTS).count()
    cells = Organization.objects.filter(kind=OrgKind.CELL).count()
    on_rolls = Membership.objects.filter(start__lte=LAST_DAY, end__isnull=True).count()

    assert Organization.objects.filter(kind=OrgKind.DISTRICT_COMMITTEE).count() == 2
    assert Organization.objects.filter(kind=OrgKind.DIRECT_COMMITTEE).count() == 1
    assert 8 <= tccsd <= 10
    assert 12 <= cells <= 30
    assert 250 <= on_rolls <= 400


def test_seed_demo_if_empty_leaves_a_loaded_database_alone(tiny):
    members = Member.objects.count()

    output = _seed(8, "--if-empty")

    assert "not loaded" in output
    assert Member.objects.count() == members


def test_seed_demo_same_seed_gives_the_same_rows(tiny):
    first = _snapshot()
    _empty_the_database()

    _seed()

    assert _snapshot() == first


def test_seed_demo_other_seed_gives_other_members(tiny):
    first = _snapshot()
    _empty_the_database()

    _seed(8)

    assert _snapshot()["members"] != first["members"]


def test_seed_demo_memberships_are_the_stints_of_the_events(tiny):
    events = defaultdict(list)
    for e in MovementEvent.objects.order_by("date", "pk"):
        events[e.member_id].append(Event(e.kind, e.date, e.organization_id, e.pk))
    stored = defaultdict(list)
    for m in Membership.objects.order_by("start"):
        stored[m.member_id].append((m.organization_id, m.start, m.end))

    derived = {
        member_id: [(s.organization_id, s.start, s.end) for s in stints_from_events(member_events)]
        for member_id, member_events in events.items()
    }

    assert set(derived) == set(Member.objects.values_list("pk", flat=True))
    assert derived == dict(stored)


def test_seed_demo_rows_are_as_the_services_write_them(tiny):
    members = list(Member.objects.all())
    organizations = list(Organization.objects.all())
    latest_admission = {}
    for e in MovementEvent.objects.filter(kind__in=[MovementKind.ADMITTED, MovementKind.READMITTED]):
        latest_admission[e.member_id] = max(e.date, latest_admission.get(e.member_id, e.date))

    assert all(m.name_folded == fold(m.full_name) for m in members)
    assert all(o.name_folded == fold(o.name) for o in organizations)
    assert all(latest_admission.get(m.pk, m.admission_date) == m.admission_date for m in members)
    for member in members[:40]:
        member.full_clean(validate_unique=False)
    for placement in Placement.objects.exclude(parent=None):
        parent = Placement.objects.on(placement.valid_from).get(organization_id=placement.parent_id)
        assert placement.path == f"{parent.path}{placement.organization_id}/"
        assert placement.depth == parent.depth + 1


def test_seed_demo_has_every_movement_and_status_kind(tiny):
    movements = set(MovementEvent.objects.values_list("kind", flat=True))
    statuses = set(StatusPeriod.objects.values_list("kind", flat=True))

    assert movements == set(MovementKind.values)
    assert statuses == set(StatusKind.values)


def test_seed_demo_nothing_is_dated_after_2025(tiny):
    latest = [
        *MovementEvent.objects.values_list("date", flat=True),
        *Membership.objects.values_list("start", flat=True),
        *Membership.objects.exclude(end=None).values_list("end", flat=True),
        *StatusPeriod.objects.exclude(end=None).values_list("end", flat=True),
        *StatusPeriod.objects.values_list("start", flat=True),
        *TheoryQualification.objects.values_list("obtained_on", flat=True),
        *Discipline.objects.values_list("decided_on", flat=True),
        *CommitteeSeat.objects.values_list("start", flat=True),
        *CommitteeSeat.objects.exclude(end=None).values_list("end", flat=True),
        *Organization.objects.values_list("valid_from", flat=True),
        *Placement.objects.values_list("valid_from", flat=True),
        *Member.objects.values_list("admission_date", flat=True),
    ]

    assert max(latest) <= LAST_DAY


def test_seed_demo_reform_moves_every_tccsd_off_the_districts(tiny):
    before = _tccsd_parents_on(date(2024, 12, 31))
    after = _tccsd_parents_on(LAST_DAY)

    assert set(before) <= {OrgKind.DISTRICT_COMMITTEE, OrgKind.DIRECT_COMMITTEE}
    assert OrgKind.DISTRICT_COMMITTEE in before
    assert set(after) <= {OrgKind.COMMUNE_COMMITTEE, OrgKind.DIRECT_COMMITTEE}
    assert OrgKind.COMMUNE_COMMITTEE in after


def test_seed_demo_districts_end_and_communes_start_with_the_reform(tiny):
    districts = Organization.objects.filter(kind=OrgKind.DISTRICT_COMMITTEE)
    communes = Organization.objects.filter(kind=OrgKind.COMMUNE_COMMITTEE)

    assert {d.valid_to for d in districts} == {date(2025, 6, 30)}
    assert {c.valid_from for c in communes} == {date(2025, 7, 1)}
    assert {c.successor_of.kind for c in communes} == {OrgKind.DISTRICT_COMMITTEE}


def test_seed_demo_rolls_identity_holds_for_2023(admin):
    scopes = [
        Organization.objects.get(kind=OrgKind.PROVINCE_COMMITTEE),
        *Organization.objects.filter(kind=OrgKind.DISTRICT_COMMITTEE),
    ]

    movements = [
        rolls_movement(
            actor=admin, organization_id=org.pk, period_start=date(2023, 1, 1), period_end=date(2023, 12, 31)
        )
        for org in scopes
    ]

    for movement in movements:
        assert movement.start > 0
        assert movement.start + movement.total_increase - movement.total_decrease == movement.end
    assert movements[0].total_increase > 0


def test_seed_demo_card_numbers_only_for_official_members(tiny):
    members = list(Member.objects.all())
    holders = [m for m in members if m.card_number]

    assert holders
    assert all(m.is_official_on(LAST_DAY) for m in holders)
    assert len({m.card_number for m in holders}) == len(holders)


def test_seed_demo_probationary_members_only_reprimanded_or_warned(tiny):
    disciplines = Discipline.objects.select_related("member")

    for discipline in disciplines:
        if not discipline.member.is_official_on(discipline.decided_on):
            assert discipline.kind in (DisciplineKind.REPRIMAND, DisciplineKind.WARNING)


def test_seed_demo_every_tccsd_has_a_secretary_at_the_end_of_2023(tiny):
    day = date(2023, 12, 31)
    tccsd = set(Organization.objects.valid_on(day).filter(kind__in=GRASSROOTS).values_list("pk", flat=True))

    with_secretary = set(
        CommitteeSeat.objects.filter(role="SECRETARY", start__lte=day)
        .exclude(end__lt=day)
        .values_list("organization_id", flat=True)
    )

    assert tccsd <= with_secretary


def test_seed_demo_demo_logins_have_their_roles(tiny):
    out = StringIO()

    call_command("demo_logins", stdout=out)

    board = get_user_model().objects.get(username="bantochuc")
    assert board.check_password(DEMO_PASSWORD)
    assert Role.objects.get(user=board).kind == RoleKind.BOARD
    assert Role.objects.get(user__username="cb_coso").organization.kind in GRASSROOTS
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "bchi_dao" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


def test_seed_demo_roles_are_dated_and_the_district_cadre_only_reads_its_past(tiny):
    from organizations import policy

    huyen = Role.objects.select_related("organization", "user").get(user__username="cb_huyen")
    xa = Role.objects.select_related("organization", "user").get(user__username="cb_xa")
    # A TCCSĐ of cb_huyen's district on 01/06/2025, moved under a commune on 01/07/2025.
    district_day = date(2025, 6, 1)
    child = Placement.objects.on(district_day).filter(parent=huyen.organization).first().organization_id

    assert (huyen.valid_from, huyen.valid_to) == (None, date(2025, 6, 30))
    assert (xa.valid_from, xa.valid_to) == (date(2025, 7, 1), None)
    assert huyen.organization.valid_to == date(2025, 6, 30)
    assert policy.allowed_actions(huyen.user) == {policy.VIEW, policy.RUN_REPORTS}
    assert policy.can(huyen.user, policy.VIEW, child, district_day) is True
    assert policy.can(huyen.user, policy.ENTER_DATA, child, district_day) is False
    assert policy.can(xa.user, policy.ENTER_DATA) is True


def test_seed_demo_members_carry_coded_records(tiny):
    members = Member.objects.all()
    total = members.count()

    # Every member's ethnicity and religion text maps onto a seeded code, none onto "other".
    assert not members.filter(ethnicity_code=None).exists()
    assert not members.filter(ethnicity_code__code="99").exists()
    assert not members.filter(religion_code=None).exists()
    assert members.filter(ethnicity_code__name="Kinh").count() == members.filter(ethnicity="Kinh").count()
    assert not members.filter(general_education=None).exists()
    assert not members.filter(occupation_now=None).exists()
    assert members.filter(youth_union_at_admission=True).exists()
    assert members.filter(qualification__group="TRI_THUC").count() < total
