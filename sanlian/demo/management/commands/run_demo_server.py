"""`sanlian run_demo_server`: the Huey consumer and the web server in one command, for the demo."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sanlian.demo.server import run_together


class Command(BaseCommand):
    help = "Run the Huey consumer and Django's development server together; Ctrl-C or SIGTERM stops both."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address and port of the web server.")

    def handle(self, *args, addr, **options):
        python = [sys.executable, "-m", "sanlian"]
        self.stdout.write(_("后台任务(Huey)与网站(http://%(addr)s/)启动中,按 Ctrl-C 停止。") % {"addr": addr})
        code = run_together([[*python, "run_huey"], [*python, "runserver", "--noreload", addr]])
        if code:
            raise CommandError(f"a process exited with status {code}; the others were stopped")
