"""`sanlian search_reindex [--kind KIND ...]`: rebuild the search documents from the database."""

import time

from django.core.management.base import BaseCommand

from sanlian.search.documents import KINDS
from sanlian.search.services import reindex


class Command(BaseCommand):
    help = "Rebuild the global search index (all kinds, or the ones named with --kind)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=sorted(KINDS), help="only this kind (repeatable)")

    def handle(self, *args, kind=None, **options):
        started = time.perf_counter()
        written = reindex(kinds=kind)
        for code, count in written.items():
            self.stdout.write(f"{code}: {count}")
        self.stdout.write(f"indexed {sum(written.values())} documents in {time.perf_counter() - started:.1f} s")
