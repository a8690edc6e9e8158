"""The actor's writable subtree for many (organization, date) pairs at once, through organizations.scoping.

A members file carries one admission date per row, thousands of different days. scoping.scope_paths answers
for one day; its answer can only change on a day some placement starts or ends, so it is asked once per stretch
between two such days, and each organization's path on a day is read from its preloaded placements.
"""

from bisect import bisect_right
from collections import defaultdict
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from organizations import scoping
from organizations.models import Organization, Placement

# An organization that does not exist and one outside the actor's subtree get the same message, so a file reveals
# nothing of another part of the tree.
NOT_ON_DATE = _("No organization with the code %(code)s is in force on %(date)s in your part of the tree.")


class ScopeIndex:
    def __init__(self, actor, organization_ids):
        self.actor = actor
        starts = set(Placement.objects.values_list("valid_from", flat=True).distinct())
        ends = Placement.objects.filter(valid_to__isnull=False).values_list("valid_to", flat=True).distinct()
        self._bounds = sorted(starts | {day + timedelta(days=1) for day in ends})
        self._paths = {}
        self._placements = defaultdict(list)
        for org_id, start, end, path in Placement.objects.filter(organization_id__in=organization_ids).values_list(
            "organization_id", "valid_from", "valid_to", "path"
        ):
            self._placements[org_id].append((start, end, path))
        # scoping's write rule asks twice: on the row's date, and in the organization's present position.
        self._writable_now = set(
            Organization.objects.filter(pk__in=organization_ids)
            .filter(pk__in=scoping.writable_now_org_ids(actor))
            .values_list("pk", flat=True)
        )
        self._refusals = {}

    def _scope(self, day):
        stretch = bisect_right(self._bounds, day)
        if stretch not in self._paths:
            self._paths[stretch] = (
                scoping.scope_paths(self.actor, day, write=True),
                scoping.scope_paths(self.actor, day),
            )
        return self._paths[stretch]

    def path_on(self, organization_id, day):
        for start, end, path in self._placements.get(organization_id, ()):
            if start <= day and (end is None or day <= end):
                return path
        return None

    def refusal(self, organization_id, day):
        """None when the actor may write the organization on `day`, else the message scoping.require_access gives."""
        path = self.path_on(organization_id, day)
        if path is None:
            return scoping.NOT_IN_SCOPE
        writable, readable = self._scope(day)
        if any(path.startswith(outer) for outer in writable) and organization_id in self._writable_now:
            return None
        if any(path.startswith(outer) for outer in readable):
            key = (organization_id, bisect_right(self._bounds, day))
            if key not in self._refusals:
                self._refusals[key] = scoping.refusal_message(self.actor, organization_id, day)
            return self._refusals[key]
        return scoping.NOT_IN_SCOPE
