"""A province drawn by hand for the statistics forms, with everything that moved in 2024 written out.

P (province)
├─ D1 district                                   ├─ D2 district
│  ├─ GA grassroots committee, WARD              │  ├─ GC grassroots cell, PRIVATE_ENTERPRISE
│  │  ├─ CA1 cell: a1 a2 a3                      │  ├─ GE grassroots cell, COMMUNE (ends 30/06/2024,
│  │  ├─ CA2 cell: a4 a5                         │  │  merged: e1 e2 e3 move to GF on 01/07/2024)
│  │  └─ (GA's own rolls: a6)                    │  └─ GF grassroots cell, COMMUNE (from 01/07/2024,
│  └─ GB grassroots cell, COMMUNE: b1 b2         │     successor of GE)
                                                 GC: c1 c2 p1 (p1 admitted 01/11/2023)

In 2024: n1 admitted in CA1 (10/03), t1 arrives in CA2 from another province (02/04), r1 re-admitted in GC (20/05),
a5 dies (12/06), c2 struck off (03/03), p1 struck off while probationary (01/07), e1–e3 move GE → GF (01/07),
b2 moves GB → GC (01/08), n2 admitted in GB (05/09), n3 admitted in GF (15/10), a4 expelled (15/11), a2 moves to
another province (20/12).
"""

from datetime import date

import pytest

from members.models import MovementKind, TheoryLevel, TransferScope
from members.services import member_arrive, member_transfer, movement_record, theory_level_add
from organizations.models import OrgKind, OrgType, RoleKind
from organizations.services import organization_close, organization_create
from tests.factories import UserFactory, give_role, make_member, make_org, superuser

MERGE_DAY = date(2024, 7, 1)
OPEN = date(2010, 1, 1)


@pytest.fixture
def province(db):
    admin = superuser()
    p = make_org("P", OrgKind.PROVINCE_COMMITTEE, valid_from=OPEN, name="Đảng bộ tỉnh Biểu Mẫu")
    d1 = make_org("D1", valid_from=OPEN, kind=OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Bắc")
    d2 = make_org("D2", valid_from=OPEN, kind=OrgKind.DISTRICT_COMMITTEE, parent=p, name="Huyện ủy Nam")
    ga = make_org(
        "GA",
        valid_from=OPEN,
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        parent=d1,
        org_type=OrgType.WARD,
        name="Đảng bộ phường An",
    )
    ca1 = make_org("CA1", valid_from=OPEN, kind=OrgKind.CELL, parent=ga, name="Chi bộ khu phố 1")
    ca2 = make_org("CA2", valid_from=OPEN, kind=OrgKind.CELL, parent=ga, name="Chi bộ khu phố 2")
    gb = make_org(
        "GB", valid_from=OPEN, kind=OrgKind.GRASSROOTS_CELL, parent=d1, org_type=OrgType.COMMUNE, name="Chi bộ xã Bình"
    )
    gc = make_org(
        "GC",
        valid_from=OPEN,
        kind=OrgKind.GRASSROOTS_CELL,
        parent=d2,
        org_type=OrgType.PRIVATE_ENTERPRISE,
        name="Chi bộ Công ty Cổ phần",
    )
    ge = make_org(
        "GE", valid_from=OPEN, kind=OrgKind.GRASSROOTS_CELL, parent=d2, org_type=OrgType.COMMUNE, name="Chi bộ xã Êm"
    )

    def member(org, name, **identity):
        return make_member(org, full_name=name, **identity)

    people = {
        "a1": member(ca1, "Trần An", date_of_birth=date(1960, 1, 1)),
        "a2": member(ca1, "Trần Ba"),
        "a3": member(ca1, "Lò Thị Cúc", gender="F", ethnicity="Tày"),
        "a4": member(ca2, "Phạm Dũng"),
        "a5": member(ca2, "Phạm Em"),
        "a6": member(ga, "Hoàng Giang", date_of_birth=date(1964, 12, 31)),
        "b1": member(gb, "Vũ Hải", religion="Phật giáo"),
        "b2": member(gb, "Vũ Khoa"),
        "c1": member(gc, "Đỗ Lâm", religion="Công giáo"),
        "c2": member(gc, "Đỗ Minh"),
        "p1": member(gc, "Đỗ Ngọc", admission_date=date(2023, 11, 1)),
        "e1": member(ge, "Bùi Oanh", gender="F"),
        "e2": member(ge, "Bùi Phúc", ethnicity="Mường"),
        "e3": member(ge, "Bùi Quang"),
    }
    theory_level_add(actor=admin, member=people["a1"], level=TheoryLevel.ADVANCED, obtained_on=date(2010, 5, 1))
    theory_level_add(actor=admin, member=people["a2"], level=TheoryLevel.ADVANCED, obtained_on=date(2012, 5, 1))
    theory_level_add(actor=admin, member=people["a6"], level=TheoryLevel.INTERMEDIATE, obtained_on=date(2015, 5, 1))
    theory_level_add(actor=admin, member=people["c1"], level=TheoryLevel.ELEMENTARY, obtained_on=date(2018, 5, 1))
    # Obtained after the end of 2024: e1 has no theory level on 31/12/2024.
    theory_level_add(actor=admin, member=people["e1"], level=TheoryLevel.INTERMEDIATE, obtained_on=date(2025, 3, 1))

    def record(key, kind, day, org, scope=""):
        movement_record(actor=admin, member=people[key], kind=kind, date=day, organization=org, transfer_scope=scope)

    people["n1"] = make_member(
        ca1, full_name="Lê Nga", gender="F", date_of_birth=date(2000, 1, 1), admission_date=date(2024, 3, 10)
    )
    people["t1"] = member_arrive(
        actor=admin,
        organization=ca2,
        arrival_date=date(2024, 4, 2),
        admission_date=date(2010, 1, 5),
        full_name="Ngô Tâm",
        gender="M",
        date_of_birth=date(1985, 5, 17),
        record_number="200001TN",
    )
    people["r1"] = make_member(gc, full_name="Đinh Rạng", admission_date=date(2024, 5, 20), readmission=True)
    record("a5", MovementKind.DECEASED, date(2024, 6, 12), ca2)
    record("c2", MovementKind.STRUCK_OFF, date(2024, 3, 3), gc)
    record("p1", MovementKind.STRUCK_OFF, date(2024, 7, 1), gc)
    gf = organization_create(
        actor=admin,
        code="GF",
        name="Chi bộ xã Êm Phú",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=d2,
        valid_from=MERGE_DAY,
        org_type=OrgType.COMMUNE,
        successor_of=ge,
    )
    for key in ("e1", "e2", "e3"):
        member_transfer(actor=admin, member=people[key], to_organization=gf, date=MERGE_DAY)
    organization_close(actor=admin, organization=ge, last_day=date(2024, 6, 30))
    member_transfer(actor=admin, member=people["b2"], to_organization=gc, date=date(2024, 8, 1))
    people["n2"] = make_member(gb, full_name="Lê Oanh", date_of_birth=date(1999, 6, 1), admission_date=date(2024, 9, 5))
    people["n3"] = make_member(
        gf, full_name="Lê Phương", date_of_birth=date(1994, 12, 31), admission_date=date(2024, 10, 15)
    )
    record("a4", MovementKind.EXPELLED, date(2024, 11, 15), ca2)
    record("a2", MovementKind.TRANSFER_OUT, date(2024, 12, 20), ca1, TransferScope.OUTSIDE_PROVINCE)
    orgs = {"P": p, "D1": d1, "D2": d2, "GA": ga, "CA1": ca1, "CA2": ca2, "GB": gb, "GC": gc, "GE": ge, "GF": gf}
    return {"orgs": orgs, "people": people, "admin": admin}


@pytest.fixture
def d1_cadre(province):
    user = UserFactory(username="cadre_bac")
    give_role(user, province["orgs"]["D1"], RoleKind.DISTRICT_CADRE)
    return user
