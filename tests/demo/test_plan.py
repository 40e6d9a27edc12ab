"""The demo plan, without a database: deterministic, calibrated, internally consistent."""

from collections import Counter
from decimal import Decimal

import pytest
from stdnum.cn import uscc

from sanlian.demo.generator import REVENUE_TARGET, build_plan
from sanlian.demo.generator.vocab import BIOMEDICAL_ARCHETYPES


@pytest.fixture(scope="module")
def plan():
    return build_plan()


def pujiang_biomedical(plan):
    return {e.uscc for e in plan.enterprises if e.town == "pujiang" and e.is_biomedical}


def test_the_same_seed_gives_the_same_plan(plan):
    again = build_plan()
    assert again.enterprises == plan.enterprises
    assert again.reports == plan.reports
    assert again.certifications == plan.certifications


def test_another_seed_keeps_the_usccs_and_the_calibrated_total_but_not_the_rest(plan):
    other = build_plan(seed=7)
    assert [e.uscc for e in other.enterprises] == [e.uscc for e in plan.enterprises]
    assert [e.name for e in other.enterprises] != [e.name for e in plan.enterprises]
    wanted = pujiang_biomedical(other)
    assert sum(r.revenue for r in other.reports if r.year == 2023 and r.uscc in wanted) == REVENUE_TARGET


def test_every_uscc_is_valid_and_unique(plan):
    codes = [e.uscc for e in plan.enterprises]
    assert len(set(codes)) == len(codes)
    assert all(uscc.is_valid(code) for code in codes)


def test_names_are_unique(plan):
    names = [e.name for e in plan.enterprises]
    assert len(set(names)) == len(names)


def test_pujiang_2023_revenue_is_exactly_54_yi(plan):
    wanted = pujiang_biomedical(plan)
    total = sum(r.revenue for r in plan.reports if r.year == 2023 and r.uscc in wanted and r.status == "approved")
    assert total == Decimal("5400000000.00")


def test_money_is_decimal_with_two_places_and_staff_figures_are_consistent(plan):
    for r in plan.reports:
        for amount in (r.revenue, r.tax, r.rd_spend):
            assert isinstance(amount, Decimal) and amount.as_tuple().exponent == -2 and amount >= 0
        assert 0 <= r.rd_staff <= r.employees and r.employees > 0


def test_only_fictional_enterprises_have_reports_and_each_from_its_founding_year(plan):
    by_uscc = {e.uscc: e for e in plan.enterprises}
    named = {e.uscc for e in plan.enterprises if not e.is_demo}
    assert len(named) == 3
    assert not named & {r.uscc for r in plan.reports}
    assert not named & {c.uscc for c in plan.certifications}
    years = Counter(r.uscc for r in plan.reports)
    for code, n in years.items():
        founded = by_uscc[code].founded_date.year
        assert n == 2024 - max(founded, 2019) + 1


def test_2024_reports_leave_work_for_the_reviewers(plan):
    pujiang = {e.uscc for e in plan.enterprises if e.town == "pujiang"}
    statuses = Counter(r.status for r in plan.reports if r.year == 2024 and r.uscc in pujiang)
    assert statuses["submitted"] == 15  # 14 generated + the showcase enterprise's, filed by the story
    assert statuses["returned"] == 3
    assert statuses["draft"] == 5
    returned = [r for r in plan.reports if r.status == "returned"]
    assert all(r.review_comment for r in returned)
    assert all(r.status == "approved" for r in plan.reports if r.year < 2024)


def test_key_enterprise_counts_match_the_report(plan):
    by_uscc = {e.uscc: e for e in plan.enterprises}
    keys = [
        by_uscc[c.uscc]
        for c in plan.certifications
        if c.type == "chunshen-key" and c.year == 2023 and by_uscc[c.uscc].town == "pujiang"
    ]
    assert len(keys) == 154
    assert sum(e.is_biomedical for e in keys) == 47
    assert all(e.exists_in(2023) for e in keys)


def test_chain_nodes_are_consistent_with_the_cluster(plan):
    for e in plan.enterprises:
        if not e.is_biomedical:
            assert e.cluster is None and not e.chain_nodes and not e.is_gene_related
            continue
        allowed = {node for a in BIOMEDICAL_ARCHETYPES[e.cluster] for node in a.chain_nodes}
        assert e.chain_nodes and set(e.chain_nodes) <= allowed


def test_certifications_have_an_order_of_dates(plan):
    for c in plan.certifications:
        assert c.valid_from_date is not None
        assert c.valid_until_date is None or c.valid_until_date >= c.valid_from_date
    quality = [c for c in plan.certifications if c.type == "quality-biomed"]
    assert quality and all(str(c.valid_from_date) == "2024-05-20" and c.year == 2024 for c in quality)


@pytest.mark.parametrize("scale", [0.05, 0.2])
def test_a_smaller_demo_keeps_the_calibrated_revenue(scale):
    small = build_plan(scale=scale)
    wanted = pujiang_biomedical(small)
    assert len(small.enterprises) < 400
    assert sum(r.revenue for r in small.reports if r.year == 2023 and r.uscc in wanted) == REVENUE_TARGET
