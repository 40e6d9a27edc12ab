"""bench/import.py's sheet generator and our side of the run work on a few rows, so the bench cannot rot.

(The django-import-export side needs the `bench` extra, which the test environment does not install.)
"""

import importlib.util
from pathlib import Path

import pytest

from sanlian.core.validators import check_uscc
from sanlian.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db
BENCH = Path(__file__).resolve().parents[2] / "bench" / "import.py"


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_import", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_sheet_imports_every_row_with_valid_usccs(tmp_path):
    bench = bench_module()
    path = tmp_path / "enterprises.xlsx"
    bench.generate_sheet(30, path)

    outcome = bench.run_ours(path)

    assert (outcome["created"], outcome["rejected"]) == (30, 0)
    assert all(check_uscc(code).checksum_ok for code in Enterprise.objects.values_list("uscc", flat=True))
    assert Enterprise.objects.filter(registered_capital__isnull=False).count() == 30
