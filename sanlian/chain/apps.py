from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainConfig(AppConfig):
    name = "sanlian.chain"
    verbose_name = _("产业链")

    def ready(self):
        # Registers the scheduled jobs with Huey: the nightly expiry of postings (tasks) and the expiry of
        # unanswered meeting requests at matchmaking events (event_tasks).
        from . import event_tasks, tasks  # noqa: F401
