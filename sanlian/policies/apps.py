from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "sanlian.policies"
    verbose_name = _("政策与申报")

    def ready(self):
        from . import receivers  # noqa: F401  (queues re-evaluation when registry facts change)
