from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "sanlian.imports"
    verbose_name = _("数据导入")

    def ready(self):
        from . import tasks  # noqa: F401  registers the import job with Huey
