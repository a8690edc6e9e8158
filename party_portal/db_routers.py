"""Read-only traffic on a PostgreSQL streaming replica, when DATABASE_REPLICA_URL names one (docs/decisions.md,
"Issue 13 — read-only traffic on a streaming replica").

Reads go to the replica only inside `replica_reads()`: opened by `ReplicaReadsMiddleware` around the GET, HEAD
and OPTIONS requests of the dashboards, the reports and the API, and by the report jobs around their
computation. Everything else — every write, every read outside those blocks, the reads of a transaction on the
primary, the logins, sessions, tokens, lockout and audit trail — stays on the primary, so a stale replica can
only show a page a moment old, never refuse a login or lose a write.
"""

import contextvars
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# Paths whose GET, HEAD and OPTIONS requests read from the replica: the dashboards, the reports, the API.
READ_ONLY_PREFIXES = ("/bang-dieu-khien/", "/bao-cao/", "/api/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Set on the response to any other method: the browser reads from the primary until it expires, so whoever
# just wrote sees their write (REPLICA_PIN_SECONDS, longer than the replica's usual lag).
PIN_COOKIE = "pp_primary"
# Who may log in, with which session or token, and the audit trail are read where they are written.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "contenttypes", "admin", "axes", "knox", "users"})
# How often a job waiting for the replica to catch up asks again.
CATCH_UP_POLL_SECONDS = 0.05


class _Reads:
    """The state of one replica block: the models written inside it, read from the primary from then on."""

    def __init__(self):
        self.written = set()


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("replica_reads", default=None)


def replica_configured():
    return REPLICA in settings.DATABASES


def replica_active():
    """Whether reads of this context may go to the replica."""
    return _reads.get() is not None


@contextmanager
def replica_reads(*, caught_up=False):
    """Send the reads of the block to the replica. `caught_up=True` (the jobs) first waits, up to
    REPLICA_CATCH_UP_SECONDS, until the replica has replayed everything the primary had committed, so the job
    reads at least what it would read on the primary; a replica that does not catch up, or cannot be reached,
    leaves the block on the primary."""
    ready = replica_configured() and (_caught_up() if caught_up else _reachable())
    token = _reads.set(_Reads()) if ready else None
    try:
        yield
    finally:
        if token is not None:
            _reads.reset(token)


def _reachable():
    try:
        connections[REPLICA].ensure_connection()
    except OperationalError:
        logger.warning("The replica cannot be reached: reading from the primary")
        return False
    return True


def _caught_up():
    """Wait until the replica has replayed the primary's current WAL position; False after the time limit.

    The insert position, not the write position (pg_current_wal_lsn): with synchronous_commit off a commit
    returns before its record is written out, and a replica could pass the write position without the commit."""
    if connections[REPLICA].vendor != "postgresql":
        return True
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + settings.REPLICA_CATCH_UP_SECONDS
        with connections[REPLICA].cursor() as cursor:
            while True:
                # A server not in recovery is a primary itself (a test database mirrored as the replica).
                cursor.execute("SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return True
                if time.monotonic() >= deadline:
                    logger.warning("The replica has not replayed %s in time: reading from the primary", target)
                    return False
                time.sleep(CATCH_UP_POLL_SECONDS)
    except OperationalError:
        logger.warning("The replica cannot be reached: reading from the primary")
        return False


class ReplicaRouter:
    """Reads of a replica block to the replica; everything else, and every write and migration, to the primary."""

    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if reads is None or model._meta.label in reads.written or _primary_only(model):
            return DEFAULT_DB_ALIAS
        # The primary's own transaction: the replica cannot see what it has not committed.
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        reads = _reads.get()
        if reads is not None:
            reads.written.add(model._meta.label)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may point at one read from the other.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _primary_only(model):
    # django-simple-history's historical models (the audit trail) carry the model they record.
    return model._meta.app_label in PRIMARY_ONLY_APPS or hasattr(model, "instance_type")


class ReplicaReadsMiddleware:
    """The dashboards', reports' and API's GET, HEAD and OPTIONS read from the replica unless the browser holds the
    pin cookie; any other method sets that cookie for REPLICA_PIN_SECONDS (read your own writes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
        if PIN_COOKIE in request.COOKIES or not request.path.startswith(READ_ONLY_PREFIXES):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)
