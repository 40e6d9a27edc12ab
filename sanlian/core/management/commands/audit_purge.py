"""`sanlian audit_purge`: delete the audit events older than SANLIAN_AUDIT_RETENTION_DAYS (also a nightly job)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sanlian.core.services import audit_purge


class Command(BaseCommand):
    help = "Delete the audit events older than the retention (SANLIAN_AUDIT_RETENTION_DAYS, at least 180 days)."

    def handle(self, *args, **options):
        deleted = audit_purge()
        days = settings.SANLIAN_AUDIT_RETENTION_DAYS
        self.stdout.write(_("已删除超过 %(days)s 天的审计记录 %(n)s 条") % {"days": days, "n": deleted})
