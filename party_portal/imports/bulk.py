"""Helpers for kinds that write in bulk: batches, and the audit rows of rows written with bulk_create."""

from itertools import islice

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from party_portal.doors import current_door

# Rows per bulk_create round trip and per lookup query. 2,000 members with their event, stint, theory level and
# audit rows take about 0.6 s on PostgreSQL; SQLite caps a statement at 999 variables, Django splits further.
WRITE_BATCH = 2000
LOOKUP_BATCH = 900 if connection.vendor == "sqlite" else 10000


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
