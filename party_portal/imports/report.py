"""What a check (or an import) found, row by row, kept as JSON on the job for the preview page."""

from dataclasses import dataclass, field

from django.utils.translation import pgettext_lazy

NEW, UPDATED, UNCHANGED, REJECTED = "new", "updated", "unchanged", "rejected"
OUTCOMES = (NEW, UPDATED, UNCHANGED, REJECTED)
OUTCOME_LABELS = {
    NEW: pgettext_lazy("import", "New"),
    UPDATED: pgettext_lazy("import", "Updated"),
    UNCHANGED: pgettext_lazy("import", "Unchanged"),
    REJECTED: pgettext_lazy("import", "Rejected"),
}

# The preview lists at most this many rows of each outcome and this many rejections; the counts cover the whole
# file. An 800-row HTML table already cost more than its query here (DESIGN §4), so the page paginates these too.
ROWS_KEPT_PER_OUTCOME = 1000
ERRORS_KEPT = 2000


@dataclass
class Report:
    total: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    rows: list = field(default_factory=list)  # [row number, outcome, key, label, what changes]
    errors: list = field(default_factory=list)  # [row number, column, message]
    errors_total: int = 0
    file_errors: list = field(default_factory=list)
    written: dict = field(default_factory=dict)
    # The file was refused before it was parsed (party_portal.imports.inspection): the job fails.
    refused: bool = False
    # What the import step needs from the check (checked rows, entries); not kept on the job.
    plan: object = field(default=None, repr=False)

    @property
    def ok(self):
        return not self.file_errors and not self.counts[REJECTED]

    @property
    def changes(self):
        return self.counts[NEW] + self.counts[UPDATED]

    def lists(self, outcome):
        """Whether the next row with this outcome is listed (the first ROWS_KEPT_PER_OUTCOME are): a kind may skip
        composing the text of a row nobody will see."""
        return self.counts[outcome] < ROWS_KEPT_PER_OUTCOME

    def add(self, number, outcome, key="", label="", changes="", errors=()):
        """Record one row's outcome (REJECTED whenever it has errors) and its errors."""
        if errors:
            outcome = REJECTED
            # The row list says why, too: the problems table is the one to work through, this one shows context.
            changes = "; ".join(f"{column}: {message}" for column, message in errors)
        self.total += 1
        self.counts[outcome] += 1
        if self.counts[outcome] <= ROWS_KEPT_PER_OUTCOME:
            self.rows.append([number, outcome, key, label, changes])
        for column, message in errors:
            self.errors_total += 1
            if len(self.errors) < ERRORS_KEPT:
                self.errors.append([number, str(column), str(message)])

    @classmethod
    def from_json(cls, data):
        """The report a check stored on its job (without its plan)."""
        keys = ("total", "counts", "rows", "errors", "errors_total", "file_errors")
        return cls(**{key: data[key] for key in keys if key in data})

    def file_error(self, message):
        self.file_errors.append(str(message))

    def as_json(self):
        self.rows.sort(key=lambda row: row[0])
        self.errors.sort(key=lambda error: error[0])
        return {
            "total": self.total,
            "counts": self.counts,
            "rows": self.rows,
            "errors": self.errors,
            "errors_total": self.errors_total,
            "file_errors": self.file_errors,
            "written": self.written,
        }


class ImportAborted(Exception):
    """The data changed between the check and the import: the import found problems and wrote nothing."""

    def __init__(self, report):
        super().__init__("import aborted")
        self.report = report


def change_text(header, old, new):
    return f"{header}: {old or '—'} → {new or '—'}"
