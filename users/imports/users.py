"""The users and roles file (nguoi-dung): one row per role, the login created by its first row. Every row goes
through users.services (user_create, role_grant, role_update), so the grant rules of organizations.policy apply
exactly as on the user pages; the check is the same run, rolled back.

A login created from a file gets a random password that nobody is shown: a file is no place for passwords, and
neither is a download kept after the import. Its administrator gives it an initial password with "Reset the
password" on its page (shown once), or its owner sets one through "Forgot password" when the row has an e-mail.
Either way the password must be changed at the first login (docs/decisions.md).
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from import_export import resources

from organizations import policy
from organizations.models import Organization, Role, RoleKind
from organizations.resources import ChoiceWidget, Column, DayWidget, field_length, serial_column
from party_portal.imports import Kind, register
from party_portal.imports.reading import clean_row, column_named
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, ImportAborted, Report, change_text
from users import selectors, services

NO_SUCH_ORGANIZATION = _("No organization with the code %(code)s is in the part of the tree you administer.")
LOGIN_TAKEN = _("The login name %(username)s is taken by a login you do not administer.")
NAME_DIFFERS = _("The portal records this login as “%(value)s”; the name is not changed by import.")
EMAIL_DIFFERS = _("The portal records the e-mail “%(value)s”; the e-mail is not changed by import.")
ROW_TWICE = _("The same role of the same login is already on row %(row)s of this file.")
NEEDS_PASSWORD = _("new login: give it a password on its page")

# Service errors name the services' arguments; the file names columns.
FIELD_COLUMNS = {
    "user": "username",
    "organization": "organization_code",
    "password": "username",
    NON_FIELD_ERRORS: "username",
}


class UserRoleResource(resources.ModelResource):
    """The users and roles file: a login and one of its roles per row."""

    serial = serial_column()
    username = Column("username", _("Login name"), required=True, example="cb_phuongbacson", width=20, max_length=150)
    full_name = Column("full_name", _("Full name"), required=True, example="Nguyễn Thị Lan", width=28, max_length=150)
    email = Column("email", _("E-mail"), example="lan.nt@example.vn", width=26, max_length=254)
    kind = Column(
        "kind",
        _("Portal role"),
        ChoiceWidget(RoleKind),
        required=True,
        example=RoleKind.GRASSROOTS_CADRE.label,
        width=28,
    )
    organization_code = Column(
        "organization_code",
        _("Organization code"),
        required=True,
        example="DB0101",
        width=16,
        max_length=field_length(Organization, "code"),
    )
    valid_from = Column("valid_from", _("From"), DayWidget(), required=True, example=date(2026, 1, 1), width=14)
    valid_to = Column(
        "valid_to", _("Until"), DayWidget(), example="", width=14, help_text=_("Empty: until further notice.")
    )

    class Meta:
        model = Role
        fields = ("serial", "username", "full_name", "email", "kind", "organization_code", "valid_from", "valid_to")
        import_id_fields = ("username",)


class UserRoleImporter:
    resource = UserRoleResource
    # Rows checked inside the upload request; larger files go to a Celery job (about 20 queries a row).
    inline_rows = 100

    def __init__(self, *, actor, **_scope):
        self.actor = actor

    def check(self, sheet, progress):
        report = Report(plan=sheet)
        with transaction.atomic():
            self._run(sheet, report, progress)
            transaction.set_rollback(True)
        return report

    def write(self, checked, progress):
        """Run the services again, for real; anything refused now (roles changed since the check) aborts."""
        report = Report()
        with transaction.atomic():
            self._run(checked.plan, report, progress)
            if not report.ok:
                transaction.set_rollback(True)
        if not report.ok:
            raise ImportAborted(report)
        report.written = {"roles": report.counts[NEW], "changed": report.counts[UPDATED]}
        return report

    def _run(self, sheet, report, progress):
        rows = [clean_row(sheet, number, cells) for number, cells in sheet.rows]
        first_row = {}
        for done, row in enumerate(rows, start=1):
            values, errors = row.values, list(row.errors)
            key = ((values["username"] or "").lower(), values["organization_code"], values["kind"])
            if not errors and key in first_row:
                errors.append((column_named(sheet, "username"), ROW_TWICE % {"row": first_row[key]}))
            first_row.setdefault(key, row.number)
            outcome, changes = NEW, ""
            if not errors:
                try:
                    with transaction.atomic():
                        outcome, changes = self._apply(sheet, values)
                except ValidationError as error:
                    errors = _errors_by_column(sheet, error)
                except PermissionDenied as error:
                    errors = [(column_named(sheet, "organization_code"), str(error))]
            label = f"{values['full_name'] or ''} · {values['organization_code'] or ''}"
            report.add(row.number, outcome, values["username"] or "", label, changes, errors)
            progress(done, len(rows))

    def _organization(self, code):
        organization = Organization.objects.filter(code=code).order_by("-valid_from").first()
        reached = organization is not None and (
            self.actor.is_superuser or policy.administering_roles(self.actor, organization.pk)
        )
        if not reached:
            raise ValidationError({"organization": ValidationError(NO_SUCH_ORGANIZATION, params={"code": code})})
        return organization

    def _apply(self, sheet, values):
        organization = self._organization(values["organization_code"])
        dates = {"valid_from": values["valid_from"], "valid_to": values["valid_to"]}
        user = get_user_model().objects.filter(username__iexact=values["username"]).first()
        if user is None:
            services.user_create(
                actor=self.actor,
                username=values["username"],
                full_name=values["full_name"],
                email=values["email"],
                kind=values["kind"],
                organization=organization,
                **dates,
            )
            return NEW, " · ".join([str(RoleKind(values["kind"]).label), _days(dates), str(NEEDS_PASSWORD)])
        self._compare(user, values)
        role = Role.objects.filter(user=user, organization=organization, kind=values["kind"]).first()
        if role is None:
            services.role_grant(actor=self.actor, user=user, organization=organization, kind=values["kind"], **dates)
            return NEW, " · ".join([str(RoleKind(values["kind"]).label), _days(dates)])
        before = {"valid_from": role.valid_from, "valid_to": role.valid_to}
        if before == dates:
            # Unchanged rows are still checked against the grant rules: a file cannot vouch for another's roles.
            refused = policy.grant_refusal(
                self.actor, user=user, organization_id=organization.pk, kind=role.kind, valid_to=role.valid_to
            )
            if refused is not None:
                raise PermissionDenied(refused[1] % refused[2] if refused[2] else refused[1])
            return UNCHANGED, ""
        services.role_update(actor=self.actor, role=role, **dates)
        return UPDATED, "; ".join(
            change_text(column_named(sheet, name), _day(before[name]), _day(dates[name]))
            for name in ("valid_from", "valid_to")
            if before[name] != dates[name]
        )

    def _compare(self, user, values):
        try:
            selectors.user_get(actor=self.actor, user_id=user.pk)
        except Http404:
            raise ValidationError(
                {"username": ValidationError(LOGIN_TAKEN, params={"username": values["username"]})}
            ) from None
        problems = {}
        if user.get_full_name() != values["full_name"]:
            problems["full_name"] = NAME_DIFFERS % {"value": user.get_full_name()}
        if values["email"] and user.email != values["email"]:
            problems["email"] = EMAIL_DIFFERS % {"value": user.email or "—"}
        if problems:
            raise ValidationError(problems)


def _day(value):
    return f"{value:%d/%m/%Y}" if value else ""


def _days(dates):
    return f"{_day(dates['valid_from'])} – {_day(dates['valid_to']) or '…'}"


def _errors_by_column(sheet, error):
    if not hasattr(error, "error_dict"):
        return [(column_named(sheet, "username"), message) for message in error.messages]
    errors = []
    for name, messages in error.message_dict.items():
        header = column_named(sheet, FIELD_COLUMNS.get(name, name))
        errors.extend((header, message) for message in messages)
    return errors


@register
class UserRoleKind(Kind):
    slug = "nguoi-dung"
    label = _("Users and roles")
    help_text = _(
        "Logins and their roles in the part of the tree you administer, one role per row under the same rules as "
        "the user pages. A login is matched on its login name and created by its first row; a role already held "
        "gets the dates of the file. New logins get no password from the file: give each one on its page."
    )
    importer = UserRoleImporter
    action = policy.MANAGE_USERS
    template_title = _("Template: users and roles")
    template_notes = (
        _("A row gives one role: repeat the login name on several rows for a login with several roles."),
        _("No password goes in the file: after the import, reset each new login's password on its page."),
    )
    written_labels = {"roles": _("Roles granted"), "changed": _("Roles whose dates changed")}
    order = 90
