from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpaceConfig(AppConfig):
    name = "sanlian.space"
    label = "space"
    verbose_name = _("空间服务")

    def ready(self):
        from . import tasks  # noqa: F401  (registers the Huey schedules)
