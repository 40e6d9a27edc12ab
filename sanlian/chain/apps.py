from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainConfig(AppConfig):
    name = "sanlian.chain"
    verbose_name = _("产业链")
