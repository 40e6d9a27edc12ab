from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "sanlian.policies"
    verbose_name = _("政策与申报")

    def ready(self):
        # receivers queue re-evaluation when registry facts change; call_tasks registers the daily reminders.
        from . import call_tasks, receivers  # noqa: F401
