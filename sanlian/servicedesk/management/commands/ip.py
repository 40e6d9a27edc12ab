"""`sanlian ip import FILE [--dry-run] [--partial] [--user USERNAME] [--json]`: import an IP sheet;
`sanlian ip sample [--out FILE]`: write the demo's sample sheet (good rows and three bad ones) to try it.

Prints the created / updated / unchanged / rejected counts (and the row errors); exits with status 1
when any row was rejected, 2 when the file itself cannot be used. Without --user the import runs as
the system (every enterprise in scope); with it, as that officer with their scope.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from sanlian.core.forms import error_text
from sanlian.core.models import User
from sanlian.servicedesk.ip_import import ip_import


class Command(BaseCommand):
    help = "Import enterprises' IP assets (patents, trademarks, software copyrights) from an .xlsx sheet."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,sample}")
        importing = actions.add_parser("import", help="import an .xlsx sheet (upsert by kind and number)")
        importing.add_argument("file", type=Path)
        importing.add_argument("--dry-run", dest="dry_run", action="store_true", help="check only, write nothing")
        importing.add_argument("--partial", action="store_true", help="import the good rows even if some fail")
        importing.add_argument("--user", help="act as this officer (their scope); default: the system")
        importing.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")
        sample = actions.add_parser("sample", help="write a sample sheet for the demo's 浦江镇 enterprises")
        sample.add_argument("--out", type=Path, default=Path("var/ip_import_sample.xlsx"))

    def handle(self, *args, action, **options):
        if action == "sample":
            self.sample(options["out"])
        else:
            self.run_import(**options)

    def sample(self, out: Path) -> None:
        from sanlian.demo.ip_portfolio import sample_file_for_demo

        try:
            data = sample_file_for_demo(today=timezone.localdate())
        except ValueError:
            raise CommandError(_("请先运行 sanlian loaddemo 加载演示数据")) from None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        self.stdout.write(_("已生成示例文件:%(path)s") % {"path": out})

    def run_import(self, *, file: Path, dry_run=False, partial=False, user=None, as_json=False, **options):
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("找不到用户 %(name)s") % {"name": user})
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件:%(error)s") % {"error": exc}) from exc
        try:
            report = ip_import(actor=actor, data=data, dry_run=dry_run, partial=partial)
        except ValidationError as exc:
            raise CommandError(error_text(exc), returncode=2) from exc
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(
                _("新增 %(created)s · 更新 %(updated)s · 无变化 %(unchanged)s · 有错误 %(rejected)s") % report.as_dict()
            )
            for error in report.errors:
                self.stdout.write(f"  {error.row} · {error.column} · {error.value} · {error.reason}")
        if report.rejected:
            raise SystemExit(1)
