"""Copies of the generated demo province inside PostgreSQL: the `national` and `xlarge` demo sizes.

Python generates one province of 165k members in minutes; thirty-three more that way would take hours. PostgreSQL
copies the province's rows with one INSERT … SELECT per table and copy instead: every id shifted by the copy's
offset (the primary key and every foreign key into a copied table), the materialized paths rewritten id by id, and
the values that must stay unique (organization codes, record, card and citizen-id numbers) made the copy's own.

Which tables are copied is read from the models' _meta: every concrete model of the portal's apps is either copied,
shared by the copies (code lists, rating years, the program), or left to the first province (logins, roles,
reviews, reports, audit history, the snapshots the loader recomputes). A model in none of these lists, a foreign
key the copier cannot rewrite, or a unique constraint a copy would break stops the copy before it writes a row.
"""

from dataclasses import dataclass
from itertools import product
from string import ascii_uppercase

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from members.demo.names import PLACE_FIRST, PLACE_SECOND
from members.demo.naming import PROVINCE_NAME
from party_portal.text import fold

APPS = ("organizations", "members", "evaluations", "indicators", "reviews", "reports", "users", "notifications")

# The province's own rows, copied with their ids shifted.
COPIED = {
    "organizations.Organization",
    "organizations.Placement",
    "members.Member",
    "members.MovementEvent",
    "members.Membership",
    "members.StatusPeriod",
    "members.TheoryQualification",
    "members.Discipline",
    "members.CommitteeSeat",
    "members.GovernmentPost",
    "members.MeetingAttendance",
    "evaluations.Submission",
    "evaluations.OrganizationRating",
    "evaluations.MemberRating",
}
# Rows every province refers to, kept once: a copied foreign key to them keeps its value.
SHARED = {
    "members.Code",
    "evaluations.RatingYear",
    "indicators.Program",
    "indicators.Target",
    "indicators.IndicatorDefinition",
}
# Rows of the first province only: logins and their roles, the reporting cycle, stored reports and jobs, the
# snapshots and the fan-out's runs (recomputed for every province after the copy), and the reorganizations (the demo
# records none: its 2025 reform is written as dated placements).
FIRST_ONLY = {
    "organizations.Role",
    "organizations.Reorganization",
    "organizations.SuccessorLink",
    "evaluations.Reopening",
    "evaluations.YearReopening",
    "evaluations.ImportJob",
    "indicators.TargetOverride",
    "indicators.IndicatorSnapshot",
    "indicators.SnapshotRun",
    "indicators.StagedSnapshot",
    "reviews.ReportingUnit",
    "reviews.DueDate",
    "reviews.ImplementationPlan",
    "reviews.YearlyReview",
    "reviews.ReviewAttachment",
    "reports.ReportRun",
    "reports.RegisterJob",
    "reports.ConsolidatedReport",
    "reports.ComparableReview",
    "users.Account",
    "notifications.Notification",
    "notifications.OptOut",
}
# Columns other than keys that a copy rewrites, each by a function of this module (see _rewrites).
REWRITTEN = {
    "organizations.Organization": {"code", "name", "name_folded"},
    "organizations.Placement": {"path"},
    "members.Member": {"record_number", "card_number", "citizen_id"},
}
CARD_LIMIT = 99_999_999  # party card numbers have 8 digits


class ReplicationError(Exception):
    """The models hold something the copier does not know how to copy: nothing was written."""


@dataclass(frozen=True)
class Table:
    model: type
    label: str
    # (column, copied table label or None for a shared one, or "user" for a login)
    keys: tuple

    @property
    def name(self):
        return self.model._meta.db_table

    @property
    def pk(self):
        return self.model._meta.pk.column


def _label(model):
    return f"{model._meta.app_label}.{model.__name__}"


def _is_history(model):
    """simple_history's audit tables: the copies start with no audit trail, as the generated province does."""
    return hasattr(model, "instance_type")


def plan():
    """The copied tables in an order that inserts a row's targets first, checked against the models."""
    unknown = [
        _label(model)
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not _is_history(model) and _label(model) not in COPIED | SHARED | FIRST_ONLY
    ]
    if unknown:
        raise ReplicationError(f"No copy rule for {', '.join(sorted(unknown))}: add it to party_portal/replicate.py.")
    tables = [_table(apps.get_model(label)) for label in COPIED]
    return _in_dependency_order(tables)


def _table(model):
    label = _label(model)
    if model._meta.many_to_many:
        raise ReplicationError(f"{label} has a many-to-many field: the copier does not copy those.")
    keys = []
    for field in model._meta.concrete_fields:
        if not field.is_relation:
            continue
        target = _label(field.related_model)
        if target in COPIED:
            keys.append((field.column, target))
        elif target in SHARED:
            keys.append((field.column, None))
        elif target == settings.AUTH_USER_MODEL and field.null:
            keys.append((field.column, "user"))
        else:
            raise ReplicationError(f"{label}.{field.name} points to {target}, which the copies do not have.")
    table = Table(model, label, tuple(keys))
    _check_unique(table)
    return table


def _check_unique(table):
    """Every unique set of columns must hold a shifted key or a rewritten column, or the copy would collide."""
    meta = table.model._meta
    changed = {column for column, target in table.keys if target not in (None, "user")}
    changed |= {meta.get_field(name).column for name in REWRITTEN.get(table.label, ())}
    sets = [[field.column] for field in meta.concrete_fields if field.unique and not field.primary_key]
    sets += [[meta.get_field(name).column for name in names] for names in meta.unique_together]
    sets += [
        [meta.get_field(name).column for name in constraint.fields]
        for constraint in meta.constraints
        if getattr(constraint, "fields", None) and constraint.__class__.__name__ == "UniqueConstraint"
    ]
    for columns in sets:
        if not changed.intersection(columns):
            raise ReplicationError(f"{table.label}: the copies would repeat the unique {', '.join(columns)}.")


def _in_dependency_order(tables):
    ordered, placed = [], set()
    while len(ordered) < len(tables):
        ready = [
            t
            for t in sorted(tables, key=lambda t: t.label)
            if t.label not in placed
            and all(target in placed or target in (None, "user", t.label) for _, target in t.keys)
        ]
        if not ready:
            raise ReplicationError("The copied tables refer to each other in a cycle.")
        ordered += ready
        placed |= {t.label for t in ready}
    return ordered


@dataclass(frozen=True)
class Copy:
    """The k-th copy (1-based; the generated province is copy 0) and what makes its values its own."""

    number: int
    place: str
    record_suffixes: list
    citizen_prefixes: list
    card_shift: int


class Replicator:
    """Copies the province now in the database `copies` times; with `graft`, the copies' units go under the
    first province's root instead of roots of their own (a merged province)."""

    def __init__(self, *, copies, graft=False):
        if connection.vendor != "postgresql":
            raise ReplicationError("The national and merged-province demos are built inside PostgreSQL only.")
        self.copies = copies
        self.graft = graft
        self.tables = plan()
        self.spans = {t.label: self._scalar(f'SELECT coalesce(max("{t.pk}"), 0) FROM "{t.name}"') for t in self.tables}
        roots = self._column(
            "SELECT o.id FROM organizations_organization o JOIN organizations_placement p ON p.organization_id = o.id "
            "WHERE p.parent_id IS NULL GROUP BY o.id"
        )
        if len(roots) != 1:
            raise ReplicationError(f"The copier copies a single province; the database holds {len(roots)} roots.")
        self.root = roots[0]
        self.suffixes = self._column("SELECT DISTINCT substr(record_number, 7) FROM members_member ORDER BY 1")
        self.prefixes = self._column(
            "SELECT DISTINCT left(citizen_id, 3) FROM members_member WHERE citizen_id IS NOT NULL ORDER BY 1"
        )
        low = self._scalar("SELECT min(card_number::int) FROM members_member")
        high = self._scalar("SELECT max(card_number::int) FROM members_member")
        self.card_range = (low or 0, high or 0)

    def run(self, progress=lambda copy: None):
        """Write every copy in one transaction: all of them or, on any error, none (and the indexes as they were).

        Row-by-row upkeep was the cost (measured on the national demo: 2 minutes a copy, a third of it the
        foreign-key checks at commit), so the copied tables' plain indexes are dropped for the copy and built
        again at the end, and, where the database role may (a superuser), the foreign-key triggers are off while
        the rows go in and every key is checked afterwards with one anti-join per column. Primary keys, unique
        constraints and exclusion constraints stay on, checked row by row.
        """
        with transaction.atomic(), connection.cursor() as cursor:
            # Checks still pending from the caller's transaction run now: an index cannot be rebuilt over them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            checked_later = self._scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if checked_later:
                cursor.execute("SET LOCAL session_replication_role = replica")
            indexes = self._drop_indexes(cursor)
            for copy in self.copy_plan():
                for table in self.tables:
                    self._insert(table, copy)
                progress(copy)
            if checked_later:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
                self._check_keys(cursor)
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in indexes:
                cursor.execute(definition)
            for table in self.tables:
                cursor.execute(
                    f'SELECT setval(pg_get_serial_sequence(%s, %s), (SELECT max("{table.pk}") FROM "{table.name}"))',
                    [table.name, table.pk],
                )

    def _drop_indexes(self, cursor):
        """Drop the copied tables' indexes that back no constraint; return the statements that rebuild them."""
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [[t.name for t in self.tables]],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        return [definition for _, definition in indexes]

    def _check_keys(self, cursor):
        """Every foreign key of the copied rows names an existing row (the checks the triggers would have made)."""
        for table in self.tables:
            users = {column for column, target in table.keys if target == "user"}  # written NULL
            for field in table.model._meta.concrete_fields:
                if not field.is_relation or field.column in users:
                    continue
                target, key = field.related_model._meta, f'c."{field.column}"'
                cursor.execute(
                    f'SELECT count(*) FROM "{table.name}" c WHERE c."{table.pk}" > %s AND {key} IS NOT NULL AND NOT '
                    f'EXISTS (SELECT 1 FROM "{target.db_table}" p WHERE p."{target.pk.column}" = {key})',
                    [self.spans[table.label]],
                )
                missing = cursor.fetchone()[0]
                if missing:
                    raise ReplicationError(
                        f"{missing} copied rows of {table.label} name no existing row in {field.name}."
                    )

    def copy_plan(self):
        """The copies' names and numbers, all checked before the first row is written."""
        places = _places(self.copies)
        suffixes = _fresh(_letters(), set(self.suffixes), len(self.suffixes) * self.copies)
        prefixes = _fresh((f"{n:03d}" for n in range(1000)), set(self.prefixes), len(self.prefixes) * self.copies)
        low, high = self.card_range
        width = high - low + 1
        if high + self.copies * width > CARD_LIMIT:
            raise ReplicationError(f"{self.copies} copies of cards {low}–{high} do not fit in 8 digits.")
        n, m = len(self.suffixes), len(self.prefixes)
        return [
            Copy(k, places[k - 1], suffixes[(k - 1) * n : k * n], prefixes[(k - 1) * m : k * m], k * width)
            for k in range(1, self.copies + 1)
        ]

    def _insert(self, table, copy):
        columns, values, params = [], [], []
        rewrites = self._rewrites(table, copy)
        keys = dict(table.keys)
        for field in table.model._meta.concrete_fields:
            column = field.column
            columns.append(f'"{column}"')
            if field.primary_key:
                expression, args = f'"{column}" + %s', [self._offset(table.label, copy)]
            elif column in keys:
                expression, args = self._key(column, keys[column], copy)
            else:
                expression, args = rewrites.get(column, (f'"{column}"', []))
            values.append(expression)
            params += args
        where, where_args = f'"{table.pk}" <= %s', [self.spans[table.label]]
        if self.graft and table.label == "organizations.Organization":
            where, where_args = where + " AND id <> %s", [*where_args, self.root]
        if self.graft and table.label == "organizations.Placement":
            where, where_args = where + " AND organization_id <> %s", [*where_args, self.root]
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table.name}" ({", ".join(columns)}) '
                f'SELECT {", ".join(values)} FROM "{table.name}" WHERE {where}',
                params + where_args,
            )

    def _offset(self, label, copy):
        return copy.number * self.spans[label]

    def _key(self, column, target, copy):
        if target is None:
            return f'"{column}"', []
        if target == "user":
            return "NULL", []  # the copies have no logins: who submitted stays unknown
        offset = self._offset(target, copy)
        if self.graft and target == "organizations.Organization":
            return f'CASE WHEN "{column}" = %s THEN "{column}" ELSE "{column}" + %s END', [self.root, offset]
        return f'"{column}" + %s', [offset]

    def _rewrites(self, table, copy):
        """{column: (SQL expression, parameters)} for the columns of REWRITTEN."""
        if table.label == "organizations.Organization":
            return {
                "code": ("code || %s", [f"-{copy.number + 1:02d}"]),
                "name": ("replace(name, %s, %s)", [PROVINCE_NAME, copy.place]),
                "name_folded": ("replace(name_folded, %s, %s)", [fold(PROVINCE_NAME), fold(copy.place)]),
            }
        if table.label == "organizations.Placement":
            return {"path": self._path(copy)}
        if table.label == "members.Member":
            return {
                "record_number": (
                    "left(record_number, 6) || (%s::text[])[array_position(%s::text[], substr(record_number, 7))]",
                    [copy.record_suffixes, self.suffixes],
                ),
                "card_number": ("lpad((card_number::int + %s)::text, 8, '0')", [copy.card_shift]),
                "citizen_id": (
                    "(%s::text[])[array_position(%s::text[], left(citizen_id, 3))] || substr(citizen_id, 4)",
                    [copy.citizen_prefixes, self.prefixes],
                ),
            }
        return {}

    def _path(self, copy):
        """'/1/2/3/' of the copy: each id shifted, the root kept when the copies are grafted under it."""
        offset = self._offset("organizations.Organization", copy)
        kept = self.root if self.graft else 0
        return (
            "'/' || (SELECT string_agg((CASE WHEN part::bigint = %s THEN part::bigint ELSE part::bigint + %s END)"
            "::text, '/' ORDER BY n) FROM unnest(string_to_array(trim(both '/' from path), '/'))"
            " WITH ORDINALITY AS t(part, n)) || '/'",
            [kept, offset],
        )

    def _scalar(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def _column(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [row[0] for row in cursor.fetchall()]


def _places(count):
    """Invented province names for the copies, in a fixed order, none the generated province's."""
    places = [f"{a} {b}" for a in PLACE_FIRST for b in PLACE_SECOND if a != b and f"{a} {b}" != PROVINCE_NAME]
    return places[:: max(1, len(places) // max(count, 1))][:count]


def _letters():
    """Three-letter record suffixes: never one of the generated province's (which have one to three letters)."""
    return ("".join(letters) for letters in product(ascii_uppercase, repeat=3))


def _fresh(candidates, taken, count):
    fresh = []
    for candidate in candidates:
        if len(fresh) == count:
            break
        if candidate not in taken:
            fresh.append(candidate)
    if len(fresh) < count:
        raise ReplicationError(f"Not enough unused values for {count} copies' record and citizen-id numbers.")
    return fresh


@dataclass(frozen=True)
class CopiedSize:
    template: str  # a size of members.demo.SIZES, generated in Python
    copies: int
    graft: bool


# The country: 34 provinces of ≈ 165k members. A merged province (the 2025 mergers joined two to four): four
# provinces of ≈ 150k members under one root.
COPIED_SIZES = {
    "national": CopiedSize("national_province", 33, graft=False),
    "xlarge": CopiedSize("merged_part", 3, graft=True),
}
