"""`sanlian backup [--output DIR] [--directory]`: one archive of the database and the files (see core.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sanlian.core.backup import BackupError, backup_create


class Command(BaseCommand):
    requires_system_checks = []  # an operator tool: no URL-conf import (seconds), works on a broken site
    help = "Back up the database (SQLite online backup or pg_dump -Fc) and the uploaded and import files."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="folder for the archive (default: <VAR_DIR>/backups)")
        parser.add_argument("--directory", action="store_true", help="write a folder instead of a .tar.gz")

    def handle(self, *args, output=None, directory=False, **options):
        folder = Path(output) if output else Path(settings.VAR_DIR) / "backups"
        try:
            archive = backup_create(output_dir=folder, as_directory=directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(archive))  # the path alone, so scripts can capture it
