from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "party_portal"
    verbose_name = "Party Portal"

    def ready(self):
        from . import tokens  # noqa: F401  (connects the token revocation receiver)
