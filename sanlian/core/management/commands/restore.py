"""`sanlian restore ARCHIVE [--yes]`: check an archive, then replace the database and the files with it."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sanlian.core.backup import BackupError, archive_open, restore_apply, restore_check


class Command(BaseCommand):
    requires_system_checks = []  # an operator tool: no URL-conf import (seconds), works on a broken site
    help = "Restore a `sanlian backup` archive (.tar.gz or folder): database and files. Stop the site first."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, yes=False, **options):
        with tempfile.TemporaryDirectory(prefix="sanlian-restore-") as workdir:
            try:
                opened = archive_open(Path(archive), workdir=Path(workdir))
                notes = restore_check(opened)
            except BackupError as exc:
                raise CommandError(str(exc)) from None
            manifest = opened.manifest
            self.stderr.write(
                _("备份时间 %(time)s,数据库 %(engine)s。恢复将覆盖当前的全部数据和文件。")
                % {"time": manifest["created_at"], "engine": manifest["engine"]}
            )
            if not yes and not self._confirmed():
                raise CommandError(_("未确认,未做任何更改(确认请输入 yes,或使用 --yes)"))
            try:
                restore_apply(opened)
            except BackupError as exc:
                raise CommandError(str(exc)) from None
        for note in notes:
            self.stderr.write(note)
        self.stdout.write(_("已恢复"))

    def _confirmed(self) -> bool:
        try:
            return input(_("确认恢复?输入 yes 继续:")).strip().lower() == "yes"
        except EOFError:
            return False
