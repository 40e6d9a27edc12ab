"""The benchmark's generator and harness run on a handful of rows, so bench/ cannot rot.

No timing is asserted here: the figures come from `make bench` on PostgreSQL at 100,000 enterprises.
"""

from decimal import Decimal

import pytest
from django.test import Client

from bench import dataset, harness, registry
from sanlian.core.validators import check_uscc
from sanlian.enterprises.models import AnnualReport, Certification, Enterprise

pytestmark = pytest.mark.django_db

SIZE = 40


def test_generator_writes_a_consistent_registry():
    written = dataset.generate(SIZE, seed=7)

    assert written["enterprises"] == SIZE
    assert written == dataset.counts()
    assert written["annual_reports"] > SIZE  # several years per enterprise
    assert all(check_uscc(code).checksum_ok for code in Enterprise.objects.values_list("uscc", flat=True))
    assert Enterprise.objects.filter(town__code=dataset.LARGE_TOWN).exists()
    assert set(AnnualReport.objects.values_list("year", flat=True)) <= set(dataset.YEARS)
    report = AnnualReport.objects.filter(status=AnnualReport.Status.APPROVED).first()
    assert isinstance(report.revenue, Decimal) and report.revenue > 0
    assert report.rd_staff <= report.employees
    for cert in Certification.objects.exclude(valid_until_date=None).exclude(valid_from_date=None):
        assert cert.valid_until_date >= cert.valid_from_date


def test_generation_is_deterministic():
    def snapshot():
        return (
            list(Enterprise.objects.order_by("id").values_list("name", "uscc", "town__code", "is_biomedical")),
            list(AnnualReport.objects.order_by("enterprise__uscc", "year").values_list("year", "revenue", "status")),
        )

    dataset.generate(12, seed=3)
    first = snapshot()
    dataset.wipe()
    dataset.generate(12, seed=3)
    assert snapshot() == first


def test_ensure_dataset_keeps_a_loaded_set_and_reloads_another_size():
    first = dataset.ensure_dataset(SIZE, seed=5)
    assert first.loaded and first.counts["enterprises"] == SIZE

    again = dataset.ensure_dataset(SIZE, seed=5)
    assert not again.loaded and again.counts == first.counts

    other = dataset.ensure_dataset(SIZE // 2, seed=5)
    assert other.loaded and other.counts["enterprises"] == SIZE // 2


def test_measure_reports_times_queries_peers_and_missing_pages(pujiang_officer):
    officer_client = Client(raise_request_exception=False)
    officer_client.force_login(pujiang_officer)
    cases = [
        harness.Case("healthz", "healthz", "anonymous", Client(), ["/healthz"], peer=True),
        harness.Case("inbox", "inbox", "officer", officer_client, ["/inbox/"], target_ms=150),
        harness.Case("missing", "missing", "officer", officer_client, ["/no-such-page/"], target_ms=150),
    ]

    results = {r.key: r for r in harness.measure(cases, requests=3, warmup=1)}

    healthz, inbox, missing = results["healthz"], results["inbox"], results["missing"]
    assert healthz.available and healthz.requests == 3 and healthz.queries == 0
    assert inbox.available and inbox.queries > 0 and inbox.p50_ms is not None and inbox.p95_ms is not None
    assert set(inbox.ratios) == {"healthz"} and inbox.meets_target is not None
    assert not missing.available and missing.status == 404 and missing.p50_ms is None
    assert "not found" in missing.note
    table = harness.markdown_table(list(results.values()))
    assert "| healthz" in table and "not measured" in table


def test_percentile_interpolates():
    assert harness.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert harness.percentile([10.0, 20.0], 95) == pytest.approx(19.5)


def test_registry_cases_run_on_a_small_data_set():
    load = dataset.ensure_dataset(SIZE, seed=11)
    town_officer, district_officer = registry.bench_users()

    cases = registry.build_cases(town_officer, district_officer)
    results = harness.measure(cases, requests=1, warmup=1)

    assert {r.key for r in results} >= {"healthz", "directory", "directory-filtered", "profile", "cockpit"}
    assert all(r.status < 500 for r in results), [(r.key, r.status) for r in results if r.status >= 500]
    assert registry.summary(load, results, requests=1, warmup=1).startswith(f"With {SIZE} generated enterprises")
