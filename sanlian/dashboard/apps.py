from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "sanlian.dashboard"
    label = "dashboard"
    verbose_name = _("产业驾驶舱")
