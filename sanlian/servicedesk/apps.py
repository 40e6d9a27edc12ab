from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "sanlian.servicedesk"
    verbose_name = _("企业服务")

    def ready(self):
        # Registers the hourly escalation and the daily auto-close of unconfirmed resolutions with Huey.
        from . import tasks  # noqa: F401
