"""Imports keep the search index current: after commit, one job rewrites the documents of what was written."""

import pytest

from sanlian.imports.engine import run_import
from sanlian.imports.kinds import EnterpriseImporter
from sanlian.search.models import SearchDocument
from tests import factories
from tests.search.conftest import committed, titles

from .helpers import ENTERPRISE_HEADER, enterprise_row, xlsx

pytestmark = pytest.mark.django_db


def run(actor, data, **options):
    with committed():
        return run_import(EnterpriseImporter(), actor=actor, data=data, filename="e.xlsx", **options)


def test_imported_enterprises_are_found_by_search_and_a_renamed_one_under_its_new_name(pujiang_officer):
    existing = factories.enterprise("pujiang", name="浦江旧称制药有限公司")
    code = factories.new_uscc()
    data = xlsx(
        [
            ENTERPRISE_HEADER,
            enterprise_row(code, name="浦江导入类器官科技有限公司"),
            enterprise_row(existing.uscc, name="浦江新称制药有限公司"),
        ]
    )

    report = run(pujiang_officer, data)

    assert (report.created, report.updated) == (1, 1), report.errors
    assert titles(pujiang_officer, "类器官科技") == ["浦江导入类器官科技有限公司"]
    assert titles(pujiang_officer, "新称制药") == ["浦江新称制药有限公司"]
    assert titles(pujiang_officer, "旧称制药") == []


def test_a_dry_run_leaves_the_index_alone(pujiang_officer):
    data = xlsx([ENTERPRISE_HEADER, enterprise_row(factories.new_uscc(), name="浦江预检生物有限公司")])

    report = run(pujiang_officer, data, dry_run=True)

    assert report.created == 1
    assert not SearchDocument.objects.filter(title="浦江预检生物有限公司").exists()
