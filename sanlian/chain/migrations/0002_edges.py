from django.db import migrations


def load(apps, schema_editor):
    from sanlian.chain.edges import load_edges

    load_edges(apps)


class Migration(migrations.Migration):
    dependencies = [("chain", "0001_initial"), ("enterprises", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
