from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "sanlian.talent"
    verbose_name = _("人才链")

    def ready(self):
        from sanlian.core.erasure import register_eraser

        from .services.erasure import talent_erase

        register_eraser("talent", talent_erase)
