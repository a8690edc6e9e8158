"""The government and community posts file (chuc-vu-chinh-quyen): posts members hold with their dates (commune
People's Council or Committee chair, village head, residential-group head…), new ones and the end of open ones.

Checked in memory with a constant number of queries, as the committee seats file is, then written in bulk with
the audit rows: a province's posts after a commune election run to thousands of rows.
"""

from collections import defaultdict
from datetime import date

from django.utils.translation import gettext_lazy as _
from import_export import resources

from members.models import CodeList, GovernmentPost, Member
from members.resources import CodeWidget
from members.services import ALREADY_ENDED, END_BEFORE_START
from organizations.models import Organization
from organizations.resources import Column, DayWidget, field_length, serial_column
from party_portal.imports import Kind, register
from party_portal.imports.bulk import LOOKUP_BATCH, WRITE_BATCH, AuditCopy, batches
from party_portal.imports.report import NEW, UNCHANGED, UPDATED, Report, change_text
from party_portal.imports.scope import ScopeIndex

from .checked_rows import CheckedRowsImporter, day_text
from .codes import CodeIndex
from .records import NO_MEMBER, member_ids_by_record
from .tenure import Tenure

POST_TWICE = _("The same post from the same day is already on row %(row)s of this file.")
POST_OVERLAP = _("The member already holds this post from %(date)s: end that post first.")
POST_OVERLAP_IN_FILE = _("This post overlaps the member's same post on row %(row)s of this file.")
POST_DIFFERS = _(
    "This post is already recorded from this day at %(org)s (%(place)s); change it on the member's page, not by import."
)
POST_NOT_UNDER = _(
    "Between %(start)s and %(end)s the member was never on the rolls of %(org)s or of a unit under it: "
    "a post is recorded with the party organization of the member."
)


class GovernmentPostResource(resources.Resource):
    """One row per post held: whose, which post, for which party organization and place, from when to when."""

    serial = serial_column()
    record_number = Column(
        "record_number",
        _("Party record number"),
        required=True,
        example="012345TN",
        width=16,
        max_length=field_length(Member, "record_number"),
    )
    kind = Column(
        "kind",
        _("Post"),
        CodeWidget(CodeList.POST),
        required=True,
        example="TRUONG_THON",
        width=30,
        help_text=_("The code or the name of an active post of the coded list."),
    )
    organization_code = Column(
        "organization_code",
        _("Party organization code"),
        required=True,
        example="CB010101",
        width=16,
        help_text=_(
            "The party organization whose commune, village or residential group the post serves (the cell of the "
            "village, the commune's party committee), as it was when the post began."
        ),
        max_length=field_length(Organization, "code"),
    )
    place = Column(
        "place",
        _("Commune, village or residential group"),
        example="Thôn Đông",
        width=24,
        max_length=field_length(GovernmentPost, "place"),
    )
    start = Column("start", _("From"), DayWidget(), required=True, example=date(2021, 7, 1), width=13)
    end = Column(
        "end",
        _("To"),
        DayWidget(),
        example="",
        width=13,
        help_text=_("The last day of the post; empty while it lasts. A post already recorded open is ended so."),
    )

    class Meta:
        fields = ("serial", "record_number", "kind", "organization_code", "place", "start", "end")


class PostRow:
    __slots__ = (
        "end",
        "errors",
        "kind",
        "kind_text",
        "member_id",
        "number",
        "org_code",
        "org_id",
        "place",
        "post_id",
        "record_number",
        "start",
        "unchanged",
    )

    def __init__(self, number, values, errors):
        self.number = number
        self.errors = errors
        self.record_number = "".join((values["record_number"] or "").split()).upper()
        self.kind_text = values["kind"] or ""
        self.org_code = values["organization_code"] or ""
        self.place = values["place"] or ""
        self.start = values["start"]
        self.end = values["end"]
        self.kind = self.member_id = self.org_id = self.post_id = None
        self.unchanged = False


class GovernmentPostImporter(CheckedRowsImporter):
    resource = GovernmentPostResource
    row_class = PostRow

    # --- check

    def check(self, sheet, progress):
        rows = self.read_rows(sheet, progress)
        names = self._resolve(rows)
        report = Report()
        for row in rows:
            outcome = NEW if row.post_id is None else UNCHANGED if row.unchanged else UPDATED
            report.add(
                row.number, outcome, row.record_number, names.get(row.member_id, ""), self._text(row), row.errors
            )
        report.plan = [row for row in rows if not row.errors and not row.unchanged]
        progress(sheet.total, sheet.total, phase="checking")
        return report

    def _resolve(self, rows):
        members = member_ids_by_record({row.record_number for row in rows if row.record_number})
        self.codes = CodeIndex()
        organizations = defaultdict(list)
        for org_id, code, start, end, name in Organization.objects.filter(
            code__in={row.org_code for row in rows if row.org_code}
        ).values_list("id", "code", "valid_from", "valid_to", "name"):
            organizations[code].append((start, end, org_id, name))
        self.org_name = {org: name for spans in organizations.values() for _s, _e, org, name in spans}
        scope = ScopeIndex(self.actor, set(self.org_name))
        for row in rows:
            row.member_id, _name = members.get(row.record_number, (None, ""))
            if row.record_number and row.member_id is None:
                self._error(row, "record_number", NO_MEMBER % {"value": row.record_number})
            if row.kind_text:
                row.kind, refusal = self.codes.resolve(CodeList.POST, row.kind_text)
                if refusal:
                    self._error(row, "kind", refusal)
            if row.org_code and row.start is not None:
                self._organization(row, organizations, scope)
            if row.start is not None and row.end is not None and row.end < row.start:
                self._error(row, "end", END_BEFORE_START % {"date": day_text(row.start)})
        ids = {row.member_id for row in rows if row.member_id is not None}
        self.tenure = Tenure(ids, self.today)
        self._judge(rows, self._stored_posts(ids))
        return dict(members.values())

    def _judge(self, rows, stored):
        """Match each row on (member, post, start), the model's unique key: a stored post is unchanged, or ended
        by the row; a new one must not overlap the member's same post, stored (with the ends this file gives it)
        or new in the file."""
        ends = {}
        seen = {}
        fresh = []
        for row in rows:
            if row.errors:
                continue
            key = (row.member_id, row.kind)
            if (*key, row.start) in seen:
                self._error(row, "start", POST_TWICE % {"row": seen[(*key, row.start)]})
                continue
            seen[(*key, row.start)] = row.number
            match = next((post for post in stored[key] if post[1] == row.start), None)
            if match is None:
                fresh.append(row)
            else:
                self._check_stored(row, match, ends)
        self.new_posts = defaultdict(list)
        for row in sorted(fresh, key=lambda r: (r.start, r.number)):
            self._check_new(row, stored[(row.member_id, row.kind)], ends)

    def _check_stored(self, row, match, ends):
        post_id, _start, end, org_id, place = match
        row.post_id = post_id
        if (org_id, place) != (row.org_id, row.place):
            shown = {"org": self.stored_org_codes.get(org_id, "—"), "place": place or "—"}
            self._error(row, "organization_code", POST_DIFFERS % shown)
        elif end == row.end:
            row.unchanged = True
        elif end is not None:
            self._error(row, "end", ALREADY_ENDED % {"date": day_text(end)})
        else:
            ends[post_id] = row.end
            self._year_open(row, "end", row.end, None)

    def _check_new(self, row, stored, ends):
        if not self.tenure.under(row.member_id, row.org_id, row.start, row.end):
            shown_end = day_text(row.end) if row.end else _("today")
            self._error(
                row,
                "organization_code",
                POST_NOT_UNDER % {"start": day_text(row.start), "end": shown_end, "org": self.org_name[row.org_id]},
            )
        last = row.end or date.max
        for post_id, start, end, _org, _place in stored:
            end = ends.get(post_id, end)
            if start <= last and (end is None or end >= row.start):
                self._error(row, "start", POST_OVERLAP % {"date": day_text(start)})
                break
        key = (row.member_id, row.kind)
        for other in self.new_posts[key]:
            if other.start <= last and (other.end is None or other.end >= row.start):
                self._error(row, "start", POST_OVERLAP_IN_FILE % {"row": other.number})
                break
        self.new_posts[key].append(row)
        self._year_open(row, "start", row.start, row.end)

    def _stored_posts(self, ids):
        stored = defaultdict(list)
        for batch in batches(sorted(ids), LOOKUP_BATCH):
            for pk, member_id, kind_id, start, end, org_id, place in GovernmentPost.objects.filter(
                member_id__in=batch
            ).values_list("id", "member_id", "kind_id", "start", "end", "organization_id", "place"):
                stored[(member_id, kind_id)].append((pk, start, end, org_id, place))
        org_ids = {post[3] for posts in stored.values() for post in posts}
        self.stored_org_codes = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "code"))
        return stored

    def _text(self, row):
        if row.errors:
            return ""
        if row.post_id is not None:
            return change_text(self.header["end"], "", day_text(row.end)) if row.end and not row.unchanged else ""
        term = f"{day_text(row.start)} – {day_text(row.end) if row.end else '…'}"
        return " · ".join(filter(None, [self.codes.name(row.kind), row.org_code, row.place, term]))

    # --- write

    def write(self, report, progress):
        rows = report.plan
        new = [row for row in rows if row.post_id is None]
        ended = {row.post_id: row.end for row in rows if row.post_id is not None}
        audit = AuditCopy(self.actor)
        for batch in batches(new, WRITE_BATCH):
            posts = [
                GovernmentPost(
                    member_id=r.member_id,
                    kind_id=r.kind,
                    organization_id=r.org_id,
                    place=r.place,
                    start=r.start,
                    end=r.end,
                )
                for r in batch
            ]
            GovernmentPost.objects.bulk_create(posts, batch_size=WRITE_BATCH)
            audit.copy(GovernmentPost, [post.pk for post in posts], "+")
        closed = 0
        for batch in batches(sorted(ended), WRITE_BATCH):
            # Only a post still open is ended: one ended since the preview is left as it is.
            open_posts = [post for post in GovernmentPost.objects.in_bulk(batch).values() if post.end is None]
            for post in open_posts:
                post.end = ended[post.pk]
            GovernmentPost.objects.bulk_update(open_posts, ["end"], batch_size=WRITE_BATCH)
            audit.copy(GovernmentPost, [post.pk for post in open_posts], "~")
            closed += len(open_posts)
        progress(len(rows), len(rows), phase="writing")
        report.written = {"posts": len(new), "posts_ended": closed}
        return report


@register
class GovernmentPostKind(Kind):
    slug = "chuc-vu-chinh-quyen"
    label = _("Government and community posts")
    help_text = _(
        "Government and community posts members hold (commune People's Council or Committee chair, village head, "
        "residential-group head…) with their dates: new posts, and the end of posts recorded open (matched on the "
        "record number, the post and its first day)."
    )
    importer = GovernmentPostImporter
    template_title = _("Template: government and community posts")
    template_notes = (
        _(
            "The member must be on the rolls of the party organization, or of a unit under it, on at least one day "
            "of the post. The posts are those of the coded list “Government or community post”."
        ),
    )
    written_labels = {"posts": _("Posts recorded"), "posts_ended": _("Posts ended")}
    order = 52
