"""`sanlian jobs_flush [--all]`: hand the follow-up jobs waiting in the outbox to the queue (after an outage)."""

import json
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sanlian.core.jobs import FLUSH_GRACE, outbox_flush


class Command(BaseCommand):
    requires_system_checks = []  # an operator tool: no URL-conf import (seconds), works on a broken site
    help = "Enqueue the follow-up jobs left in the outbox while the queue (Redis) was unreachable; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true",
            help=f"also the rows younger than {int(FLUSH_GRACE.total_seconds())} s (normally still being handed over)",
        )  # fmt: skip

    def handle(self, *args, all=False, **options):
        result = outbox_flush(grace=timedelta(0) if all else FLUSH_GRACE)
        self.stdout.write(json.dumps(result))
        if result["failed"]:
            raise CommandError(_("任务队列仍不可用,%(n)s 个任务等待投递") % {"n": result["waiting"]})
