"""Who was on the rolls where, for a whole file at once: members.services.member_under_during over preloaded stints
and placements, for the kinds whose record needs its member under an organization (committee seats, posts held)."""

from collections import defaultdict
from datetime import timedelta

from members.models import Membership
from organizations.models import Placement
from party_portal.imports.bulk import LOOKUP_BATCH, batches


class Tenure:
    def __init__(self, member_ids, today):
        self.today = today
        self.stints = defaultdict(list)
        for batch in batches(sorted(member_ids), LOOKUP_BATCH):
            for member_id, org_id, start, end in Membership.objects.filter(member_id__in=batch).values_list(
                "member_id", "organization_id", "start", "end"
            ):
                self.stints[member_id].append((org_id, start, end))
        units = {org for spans in self.stints.values() for org, _s, _e in spans}
        self.placements = defaultdict(list)
        for batch in batches(sorted(units), LOOKUP_BATCH):
            for org_id, start, end, path in Placement.objects.filter(organization_id__in=batch).values_list(
                "organization_id", "valid_from", "valid_to", "path"
            ):
                self.placements[org_id].append((start, end, path))

    def under(self, member_id, org_id, start, end):
        """Whether the member was on the rolls of the organization or of a unit under it on some day from `start`
        to `end` (open-ended: to today, or to `start` when it lies ahead)."""
        last = end or max(start, self.today)
        needle = f"/{org_id}/"
        for unit, stint_start, stint_end in self.stints.get(member_id, ()):
            # A stint covers [start, end): the member is off the rolls on its end day.
            if stint_start > last or (stint_end is not None and stint_end <= start):
                continue
            low = max(stint_start, start)
            high = min(last, stint_end - timedelta(days=1)) if stint_end else last
            for p_start, p_end, path in self.placements.get(unit, ()):
                if p_start <= high and (p_end is None or p_end >= low) and needle in path:
                    return True
        return False
