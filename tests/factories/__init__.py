"""Test data built through the services, so every row is as the portal itself would write it."""

import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model

from members.services import member_admit
from organizations.models import OrgKind, OrgType, Role
from organizations.services import organization_create

_record = itertools.count(100001)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


def superuser():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def make_org(code, kind, *, parent=None, valid_from=date(2019, 1, 1), org_type="", name=None, actor=None):
    if not org_type and kind in (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL):
        org_type = OrgType.COMMUNE
    return organization_create(
        actor=actor or superuser(),
        code=code,
        name=name or f"Tổ chức {code}",
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        org_type=org_type,
    )


def make_member(organization, *, admission_date=date(2015, 3, 2), actor=None, **identity):
    number = next(_record)
    identity.setdefault("full_name", f"Nguyễn Văn {number}")
    identity.setdefault("gender", "M")
    identity.setdefault("date_of_birth", date(1985, 5, 17))
    identity.setdefault("record_number", f"{number:06d}TN")
    return member_admit(
        actor=actor or superuser(),
        organization=organization,
        admission_date=admission_date,
        **identity,
    )


def give_role(user, organization, kind, *, valid_from=None, valid_to=None):
    return Role.objects.create(
        user=user, organization=organization, kind=kind, valid_from=valid_from, valid_to=valid_to
    )
