"""`sanlian rotate_keys [--dry-run] [--batch-size N]`: every encrypted value under the current first key.

Run it after prepending a new key to SECRET_KEY (old key into SANLIAN_SECRET_KEY_FALLBACKS) or to
SANLIAN_SALT_KEY; once it reports no unreadable values the old key can be removed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sanlian.core.keys import keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted personal-data field with the first configured key (batched, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args, dry_run=False, batch_size=500, **options):
        if batch_size < 1:
            raise CommandError(_("--batch-size 必须是正整数"))
        results = keys_rotate(batch_size=batch_size, dry_run=dry_run)
        unreadable = 0
        for label, counts in results.items():
            unreadable += counts.unreadable
            self.stdout.write(
                _(
                    "%(model)s:已是当前密钥 %(current)d,重新加密 %(rotated)d,"
                    "明文加密 %(encrypted)d,无法解密 %(unreadable)d"
                )
                % {"model": label, **vars(counts)}
            )
        total = sum(c.written for c in results.values())
        message = _("试运行:将写入 %(count)d 个值") if dry_run else _("已写入 %(count)d 个值")
        self.stdout.write(message % {"count": total})
        if unreadable:
            # Values under a key that is no longer configured: the old key must stay until they are resolved.
            raise CommandError(_("%(count)d 个值无法用当前任何密钥解密,请勿移除旧密钥") % {"count": unreadable})
