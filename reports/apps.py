from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from indicators.signals import snapshots_refreshed

        from .comparable_reviews import warm_after_refresh

        snapshots_refreshed.connect(warm_after_refresh, dispatch_uid="reports.comparable_reviews")
