from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "party_portal"
    verbose_name = "Party Portal"

    def ready(self):
        from . import tokens  # noqa: F401  (connects the token revocation receiver)
        from .imports import registry

        # Each app's kinds of Excel file register themselves, as admin classes do.
        registry.autodiscover()
