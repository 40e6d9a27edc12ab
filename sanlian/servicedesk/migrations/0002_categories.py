from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "categories.yaml"


def load(apps, schema_editor):
    Category = apps.get_model("servicedesk", "Category")
    for sort, row in enumerate(yaml.safe_load(DATA.read_text(encoding="utf-8"))["categories"]):
        Category.objects.get_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_en": row["name_en"], "ack_working_days": row["ack"],
                      "resolve_working_days": row["resolve"], "sort": sort},
        )


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
