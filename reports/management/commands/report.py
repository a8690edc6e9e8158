import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import policy
from organizations.models import Organization
from reports.models import RunStatus
from reports.selectors import report_run_get
from reports.services import report_run_execute, report_run_start

POLL_SECONDS = 1


class Command(BaseCommand):
    help = (
        "Make a new version of the compliance report of a year and a scope (default: the top of the user's scope) "
        "through the Celery job, wait for it and write its workbook. With --now the job runs in this process "
        "instead. Earlier versions, issued ones above all, stay as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--scope", help="organization code (default: the top of the user's scope)")
        parser.add_argument("--out", required=True, help="where to write the workbook (.xlsx)")
        parser.add_argument("--user", help="request as this user (scoping applies); default: a superuser")
        parser.add_argument("--now", action="store_true", help="compute in this process, without a worker")
        parser.add_argument(
            "--pickup-timeout",
            type=float,
            default=30,
            help="seconds to wait for a worker to start the job before computing in this process (default 30)",
        )
        parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the job to end")

    def handle(self, *args, year, out, scope=None, user=None, now=False, pickup_timeout=30, timeout=1800, **options):
        actor = self._actor(user)
        scope_id = None
        if scope:
            org = Organization.objects.filter(code=scope).order_by("-valid_from").first()
            if org is None:
                raise CommandError(_("There is no organization with code %(code)s.") % {"code": scope})
            scope_id = org.pk
        try:
            run = report_run_start(actor=actor, year=year, scope_id=scope_id, enqueue=not now)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        params = {"id": run.pk, "version": run.version, "scope": run.scope.name, "year": year}
        self.stderr.write(_("Report #%(id)s (version %(version)s): %(scope)s, %(year)s.") % params)
        if now:
            self._execute(run.pk)
        else:
            self._wait(run.pk, actor, pickup_timeout, timeout)
        run = report_run_get(actor=actor, pk=run.pk)
        if run.status != RunStatus.DONE:
            raise CommandError(
                _("Report #%(id)s did not finish (%(status)s): %(error)s")
                % {"id": run.pk, "status": run.get_status_display(), "error": run.error}
            )
        with run.workbook.open("rb") as source:
            Path(out).write_bytes(source.read())
        finished = timezone.localtime(run.finished_at).strftime("%d/%m/%Y %H:%M")
        params = {"out": out, "id": run.pk, "at": finished}
        self.stdout.write(_("Wrote %(out)s (report #%(id)s, finished %(at)s).") % params)

    def _wait(self, run_id, actor, pickup_timeout, timeout):
        started = time.monotonic()
        last = None
        while True:
            run = report_run_get(actor=actor, pk=run_id)
            if run.status in (RunStatus.DONE, RunStatus.FAILED):
                return
            elapsed = time.monotonic() - started
            if run.status == RunStatus.QUEUED and run.attempts == 0 and elapsed > pickup_timeout:
                # No worker answered: compute here. The queued message stays; when a worker takes it later
                # it finds the run done and does nothing.
                self.stderr.write(
                    _("No Celery worker took the job within %(seconds)s s: computing it in this process.")
                    % {"seconds": f"{pickup_timeout:.0f}"}
                )
                self._execute(run_id)
                return
            if elapsed > timeout:
                raise CommandError(
                    _("Report #%(id)s has not finished after %(seconds)s s (%(status)s).")
                    % {"id": run_id, "seconds": f"{timeout:.0f}", "status": run.get_status_display()}
                )
            if (run.status, run.progress) != last:
                self.stderr.write(f"  {run.progress:3d} % {run.get_status_display()} {run.step}")
                last = (run.status, run.progress)
            time.sleep(POLL_SECONDS)

    def _execute(self, run_id):
        try:
            report_run_execute(run_id)
        except Exception:  # the run records the error; handle() reports it
            return

    def _actor(self, username):
        users = get_user_model().objects
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(_("There is no user %(name)s.") % {"name": username})
            return actor
        actor = policy.system_actor()
        if actor is None:
            raise CommandError(_("Create an administrator account (createsuperuser) or give --user."))
        return actor
