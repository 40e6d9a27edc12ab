from django.apps import apps
from django.core.management.base import BaseCommand

from sanlian.enterprises.reference import DATA_FILE, load_reference


class Command(BaseCommand):
    help = "Load or refresh regions, parks, clusters, chain nodes and certification types from a YAML file."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA_FILE))

    def handle(self, *args, file, **options):
        counts = load_reference(apps, path=file)
        self.stdout.write(", ".join(f"{key}: {n}" for key, n in counts.items()))
