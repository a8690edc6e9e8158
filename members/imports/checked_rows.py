"""What the importers of member records checked in memory share (committee seats, government posts, attendance at
cell meetings): the acting user, today and the closed years; the file's rows read into `row_class` objects; a
message attached to a row under its column's header; the organization of a dated record and its closed-year check."""

from django.utils import timezone

from organizations import scoping
from party_portal import closed_years
from party_portal.imports.reading import clean_row
from party_portal.imports.scope import NOT_ON_DATE


def day_text(value):
    return f"{value:%d/%m/%Y}"


class CheckedRowsImporter:
    row_class = None  # built as row_class(number, cleaned values, errors)
    inline_rows = 2000

    def __init__(self, *, actor, **_scope):
        self.actor = actor
        self.today = timezone.localdate()
        self.closed = closed_years.closed_until_today()

    def read_rows(self, sheet, progress):
        """The file's rows, each cleaned by its columns' widgets; `self.header` names each column as the file does."""
        self.header = {column.attribute: sheet.header(column) for column in sheet.columns}
        rows = []
        for number, cells in sheet.rows:
            cleaned = clean_row(sheet, number, cells)
            rows.append(self.row_class(number, cleaned.values, cleaned.errors))
            if len(rows) % 5000 == 0:
                progress(len(rows), sheet.total, phase="reading")
        progress(len(rows), sheet.total, phase="checking")
        return rows

    def _error(self, row, attribute, message):
        row.errors.append((self.header[attribute], str(message)))

    def _year_open(self, row, attribute, day, until):
        """A record counts at every 31/12 it spans (the year-end figures): each of those years must be open."""
        year = closed_years.reached(day, self.closed, until=until or self.today)
        if year is not None:
            self._error(row, attribute, closed_years.refusal_text(day, year))

    def _organization(self, row, organizations, scope):
        """The row's organization: the one with its code (`organizations`: code → [(start, end, id, name)]) in force
        on the row's first day, within the actor's scope that day."""
        day = row.start
        row.org_id = next(
            (org for start, end, org, _name in organizations.get(row.org_code, ()) if start <= day <= (end or day)),
            None,
        )
        refusal = scope.refusal(row.org_id, day) if row.org_id is not None else None
        if row.org_id is None or (refusal is not None and refusal == scoping.NOT_IN_SCOPE):
            row.org_id = None
            self._error(row, "organization_code", NOT_ON_DATE % {"code": row.org_code, "date": day_text(day)})
        elif refusal:
            self._error(row, "organization_code", refusal)
