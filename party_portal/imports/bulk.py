"""Helpers for kinds that write in bulk: batches, the audit rows of rows written with bulk_create, and COPY from
plain tuples on PostgreSQL."""

import csv
import gc
from contextlib import contextmanager
from io import StringIO
from itertools import islice

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Lookup, Max
from django.utils import timezone

from party_portal.doors import current_door

# Rows per bulk_create round trip and per lookup query. 2,000 members with their event, stint, theory level and
# audit rows take about 0.6 s on PostgreSQL; SQLite caps a statement at 999 variables, Django splits further.
WRITE_BATCH = 2000
LOOKUP_BATCH = 900 if connection.vendor == "sqlite" else 10000
# Rows per COPY: one statement per table and batch. The lines go to the database in chunks of COPY_CHUNK bytes.
COPY_BATCH = 10000
COPY_CHUNK = 1 << 18


@contextmanager
def collection_paused():
    """Python's cycle collector paused while a file's rows are built. It runs every 700 new container objects and
    walks again the ones that survived; 100,000 rows that all survive made it do so over and over: 0.9 of the
    1.4 s spent reading a kept members plan back, 0.3 of the 0.6 s spent taking a sheet's rows from calamine. The
    rows hold no reference cycles; the collector is back on leaving."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def batches(items, size):
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


class AuditCopy:
    """The audit rows of rows written in bulk, copied by the database (INSERT … SELECT from the rows just written).

    bulk_create sends no signal, so simple-history writes nothing by itself; its bulk_history_create builds one
    more Python object per row, which cost about a third of the write time of a 30,000-row file here.
    """

    def __init__(self, actor):
        self.actor = actor
        self.when = connection.ops.adapt_datetimefield_value(timezone.now())
        self.door = current_door()

    def copy(self, model, ids, history_type):
        if not ids:
            return
        quote = connection.ops.quote_name
        history = model.history.model
        columns = ", ".join(quote(field.column) for field in history.tracked_fields)
        extra = ", ".join(
            quote(name)
            for name in ("history_date", "history_change_reason", "history_type", "history_user_id", "history_door")
        )
        with connection.cursor() as cursor:
            for batch in batches(ids, LOOKUP_BATCH):
                cursor.execute(
                    f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {extra}) "
                    f"SELECT {columns}, %s, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                    f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(batch))})",
                    [self.when, "", history_type, self.actor.pk, self.door, *batch],
                )


def data_version(audited, unaudited=()):
    """Numbers that move whenever the data of these models changes: the latest audit row of each audited model
    (audit rows are only ever added), the latest row of each model written without one, and the day. A kind that
    keeps its check's plan until the import (dump_plan) compares them to know whether the plan still holds."""
    version = [model.history.aggregate(v=Max("history_id"))["v"] for model in audited]
    version += [model.objects.aggregate(v=Max("pk"))["v"] for model in unaudited]
    return [*version, timezone.localdate().isoformat()]


def copy_supported():
    """Whether rows can be written with COPY (PostgreSQL); elsewhere (SQLite under `make run`) bulk_create writes."""
    return connection.vendor == "postgresql"


def reserve_ids(model, count):
    """`count` new primary keys of the model's table, taken from its sequence in one query, so that rows written
    with COPY can point at each other (an event at its member) without reading their ids back."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


class CopyWriter:
    """Rows given as plain tuples written with COPY into a model's table and, for an audited model, the same tuples
    with who, when, how and through which door into its audit table.

    The fields named must be every column of an audited table, its primary key taken from reserve_ids (an audit
    table has no database defaults); a table without one may leave its key to its sequence. No model instance is
    built: at 100,000 rows, instances and bulk_create's field preparation cost more than the database's own work
    (docs/decisions.md, issue 13). The lines are CSV written by the csv module (in C): text is quoted, numbers are
    not, and a None, written as a quoted empty text, is read back as NULL in the nullable columns (FORCE_NULL),
    where an empty text is never stored.
    """

    def __init__(self, actor):
        self.when = connection.ops.adapt_datetimefield_value(timezone.now())
        self.actor_id = actor.pk
        self.door = current_door()

    def write(self, model, fields, rows, history_type="+"):
        """Write `rows` (tuples in the order of `fields`, model field names) into the model's table and into its
        audit table when it has one."""
        if not rows:
            return
        fields = [model._meta.get_field(name) for name in fields]
        columns = [field.column for field in fields]
        nullable = [field.column for field in fields if field.null]
        _copy(model._meta.db_table, columns, nullable, rows)
        history = getattr(model, "history", None)
        if history is not None:
            audit = (self.when, "", history_type, self.actor_id, self.door)
            _copy(history.model._meta.db_table, [*columns, *AUDIT_COLUMNS], nullable, (row + audit for row in rows))


def _copy(table, columns, nullable, rows):
    quote = connection.ops.quote_name
    force_null = f", FORCE_NULL ({', '.join(map(quote, nullable))})" if nullable else ""
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN WITH (FORMAT csv{force_null})",
            CsvStream(rows),
            size=COPY_CHUNK,
        )


class CsvStream:
    """Rows read as CSV by COPY, encoded as it asks for them: the database stores one chunk while Python encodes
    the next, and no batch is held twice in memory."""

    def __init__(self, rows):
        self.rows = iter(rows)
        self.buffer = StringIO()
        self.writer = csv.writer(self.buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")

    def read(self, size=-1):
        while size < 0 or self.buffer.tell() < size:
            lines = list(islice(self.rows, 1000))
            if not lines:
                break
            self.writer.writerows(lines)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


AUDIT_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id", "history_door")


class AnyOf(Lookup):
    """`field` among `values`, used as filter(AnyOf(F("member_id"), batch)): on PostgreSQL one array parameter
    (`= ANY(%s)`), elsewhere IN. Django's `__in` prepares and renders each of 10,000 values one by one, which cost
    more than the query itself in the members check."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, self.rhs]
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]
