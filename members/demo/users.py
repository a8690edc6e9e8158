"""Demo logins, one per kind of role, with a fixed documented password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from organizations.models import Role, RoleKind
from party_portal.passwords import DEMO_PASSWORD

from .tree import LAST_DISTRICT_DAY, REFORM_DAY

# DEMO_PASSWORD is set with set_password semantics (hashed, validators not run): it logs in with DEBUG on only
# (`make run`); with DEBUG off the login refuses it (party_portal/passwords.py).

# username, role (None: superuser), where (a key resolved against the generated tree), who it stands for
# The district cadre's role ends with the district (read-only history since); the commune's starts with it.
ROLE_DATES = {"cb_huyen": (None, LAST_DISTRICT_DAY), "cb_xa": (REFORM_DAY, None)}
DEMO_USERS = [
    ("admin", None, "province", "Quản trị hệ thống"),
    ("bantochuc", RoleKind.BOARD, "province", "Ban Tổ chức Tỉnh ủy"),
    ("bchi_dao", RoleKind.STEERING, "province", "Ban Chỉ đạo chương trình hành động"),
    ("cb_huyen", RoleKind.DISTRICT_CADRE, "district", "Cán bộ Ban Tổ chức Huyện ủy (đến 30/06/2025)"),
    ("cb_xa", RoleKind.DISTRICT_CADRE, "commune", "Cán bộ Đảng ủy xã/phường (từ 01/07/2025)"),
    ("cb_coso", RoleKind.GRASSROOTS_CADRE, "grassroots", "Cán bộ tổ chức đảng cơ sở"),
]


def demo_targets(tree):
    """The tree indices the demo users hold roles on: the first district, its first TCCSĐ and that TCCSĐ's commune."""
    district = tree.districts[0]
    grassroots = tree.orgs[district].children[0]
    return {
        "province": tree.province,
        "district": district,
        "grassroots": grassroots,
        "commune": tree.reform_parent[grassroots],
    }


def create_demo_users(tree, org_ids):
    """Create (or reset) the demo users and their roles; roles are bulk-created so no audit rows are written."""
    targets = demo_targets(tree)
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 costs about half a second per call
    roles = []
    for username, kind, where, description in DEMO_USERS:
        user, _ = user_model.objects.get_or_create(username=username)
        user.password = password
        user.first_name = description
        user.is_active = True
        user.is_superuser = user.is_staff = kind is None
        user.save()
        if kind is not None:
            valid_from, valid_to = ROLE_DATES.get(username, (None, None))
            roles.append(
                Role(
                    user=user,
                    organization_id=org_ids[targets[where]],
                    kind=kind,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
    Role.objects.bulk_create(roles)


def demo_logins():
    """Rows (username, password, role, organization) for the demo users present in the database."""
    users = get_user_model().objects.filter(username__in=[u for u, *_ in DEMO_USERS])
    by_name = {user.username: user for user in users}
    rows = []
    for username, kind, *_ in DEMO_USERS:
        user = by_name.get(username)
        if user is None:
            continue
        if kind is None:
            rows.append((username, DEMO_PASSWORD, "superuser", "toàn hệ thống"))
            continue
        for role in Role.objects.filter(user=user, kind=kind).select_related("organization"):
            rows.append((username, DEMO_PASSWORD, kind.value, f"{role.organization.code} – {role.organization.name}"))
    return rows
