"""The data the generated access test walks over: two provinces, two districts, a ward committee formed at the
2025 reform, members with every kind of record, rated and submitted years, report runs and import uploads, and
one actor per demo role with the objects inside and outside their part of the tree.

Everything is written through the services, so every row is as the portal itself would write it. Codes carry a
hyphen and card numbers are 8 digits, so that neither can turn up by chance inside a random token of a page.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evaluations.models import RatingYear
from evaluations.services import (
    member_ratings_save,
    organization_rating_save,
    submission_approve,
    submission_get_or_create,
    submission_reopen,
    submission_submit,
)
from indicators.models import IndicatorDefinition, Program, Target, TargetOverride
from members.models import Code, CodeList, DisciplineKind, SeatRole, StatusKind, TheoryLevel
from members.record_services import government_post_add
from members.services import committee_seat_add, discipline_add, status_period_add, theory_level_add
from organizations.models import OrgKind, OrgType, RoleKind
from organizations.resources import OrganizationResource
from party_portal.imports.services import import_job_create
from party_portal.imports.workbook import template_workbook
from reports.consolidated import consolidated_report_execute, consolidated_report_start
from reports.services import report_run_execute, report_run_start
from reviews import services as review_services
from reviews.models import ReportingUnitKind
from tests.factories import UserFactory, give_role, make_member, make_org, superuser

REFORM_DAY = date(2025, 7, 1)
PROGRAM_CODE = "CTHD-2020-2025"
RATED_YEAR = 2024

# key: (code, name, kind, parent key, valid from)
ORGANIZATIONS = [
    ("P", "TN-P01", "Đảng bộ tỉnh Hòa Lạc", OrgKind.PROVINCE_COMMITTEE, None, date(2019, 1, 1)),
    ("D1", "TN-D01", "Huyện ủy Đông Sơn", OrgKind.DISTRICT_COMMITTEE, "P", date(2019, 1, 1)),
    ("G1", "TN-G11", "Đảng bộ xã Bắc Lý", OrgKind.GRASSROOTS_COMMITTEE, "D1", date(2019, 1, 1)),
    ("C1", "TN-C111", "Chi bộ thôn Thượng Phúc", OrgKind.CELL, "G1", date(2019, 1, 1)),
    ("G1B", "TN-G12", "Chi bộ trường Mầm Non Hoa Sen", OrgKind.GRASSROOTS_CELL, "D1", date(2019, 1, 1)),
    ("D2", "TN-D02", "Huyện ủy Tây Nguyên Hạ", OrgKind.DISTRICT_COMMITTEE, "P", date(2019, 1, 1)),
    ("G2", "TN-G21", "Đảng bộ xã Nam Cát Tiên", OrgKind.GRASSROOTS_COMMITTEE, "D2", date(2019, 1, 1)),
    ("C2", "TN-C211", "Chi bộ thôn Hạ Long Vân", OrgKind.CELL, "G2", date(2019, 1, 1)),
    ("X1", "TN-X01", "Đảng ủy phường Trung Hưng", OrgKind.COMMUNE_COMMITTEE, "P", REFORM_DAY),
    ("G3", "TN-G31", "Chi bộ Công an phường Trung Hưng", OrgKind.GRASSROOTS_CELL, "X1", REFORM_DAY),
    ("Q", "LC-Q01", "Đảng bộ tỉnh Lân Cận", OrgKind.PROVINCE_COMMITTEE, None, date(2019, 1, 1)),
    ("QG", "LC-Q11", "Chi bộ Bưu điện Lân Cận", OrgKind.GRASSROOTS_CELL, "Q", date(2019, 1, 1)),
]
GRASSROOTS = ("G1", "G1B", "G2", "G3", "QG")
# Where each TCCSĐ's members sit (a committee's members sit in its cell).
ROLLS = {"G1": "C1", "G1B": "G1B", "G2": "C2", "G3": "G3", "QG": "QG"}
PARENT = {key: parent for key, _c, _n, _k, parent, _f in ORGANIZATIONS}
# The reporting unit (/so-ket/) whose objects stand for a TCCSĐ's part of the tree: its committee's, or for the
# other province a unit outside its tree.
REPORTING = {"G1": "D1", "G1B": "D1", "G2": "D2", "G3": "X1", "QG": "Q"}
PDF = b"%PDF-1.4\n%access test\n"


@dataclass
class Actor:
    """One demo role: who, the objects of its own part of the tree, and the ones outside it."""

    name: str
    user: object
    own: dict = field(default_factory=dict)
    foreign: dict = field(default_factory=dict)
    foreign_texts: tuple = ()


@dataclass
class World:
    orgs: dict
    members: dict  # TCCSĐ key → its members
    submissions: dict  # TCCSĐ key → its submission of RATED_YEAR
    runs: dict  # scope key → report run
    jobs: dict  # actor name → that user's upload
    actors: list
    holders: dict = field(default_factory=dict)  # TCCSĐ key → (a login holding a cadre role there, that role)
    consolidated: dict = field(default_factory=dict)  # province key → its consolidated report of RATED_YEAR
    reporting: dict = field(default_factory=dict)  # reporting key → (unit, plan, review, attachment)


def _subtree(key):
    return {k for k in PARENT if k == key or (PARENT[k] and key in _ancestors(k))}


def _ancestors(key):
    chain = []
    while PARENT[key]:
        key = PARENT[key]
        chain.append(key)
    return chain


def _build_orgs(root):
    orgs = {}
    for key, code, name, kind, parent, valid_from in ORGANIZATIONS:
        org_type = OrgType.COMMUNE if kind in (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL) else ""
        orgs[key] = make_org(
            code, kind, parent=orgs.get(parent), valid_from=valid_from, org_type=org_type, name=name, actor=root
        )
    return orgs


def _build_members(root, orgs):
    members = {}
    for number, key in enumerate(GRASSROOTS, start=1):
        admitted = date(2025, 8, 1) if orgs[key].valid_from == REFORM_DAY else date(2019, 3, 2)
        pair = [
            make_member(
                orgs[ROLLS[key]],
                actor=root,
                full_name=f"{surname} Văn Đảng Viên {key.lower()}",
                card_number=f"5820{number}{index}17",
                admission_date=admitted,
            )
            for index, surname in enumerate(("Hoàng", "Quách"), start=1)
        ]
        first = pair[0]
        theory_level_add(actor=root, member=first, level=TheoryLevel.INTERMEDIATE, obtained_on=admitted)
        committee_seat_add(actor=root, member=first, organization=orgs[key], role=SeatRole.SECRETARY, start=admitted)
        post = Code.objects.get(list=CodeList.POST, code="TRUONG_THON")
        government_post_add(actor=root, member=first, kind=post, organization=orgs[key], start=admitted)
        status_period_add(actor=root, member=pair[1], kind=StatusKind.EXEMPT, start=date(2025, 9, 1))
        discipline_add(actor=root, member=pair[1], kind=DisciplineKind.REPRIMAND, decided_on=date(2025, 9, 2))
        members[key] = pair
    return members


def _rate_and_submit(root, orgs, members):
    """RATED_YEAR rated for every TCCSĐ that existed then: G1 left a draft (its grid still open), G1B submitted,
    G2 and QG approved, reopened once (a Reopening row) and approved again."""
    year = RatingYear.objects.get(year=RATED_YEAR)
    submissions = {}
    for key in ("G1", "G1B", "G2", "QG"):
        entries = [{"member_id": m.pk, "level": "GOOD"} for m in members[key]]
        member_ratings_save(actor=root, organization=orgs[key], year=year, entries=entries)
        organization_rating_save(actor=root, organization=orgs[key], year=year, level="GOOD")
        submission = submission_get_or_create(actor=root, organization=orgs[key], year=year)
        if key != "G1":
            submission = submission_submit(actor=root, submission=submission)
        if key in ("G2", "QG"):
            submission = submission_approve(actor=root, submission=submission)
            submission = submission_reopen(actor=root, submission=submission, reason="Sửa xếp loại")
            submission = submission_approve(actor=root, submission=submission_submit(actor=root, submission=submission))
        submissions[key] = submission
    return submissions


def _runs(root, orgs):
    runs = {}
    for key, year in (("D1", RATED_YEAR), ("D2", RATED_YEAR), ("G1", RATED_YEAR), ("X1", 2025), ("Q", RATED_YEAR)):
        run = report_run_start(actor=root, year=year, scope_id=orgs[key].pk, enqueue=False)
        report_run_execute(run.pk)
        run.refresh_from_db()
        runs[key] = run
    return runs


def _consolidated(root, orgs):
    """The consolidated report of RATED_YEAR of each province (made after the runs: it joins the province's)."""
    reports = {}
    for key in ("P", "Q"):
        report = consolidated_report_start(actor=root, year=RATED_YEAR, province_id=orgs[key].pk, enqueue=False)
        consolidated_report_execute(report.pk)
        report.refresh_from_db()
        reports[key] = report
    return reports


def _upload(user):
    content = template_workbook(OrganizationResource, title="test")
    return import_job_create(actor=user, kind="to-chuc", upload=SimpleUploadedFile("to-chuc.xlsx", content))


def _admin_rows(root, orgs):
    """A row for the admin models only the admin writes, so that their object pages are walked too."""
    Group.objects.create(name="Cán bộ nhập liệu")
    target = Target.objects.filter(program__code=PROGRAM_CODE).order_by("pk").first()
    TargetOverride.objects.create(target=target, organization=orgs["D2"], threshold=Decimal("5"))
    IndicatorDefinition.objects.create(
        code="ACCESS_KHAI_TRU",
        name_vi="Đảng viên bị khai trừ",
        numerator="members_expelled",
        unit="COUNT",
        group="other",
    )
    # Logins through the doors leave the rows a login library keeps (attempts, logs) and an API token.
    # The failure comes last: a successful login clears the failures before it (AXES_RESET_ON_SUCCESS).
    Client().post(reverse("login"), {"username": root.username, "password": "pw"})
    Client().post(reverse("login"), {"username": root.username, "password": "sai"})
    Client().post(reverse("api-token"), {"username": root.username, "password": "pw"}, content_type="application/json")
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        Token.objects.get_or_create(user=root)
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        seen = {"username": root.username, "ip_address": "127.0.0.1", "user_agent": "", "http_accept": ""}
        for model, extra in ((AccessAttempt, {"failures_since_start": 1}), (AccessFailureLog, {}), (AccessLog, {})):
            if not model.objects.exists():
                model.objects.create(path_info="/dang-nhap/", **seen, **extra)
    if apps.is_installed("knox"):
        from knox.models import AuthToken

        AuthToken.objects.create(user=root)


def _reporting(root, orgs):
    """A reporting unit per committee (and one outside the other province's tree), each with a plan and a review
    holding an attachment: D1's submitted, X1's and Q's drafts, D2's returned."""
    program = Program.objects.get(code=PROGRAM_CODE)
    found = {}
    for key, year in (("D1", RATED_YEAR), ("D2", RATED_YEAR), ("X1", 2025), ("Q", RATED_YEAR)):
        org = orgs[key]
        if key == "Q":
            unit = review_services.reporting_unit_create(
                actor=root,
                program=program,
                code="BC-DD-Q",
                name="Đảng đoàn Hội đồng nhân dân tỉnh Lân Cận",
                kind=ReportingUnitKind.PARTY_DELEGATION,
                parent=org,
                valid_from=date(2020, 1, 1),
            )
        else:
            unit = review_services.reporting_unit_create(
                actor=root,
                program=program,
                code=f"BC-{org.code}",
                name=org.name,
                kind=ReportingUnitKind.COMMITTEE,
                organization=org,
                valid_from=org.valid_from,
            )
        plan = review_services.plan_record(
            actor=root,
            unit=unit,
            number="01-KH",
            issued_on=date(2021, 3, 1),
            title="Kế hoạch thực hiện Chương trình",
            document=SimpleUploadedFile("ke-hoach.pdf", PDF),
        )
        review = review_services.review_start(actor=root, unit=unit, year=year)
        review = review_services.review_update(actor=root, review=review, achievements="Kết quả đạt được")
        attachment = review_services.review_attach(
            actor=root, review=review, upload=SimpleUploadedFile("phu-luc.pdf", PDF)
        )
        if key in ("D1", "D2"):
            review = review_services.review_submit(actor=root, review=review)
        if key == "D2":
            review = review_services.review_return(actor=root, review=review, reason="Bổ sung số liệu")
        found[key] = (unit, plan, review, attachment)
    return found


def _texts(world, keys):
    """What must never appear to an actor outside `keys`: codes and names, member names and numbers."""
    texts = []
    for key in keys:
        texts += [world.orgs[key].code, world.orgs[key].name]
        for member in world.members.get(key, ()):
            texts += [member.full_name, member.record_number, member.card_number]
    return tuple(texts)


def build_world():
    """The whole fixture; `World.actors` lists every demo role plus anonymous, a user with no role and root."""
    root = superuser()
    orgs = _build_orgs(root)
    members = _build_members(root, orgs)
    submissions = _rate_and_submit(root, orgs, members)
    runs = _runs(root, orgs)
    reporting = _reporting(root, orgs)
    users = {
        "board": (RoleKind.BOARD, "P"),
        "steering": (RoleKind.STEERING, "P"),
        "district": (RoleKind.DISTRICT_CADRE, "D1"),
        "grassroots": (RoleKind.GRASSROOTS_CADRE, "G1"),
        "commune": (RoleKind.DISTRICT_CADRE, "X1"),
        "foreign": (RoleKind.DISTRICT_CADRE, "D2"),
    }
    accounts = {}
    for name, (kind, key) in users.items():
        accounts[name] = UserFactory(username=f"access_{name}")
        give_role(accounts[name], orgs[key], kind)
    holders = {}
    for key in GRASSROOTS:
        holder = UserFactory(username=f"access_holder_{key.lower()}")
        holders[key] = (holder, give_role(holder, orgs[key], RoleKind.GRASSROOTS_CADRE))
    # Created last: the admin's walk deletes the newest login, and a login without roles leaves no role dangling.
    accounts["norole"] = UserFactory(username="access_norole")
    _admin_rows(root, orgs)
    jobs = {name: _upload(accounts[name]) for name in ("board", "district", "grassroots", "commune", "foreign")}
    world = World(
        orgs=orgs,
        members=members,
        submissions=submissions,
        runs=runs,
        reporting=reporting,
        jobs=jobs,
        actors=[],
        holders=holders,
    )
    world.consolidated = _consolidated(root, orgs)
    world.actors = _actors(world, accounts, root)
    return world


def _params(world, key, *, run=None, job=None):
    """Path parameter values for objects of TCCSĐ `key` (by the parameter's name in the URL conf)."""
    values = {
        "organization_id": world.orgs[key].pk,
        "member_id": world.members[key][0].pk,
        "year": RATED_YEAR if key in world.submissions else 2025,
        # The first member holds the TCCSĐ's secretary seat and a village head post, the second an open
        # exemption (_build_members).
        "seat_id": world.members[key][0].committee_seats.get().pk,
        "status_period_id": world.members[key][1].status_periods.get().pk,
        "post_id": world.members[key][0].government_posts.get().pk,
        "quarter": 1,
        "code_list": CodeList.ETHNICITY.value,
        "code_id": Code.objects.get(list=CodeList.ETHNICITY, code="01").pk,
    }
    # The member's audit trail: the kind of record names the object_id (both inside or outside the tree).
    values["kind"], values["object_id"] = "dang-vien", values["member_id"]
    values["target_id"] = (
        Target.objects.filter(program__code=PROGRAM_CODE).order_by("pk").values_list("pk", flat=True)[0]
    )
    values["definition_id"] = (
        IndicatorDefinition.objects.filter(kind="TRACKED").order_by("pk").values_list("pk", flat=True)[0]
    )
    if key in world.submissions:
        values["submission_id"] = world.submissions[key].pk
    if REPORTING.get(key) in world.reporting:
        unit, plan, review, attachment = world.reporting[REPORTING[key]]
        values.update(unit_id=unit.pk, plan_id=plan.pk, review_id=review.pk, attachment_id=attachment.pk)
    if key in world.holders:
        holder, role = world.holders[key]
        values["user_id"], values["role_id"] = holder.pk, role.pk
    # The consolidated report of the province the TCCSĐ lies in.
    values["report_id"] = world.consolidated["Q" if key == "QG" else "P"].pk
    if run is not None:
        values["pk"] = values["run_id"] = run.pk
    if job is not None:
        values["job_id"] = job.pk
    return values


def _actors(world, accounts, root):
    everything = [key for key, *_ in ORGANIZATIONS]

    def foreign_of(*roots):
        allowed = set()
        for key in roots:
            allowed |= _subtree(key) | set(_ancestors(key))
        return [key for key in everything if key not in allowed]

    def actor(name, user, own, own_run, foreign, foreign_run, roots):
        return Actor(
            name=name,
            user=user,
            own=_params(world, own, run=world.runs[own_run], job=world.jobs.get(name)) if own else {"year": RATED_YEAR},
            foreign=_params(world, foreign, run=world.runs[foreign_run], job=world.jobs["foreign"]),
            foreign_texts=_texts(world, foreign_of(*roots)),
        )

    return [
        actor("board", accounts["board"], "G1", "D1", "QG", "Q", ["P"]),
        actor("steering", accounts["steering"], "G2", "D2", "QG", "Q", ["P"]),
        actor("district", accounts["district"], "G1", "D1", "G2", "D2", ["D1"]),
        actor("grassroots", accounts["grassroots"], "G1", "G1", "G1B", "D1", ["G1"]),
        actor("commune", accounts["commune"], "G3", "X1", "G1", "D1", ["X1"]),
        actor("norole", accounts["norole"], None, None, "G1", "D1", []),
        actor("anonymous", AnonymousUser(), None, None, "G2", "D2", []),
        Actor(
            name="superuser",
            user=root,
            own=_params(world, "QG", run=world.runs["Q"], job=world.jobs["foreign"]),
            foreign={},
            foreign_texts=(),
        ),
    ]
