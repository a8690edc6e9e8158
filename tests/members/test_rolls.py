"""The rolls (Biểu 1-BTCTW): stints derived from movement events, and the counts and movements by scope."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members import selectors
from members.models import MovementKind, TransferScope
from members.rolls import Event, Stint, stints_from_events
from members.services import member_transfer, movement_record
from tests.factories import make_member

C1, C2 = 11, 12


# --- stints_from_events: pure, no database -----------------------------------------------------------------


def test_stints_from_events_admission_opens_a_stint():
    events = [Event(MovementKind.ADMITTED, date(2020, 3, 1), C1)]

    stints = stints_from_events(events)

    assert stints == [Stint(C1, date(2020, 3, 1), None)]


def test_stints_from_events_transfer_out_and_in_on_one_day_leaves_no_gap():
    # Given in the "wrong" order on purpose: on one day the transfer out is applied before the transfer in.
    events = [
        Event(MovementKind.ADMITTED, date(2020, 3, 1), C1, order=1),
        Event(MovementKind.TRANSFER_IN, date(2022, 5, 10), C2, order=2),
        Event(MovementKind.TRANSFER_OUT, date(2022, 5, 10), C1, order=3),
    ]

    stints = stints_from_events(events)

    assert stints == [Stint(C1, date(2020, 3, 1), date(2022, 5, 10)), Stint(C2, date(2022, 5, 10), None)]


def test_stints_from_events_death_ends_the_stint_on_the_day():
    events = [
        Event(MovementKind.ADMITTED, date(2020, 3, 1), C1),
        Event(MovementKind.DECEASED, date(2024, 9, 10), C1),
    ]

    stints = stints_from_events(events)

    assert stints == [Stint(C1, date(2020, 3, 1), date(2024, 9, 10))]


def test_stints_from_events_readmission_after_leaving_opens_a_second_stint():
    events = [
        Event(MovementKind.ADMITTED, date(2020, 3, 1), C1),
        Event(MovementKind.STRUCK_OFF, date(2021, 1, 5), C1),
        Event(MovementKind.READMITTED, date(2023, 2, 3), C2),
    ]

    stints = stints_from_events(events)

    assert stints == [Stint(C1, date(2020, 3, 1), date(2021, 1, 5)), Stint(C2, date(2023, 2, 3), None)]


def test_stints_from_events_increase_while_on_the_rolls_is_refused():
    events = [
        Event(MovementKind.ADMITTED, date(2020, 3, 1), C1),
        Event(MovementKind.TRANSFER_IN, date(2021, 6, 1), C2),
    ]

    with pytest.raises(ValidationError) as error:
        stints_from_events(events)

    assert error.value.code == "already_on_rolls"
    assert error.value.params == {"date": "01/06/2021"}


def test_stints_from_events_decrease_while_not_on_the_rolls_is_refused():
    events = [
        Event(MovementKind.ADMITTED, date(2020, 3, 1), C1),
        Event(MovementKind.WITHDRAWN, date(2021, 1, 5), C1),
        Event(MovementKind.DECEASED, date(2022, 8, 9), C1),
    ]

    with pytest.raises(ValidationError) as error:
        stints_from_events(events)

    assert error.value.code == "not_on_rolls"
    assert error.value.params == {"date": "09/08/2022"}


def test_stints_from_events_decrease_before_any_increase_is_refused():
    events = [Event(MovementKind.EXPELLED, date(2021, 1, 5), C1)]

    with pytest.raises(ValidationError) as error:
        stints_from_events(events)

    assert error.value.code == "not_on_rolls"


def test_stints_from_events_decrease_at_another_organization_is_refused():
    events = [
        Event(MovementKind.ADMITTED, date(2020, 3, 1), C1),
        Event(MovementKind.TRANSFER_OUT, date(2021, 6, 1), C2),
    ]

    with pytest.raises(ValidationError) as error:
        stints_from_events(events)

    assert error.value.code == "wrong_organization"


# --- the rolls selector on a hand-built province ------------------------------------------------------------


@pytest.fixture
def small_rolls(tree, root_user):
    """Hand-counted movements on the `tree` province:

    2019-03-02  A, B, C admitted at C1 (D1)
    2020-05-04  D, E admitted at G2 (D2)
    2023-03-10  F admitted at C2 (D1)
    2023-06-15  B transferred C1 → G2
    2024-09-10  C dies (at C1)
    2025-08-01  G admitted at C1, now under X1 (after the reform)
    """
    people = {}
    for name in "ABC":
        people[name] = make_member(tree["C1"], admission_date=date(2019, 3, 2), full_name=f"Đảng viên {name}")
    for name in "DE":
        people[name] = make_member(tree["G2"], admission_date=date(2020, 5, 4), full_name=f"Đảng viên {name}")
    people["F"] = make_member(tree["C2"], admission_date=date(2023, 3, 10), full_name="Đảng viên F")
    member_transfer(actor=root_user, member=people["B"], to_organization=tree["G2"], date=date(2023, 6, 15))
    movement_record(
        actor=root_user, member=people["C"], kind=MovementKind.DECEASED, date=date(2024, 9, 10), organization=tree["C1"]
    )
    people["G"] = make_member(tree["C1"], admission_date=date(2025, 8, 1), full_name="Đảng viên G")
    return people


def _count(actor, scope, on):
    return selectors.rolls(actor=actor, on=on, organization_id=scope.pk).count()


def _names(actor, scope, on):
    stints = selectors.rolls(actor=actor, on=on, organization_id=scope.pk).select_related("member")
    return sorted(s.member.full_name[-1] for s in stints)


@pytest.mark.parametrize(
    ("scope", "on", "expected"),
    [
        ("P", date(2022, 12, 31), 5),
        ("D1", date(2022, 12, 31), 3),
        ("D2", date(2022, 12, 31), 2),
        ("P", date(2023, 12, 31), 6),
        ("D1", date(2023, 12, 31), 3),
        ("D2", date(2023, 12, 31), 3),
        ("P", date(2024, 12, 31), 5),
        ("D1", date(2024, 12, 31), 2),
        ("D2", date(2024, 12, 31), 3),
        ("P", date(2025, 12, 31), 6),
        ("X1", date(2025, 12, 31), 6),
        ("G1", date(2025, 12, 31), 3),
    ],
)
def test_rolls_count_by_scope_at_year_end(tree, root_user, small_rolls, scope, on, expected):
    count = _count(root_user, tree[scope], on)

    assert count == expected


def test_rolls_who_is_where_at_the_end_of_2023(tree, root_user, small_rolls):
    d1 = _names(root_user, tree["D1"], date(2023, 12, 31))
    d2 = _names(root_user, tree["D2"], date(2023, 12, 31))

    assert d1 == ["A", "C", "F"]
    assert d2 == ["B", "D", "E"]


def test_rolls_district_count_for_2024_unchanged_by_the_2025_reform(tree, root_user, small_rolls):
    # G1 (with C1, C2) moved from D1 to X1 on 01/07/2025 and G joined C1 after that: D1's 2024 count
    # is read on the tree of 31/12/2024, so it is still A and F.
    names = _names(root_user, tree["D1"], date(2024, 12, 31))

    assert names == ["A", "F"]


def test_rolls_district_that_ended_has_no_count_after_the_reform(tree, root_user, small_rolls):
    with pytest.raises(Http404):
        _count(root_user, tree["D1"], date(2025, 12, 31))


def test_rolls_member_who_dies_is_not_counted_on_the_day_of_death(tree, root_user, small_rolls):
    day_before = _names(root_user, tree["C1"], date(2024, 9, 9))
    day_of_death = _names(root_user, tree["C1"], date(2024, 9, 10))

    assert day_before == ["A", "C"]
    assert day_of_death == ["A"]


def test_rolls_transfer_day_counts_the_member_at_the_new_organization_only(tree, root_user, small_rolls):
    at_c1 = _names(root_user, tree["C1"], date(2023, 6, 15))
    at_g2 = _names(root_user, tree["G2"], date(2023, 6, 15))

    assert at_c1 == ["A", "C"]
    assert at_g2 == ["B", "D", "E"]


def test_rolls_movement_of_d1_over_2023(tree, root_user, small_rolls):
    movement = selectors.rolls_movement(
        actor=root_user, organization_id=tree["D1"].pk, period_start=date(2023, 1, 1), period_end=date(2023, 12, 31)
    )

    assert (movement.start, movement.end) == (3, 3)
    assert movement.increases == Counter({MovementKind.ADMITTED: 1})
    assert movement.decreases == Counter({MovementKind.TRANSFER_OUT: 1})


def test_rolls_movement_of_d2_over_2023(tree, root_user, small_rolls):
    movement = selectors.rolls_movement(
        actor=root_user, organization_id=tree["D2"].pk, period_start=date(2023, 1, 1), period_end=date(2023, 12, 31)
    )

    assert (movement.start, movement.end) == (2, 3)
    assert movement.increases == Counter({MovementKind.TRANSFER_IN: 1})
    assert movement.decreases == Counter()


def test_rolls_movement_of_the_province_over_2024(tree, root_user, small_rolls):
    movement = selectors.rolls_movement(
        actor=root_user, organization_id=tree["P"].pk, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
    )

    assert (movement.start, movement.end) == (6, 5)
    assert movement.increases == Counter()
    assert movement.decreases == Counter({MovementKind.DECEASED: 1})


# --- property: end = start + increases − decreases, against a model kept by the test -------------------------

# Where each organization of `tree` sits on 31 December: districts until 2024, the ward X1 from 2025.
PLACES = ("G1", "C1", "C2", "G2")
SCOPES_BY_YEAR = {year: {"P": PLACES, "D1": ("G1", "C1", "C2"), "D2": ("G2",)} for year in range(2019, 2025)}
SCOPES_BY_YEAR[2025] = {"P": PLACES, "X1": PLACES}
FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2025, 12, 31)
LEAVING = (
    MovementKind.DECEASED,
    MovementKind.EXPELLED,
    MovementKind.STRUCK_OFF,
    MovementKind.WITHDRAWN,
    MovementKind.TRANSFER_OUT,
)
RETURNING = (MovementKind.READMITTED, MovementKind.RESTORED, MovementKind.TRANSFER_IN)

operations = st.lists(
    st.tuples(
        st.sampled_from(["admit", "admit", "transfer", "leave", "return"]),
        st.integers(min_value=0, max_value=20),  # which member (modulo those admitted so far)
        st.sampled_from(PLACES),
        st.sampled_from(LEAVING + RETURNING),
        st.integers(min_value=1, max_value=200),  # days after the previous operation: dates strictly increase
    ),
    min_size=1,
    max_size=25,
)


def _apply(tree, actor, ops):
    """Run `ops` through the services; keep beside them a model of who is where and of every event."""
    where, members, log = {}, [], []
    day = FIRST_DAY
    for action, who, place, kind, gap in ops:
        day += timedelta(days=gap)
        if day > LAST_DAY:
            break
        org = tree[place]
        if action == "admit" or not members:
            member = make_member(org, admission_date=day, actor=actor)
            members.append(member)
            where[member.pk] = place
            log.append((day, place, MovementKind.ADMITTED))
            continue
        member = members[who % len(members)]
        current = where[member.pk]
        if action == "transfer":
            if current is None or current == place:
                with pytest.raises(ValidationError):
                    member_transfer(actor=actor, member=member, to_organization=org, date=day)
                continue
            member_transfer(actor=actor, member=member, to_organization=org, date=day)
            log += [(day, current, MovementKind.TRANSFER_OUT), (day, place, MovementKind.TRANSFER_IN)]
            where[member.pk] = place
            continue
        if action == "leave":
            kind = kind if kind in LEAVING else MovementKind.STRUCK_OFF
            at = current or place
            valid = current is not None
        else:
            kind = kind if kind in RETURNING else MovementKind.RESTORED
            at = place
            valid = current is None
        scope = TransferScope.OUTSIDE_PROVINCE if kind in (MovementKind.TRANSFER_IN, MovementKind.TRANSFER_OUT) else ""
        if not valid:
            with pytest.raises(ValidationError):
                movement_record(actor=actor, member=member, kind=kind, date=day, organization=tree[at])
            continue
        movement_record(actor=actor, member=member, kind=kind, date=day, organization=tree[at], transfer_scope=scope)
        log.append((day, at, kind))
        where[member.pk] = None if action == "leave" else place
    return log


def _model_count(log, places, on):
    """Members on the rolls of `places` on `on`: increases minus decreases up to that day, by the log."""
    total = 0
    for day, place, kind in log:
        if day <= on and place in places:
            total += 1 if kind in RETURNING or kind == MovementKind.ADMITTED else -1
    return total


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_rolls_movement_identity_holds_for_random_movements(tree, root_user, ops):
    # Each example runs in a savepoint that is rolled back, so examples do not see each other's members.
    with transaction.atomic():
        log = _apply(tree, root_user, ops)

        for year, scopes in SCOPES_BY_YEAR.items():
            first, last = date(year, 1, 1), date(year, 12, 31)
            for code, places in scopes.items():
                movement = selectors.rolls_movement(
                    actor=root_user, organization_id=tree[code].pk, period_start=first, period_end=last
                )
                in_year = [kind for day, place, kind in log if first <= day <= last and place in places]
                increases = sum(1 for kind in in_year if kind in RETURNING or kind == MovementKind.ADMITTED)

                assert movement.end == movement.start + movement.total_increase - movement.total_decrease
                assert movement.start == _model_count(log, places, first - timedelta(days=1))
                assert movement.end == _model_count(log, places, last)
                assert movement.total_increase == increases
                assert movement.total_decrease == len(in_year) - increases
        transaction.set_rollback(True)
