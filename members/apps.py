from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Party members")

    def ready(self):
        # A reorganization moves members without organizations importing members.
        from organizations.reorganization_plan import register_member_side

        from .reorganizations import Members

        register_member_side(Members())
