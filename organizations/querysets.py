from django.db import models
from django.db.models import Q


def valid_on_q(day, prefix=""):
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class OrganizationQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_on_q(day))

    def grassroots(self):
        from .models import GRASSROOTS_KINDS

        return self.filter(kind__in=GRASSROOTS_KINDS)


class PlacementQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(valid_on_q(day))

    def under_paths(self, paths):
        """Placements whose path lies under any of `paths` (the nodes themselves included)."""
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)
