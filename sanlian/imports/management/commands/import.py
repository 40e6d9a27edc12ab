"""`sanlian import KIND FILE [--dry-run] [--json] [--partial] [--user USERNAME] [--template NAME] [--sheet NAME]`

KIND is enterprises, annual-reports, certifications, talents or space-listings (and ip, which runs the IP
portfolio importer).
Prints the created / updated / unchanged / rejected counts and each rejected row's number, column,
value and reason (one JSON object with --json). Exits 1 when any row was rejected, 2 when the file
itself cannot be used. Without --user the import runs as the system (every town in scope); with it,
as that officer with their scope. --template applies a saved column mapping of that name.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sanlian.core.forms import error_text
from sanlian.core.models import User
from sanlian.imports.engine import check_size, run_import
from sanlian.imports.kinds import IMPORTERS, importer_for
from sanlian.imports.models import ImportTemplate


class Command(BaseCommand):
    help = (
        "Import enterprises, annual reports, certifications, talents or space listings from an .xlsx or .csv file "
        "(upsert)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*IMPORTERS, "ip"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", dest="dry_run", action="store_true", help="check only, write nothing")
        parser.add_argument("--partial", action="store_true", help="import the valid rows even if some fail")
        parser.add_argument("--user", help="act as this officer (their scope); default: the system")
        parser.add_argument("--template", help="a saved column mapping (its name)")
        parser.add_argument("--sheet", default="", help="the sheet to read (default: the first)")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")

    def handle(self, *args, kind, file: Path, user=None, template=None, as_json=False, **options):
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("找不到用户 %(name)s") % {"name": user})
        try:
            check_size(file.stat().st_size)  # refuse a huge file before reading it
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件:%(error)s") % {"error": exc}, returncode=2) from exc
        except ValidationError as exc:
            raise CommandError(error_text(exc), returncode=2) from exc
        try:
            report = self._run(kind, actor, data, file.name, template, options)
        except ValidationError as exc:
            raise CommandError(error_text(exc), returncode=2) from exc
        result = report.as_dict()
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
        else:
            self.stdout.write(
                _("新增 %(created)s · 更新 %(updated)s · 无变化 %(unchanged)s · 有错误 %(rejected)s") % result
            )
            for error in result["errors"]:
                self.stdout.write(f"  {error['row']} · {error['column']} · {error['value']} · {error['reason']}")
        if report.rejected:
            raise SystemExit(1)

    def _run(self, kind, actor, data, filename, template, options):
        if kind == "ip":
            from sanlian.servicedesk.ip_import import ip_import

            return ip_import(actor=actor, data=data, dry_run=options["dry_run"], partial=options["partial"])
        mapping = units = None
        if template:
            saved = ImportTemplate.objects.filter(kind=kind, name=template).first()
            if saved is None:
                raise CommandError(_("找不到导入模板「%(name)s」") % {"name": template})
            mapping, units = saved.mapping, saved.units
        return run_import(
            importer_for(kind), actor=actor, data=data, filename=filename, sheet=options["sheet"], mapping=mapping,
            units=units, dry_run=options["dry_run"], partial=options["partial"],
        )  # fmt: skip
