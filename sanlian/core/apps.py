from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sanlian.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self):
        from django.core.signals import setting_changed

        from sanlian.core.keys import forget_keys

        # Encrypted fields cache keys derived from SECRET_KEY/SALT_KEY; a settings change must not reuse them.
        setting_changed.connect(forget_keys, dispatch_uid="sanlian.core.keys.forget_keys")

        from . import audit

        audit.check_settings()
        audit.connect()
