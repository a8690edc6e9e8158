"""Edge cases of docs/counting-rules.md §3, counted by hand on the `tree` fixture."""

from datetime import date
from decimal import Decimal

from evaluations.models import RatingYear
from evaluations.services import member_ratings_save, organization_rating_save
from indicators.models import Target, TargetOverride
from indicators.selectors import compliance
from members.services import member_transfer
from organizations.models import OrgKind, OrgType
from tests.factories import make_member, make_org


def _year(y):
    return RatingYear.objects.get(year=y)


def _rate(actor, org, year, members, level):
    member_ratings_save(
        actor=actor, organization=org, year=_year(year), entries=[{"member_id": m.pk, "level": level} for m in members]
    )


def test_exactly_90_percent_members_good_passes_t2a(tree, root_user):
    good = [make_member(tree["C1"], admission_date=date(2019, 5, 1)) for _ in range(9)]
    completed = make_member(tree["C1"], admission_date=date(2019, 5, 1))
    _rate(root_user, tree["G1"], 2023, good, "GOOD")
    _rate(root_user, tree["G1"], 2023, [completed], "COMPLETED")

    t2a = compliance(actor=root_user, year=2023, scope_id=tree["D1"].pk).scope.figures["T2a"]

    assert (t2a.numerator, t2a.denominator, t2a.status, t2a.margin) == (9, 10, "met", 0)


def test_exactly_90_percent_tccsd_good_fails_t1a(tree, root_user):
    # D1 gets 10 TCCSĐ: G1 and 9 more; 9 rated GOOD, 1 COMPLETED → exactly 90 %.
    extra = [
        make_org(f"GX{i}", OrgKind.GRASSROOTS_CELL, parent=tree["D1"], org_type=OrgType.STATE_AGENCY) for i in range(9)
    ]
    for org in [tree["G1"], *extra[:8]]:
        organization_rating_save(actor=root_user, organization=org, year=_year(2023), level="GOOD")
    organization_rating_save(actor=root_user, organization=extra[8], year=_year(2023), level="COMPLETED")

    t1a = compliance(actor=root_user, year=2023, scope_id=tree["D1"].pk).scope.figures["T1a"]

    assert (t1a.numerator, t1a.denominator, t1a.status, t1a.margin) == (9, 10, "not_met", -1)


def test_tccsd_formed_in_the_second_half_is_not_rated_as_new(tree, root_user):
    new_org = make_org(
        "GN", OrgKind.GRASSROOTS_CELL, parent=tree["D2"], org_type=OrgType.COOPERATIVE, valid_from=date(2023, 8, 1)
    )
    organization_rating_save(actor=root_user, organization=tree["G2"], year=_year(2023), level="GOOD")
    organization_rating_save(
        actor=root_user, organization=new_org, year=_year(2023), not_rated_reason="NEW_ORGANIZATION"
    )

    t1a = compliance(actor=root_user, year=2023, scope_id=tree["D2"].pk).scope.figures["T1a"]

    assert (t1a.numerator, t1a.denominator, t1a.total) == (1, 1, 2)
    assert t1a.not_rated["NEW_ORGANIZATION"] == 1


def test_member_moved_between_districts_counts_where_rated_on_31_12(tree, root_user):
    mover = make_member(tree["C1"], full_name="Người Chuyển", admission_date=date(2019, 2, 1))
    member_transfer(actor=root_user, member=mover, to_organization=tree["G2"], date=date(2023, 7, 15))
    _rate(root_user, tree["G2"], 2023, [mover], "GOOD")

    result = compliance(actor=root_user, year=2023, scope_id=tree["P"].pk)
    by_code = {child.node.code: child.figures for child in result.children}

    assert by_code["D1"]["T2a"].denominator == 0
    assert by_code["D1"]["T2a"].status == "no_data"
    assert (by_code["D2"]["T2a"].numerator, by_code["D2"]["T2a"].denominator) == (1, 1)
    # The rolls at the start of 2023 (the T3 base) still count the mover in D1.
    assert by_code["D1"]["T3"].denominator == 1


def test_district_threshold_override_applies_to_its_subtree_only(tree, root_user):
    t3 = Target.objects.get(indicator="T3")
    TargetOverride.objects.create(target=t3, organization=tree["D1"], threshold=Decimal("10"))
    for _ in range(19):
        make_member(tree["C1"], admission_date=date(2019, 5, 1))
    make_member(tree["C1"], admission_date=date(2023, 3, 3))
    for _ in range(20):
        make_member(tree["G2"], admission_date=date(2019, 5, 1))
    make_member(tree["G2"], admission_date=date(2023, 3, 3))

    result = compliance(actor=root_user, year=2023, scope_id=tree["P"].pk)
    by_code = {child.node.code: child.figures for child in result.children}

    # D1: 1 of 19 = 5,26 % against its own 10 % → not met; D2: 1 of 20 = 5 % against 4 % → met.
    assert (by_code["D1"]["T3"].threshold, by_code["D1"]["T3"].status) == (Decimal("10"), "not_met")
    assert (by_code["D2"]["T3"].threshold, by_code["D2"]["T3"].status) == (Decimal("4"), "met")
    assert result.scope.figures["T3"].threshold == Decimal("4")


def test_every_not_rated_reason_is_counted_apart_from_the_rated(tree, root_user):
    from members.models import StatusKind
    from members.services import status_period_add

    rated = make_member(tree["C1"], admission_date=date(2019, 5, 1))
    exempt = make_member(tree["C1"], admission_date=date(2019, 5, 1))
    suspended = make_member(tree["C1"], admission_date=date(2019, 5, 1))
    new = make_member(tree["C1"], admission_date=date(2023, 10, 2))
    pending = make_member(tree["C1"], admission_date=date(2019, 5, 1))
    make_member(tree["C2"], admission_date=date(2019, 5, 1))  # no rating row at all
    status_period_add(actor=root_user, member=exempt, kind=StatusKind.EXEMPT, start=date(2023, 1, 1))
    status_period_add(
        actor=root_user, member=suspended, kind=StatusKind.SUSPENDED, start=date(2023, 11, 1), end=date(2024, 4, 30)
    )
    member_ratings_save(
        actor=root_user,
        organization=tree["G1"],
        year=_year(2023),
        entries=[
            {"member_id": rated.pk, "level": "GOOD"},
            {"member_id": exempt.pk, "not_rated_reason": "EXEMPT"},
            {"member_id": suspended.pk, "not_rated_reason": "SUSPENDED"},
            {"member_id": new.pk, "not_rated_reason": "NEW_MEMBER"},
            {"member_id": pending.pk, "not_rated_reason": "PENDING"},
        ],
    )

    t2a = compliance(actor=root_user, year=2023, scope_id=tree["G1"].pk).scope.figures["T2a"]

    assert (t2a.numerator, t2a.denominator, t2a.total) == (1, 1, 6)
    # PENDING: the one marked pending and the one with no row.
    assert t2a.not_rated == {"EXEMPT": 1, "SUSPENDED": 1, "NEW_MEMBER": 1, "NEW_ORGANIZATION": 0, "PENDING": 2}
