from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "sanlian.community"
    verbose_name = _("产业社群")

    def ready(self):
        # Registers the event documents' rendering job with Huey.
        from sanlian.core.erasure import register_eraser

        from . import tasks  # noqa: F401
        from .services.erasure import community_erase

        register_eraser("community", community_erase)
