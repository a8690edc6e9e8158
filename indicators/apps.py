from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Program targets and indicators")

    def ready(self):
        from . import (
            selectors,  # noqa: F401  (registers the measures of the program targets)
            tracked_measures,  # noqa: F401  (and those of the program's other commitments)
        )
