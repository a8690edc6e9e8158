from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def closed_rating_years(years):
    from .models import RatingYear, YearState

    return set(RatingYear.objects.filter(year__in=list(years), state=YearState.CLOSED).values_list("year", flat=True))


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Annual ratings")

    def ready(self):
        # Members' dated facts obey the closed rating years without members importing evaluations.
        from party_portal import closed_years

        closed_years.register(closed_rating_years)
