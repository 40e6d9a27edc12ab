"""The chain-gap analysis: the pure scoring on hand-made numbers, the classification rules, the analysis
over registry and posting data made through the services, and the .xlsx target list."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sanlian.chain import gaps
from sanlian.chain.gaps import (
    EXTEND,
    FILL,
    STEADY,
    STRONG,
    HalfPoints,
    NodeNumbers,
    classify,
    classify_all,
    gap_analysis,
    gap_score,
    half_points,
    rank_targets,
    saturation,
    targets_workbook,
)
from sanlian.chain.services import postings
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import ChainNode, Region
from tests import factories
from tests.dashboard.conftest import approved_report

NOW = timezone.make_aware(datetime(2024, 6, 3, 10, 0))
TODAY = date(2024, 6, 3)
HALF = HalfPoints(enterprises=10, revenue=100_000_000, staff=100)


# The pure scoring ----------------------------------------------------------------------------------


def test_saturation_is_a_half_at_the_half_point_and_nothing_at_zero():
    assert saturation(0, 10) == 0
    assert saturation(10, 10) == 0.5
    assert saturation(30, 10) == 0.75
    assert saturation(5, 0) == 1.0


def test_a_node_with_demand_and_no_supply_scores_its_whole_demand():
    numbers = NodeNumbers(customer_enterprises=10, customer_revenue=100_000_000, open_requests=2, unmet_requests=1)

    score = gap_score(numbers, HALF)

    # every demand term sits at its half-point: D = 0.5 × (0.25 + 0.15 + 0.3 + 0.3) = 0.5; S = 0
    assert score.demand == pytest.approx(0.5)
    assert score.supply == 0
    assert score.score == 50


def test_local_supply_at_the_average_halves_the_gap():
    numbers = NodeNumbers(
        enterprises=10,
        revenue=100_000_000,
        staff=100,
        customer_enterprises=10,
        customer_revenue=100_000_000,
        open_requests=2,
        unmet_requests=1,
    )

    score = gap_score(numbers, HALF)

    assert score.supply == pytest.approx(0.5)
    assert score.score == 25  # 100 × 0.5 × (1 − 0.5)


def test_the_score_carries_every_term_with_its_weight_and_contribution():
    score = gap_score(NodeNumbers(enterprises=30, unmet_requests=3), HALF)

    terms = {t.key: t for t in score.terms}
    assert set(terms) == {*gaps.SUPPLY_WEIGHTS, *gaps.DEMAND_WEIGHTS}
    assert terms["enterprises"].weight == 0.5
    assert terms["enterprises"].level == pytest.approx(0.75)
    assert terms["unmet_requests"].contribution == pytest.approx(0.3 * 0.75)
    assert sum(w for w in gaps.SUPPLY_WEIGHTS.values()) == pytest.approx(1)
    assert sum(w for w in gaps.DEMAND_WEIGHTS.values()) == pytest.approx(1)


def test_half_points_are_the_average_node_and_never_zero():
    rows = [NodeNumbers(enterprises=30, revenue=600, staff=90), NodeNumbers(), NodeNumbers()]

    assert half_points(rows) == HalfPoints(enterprises=10, revenue=200, staff=30)
    assert half_points([NodeNumbers()]) == HalfPoints(enterprises=1, revenue=1, staff=1)


# Classification ------------------------------------------------------------------------------------


def test_a_node_with_average_supply_is_strong_whatever_its_demand():
    score = gap_score(NodeNumbers(enterprises=10, revenue=100_000_000, staff=100, unmet_requests=9), HALF)

    assert classify(score, adjacent_strong=False) == STRONG


def test_demand_meeting_weak_supply_is_a_link_to_fill():
    score = gap_score(NodeNumbers(enterprises=1, customer_enterprises=40, customer_revenue=4e8, unmet_requests=2), HALF)

    assert score.score >= gaps.FILL_SCORE
    assert classify(score, adjacent_strong=False) == FILL


def test_an_empty_node_next_to_a_strong_one_is_a_link_to_extend_and_otherwise_steady():
    score = gap_score(NodeNumbers(enterprises=1), HALF)

    assert classify(score, adjacent_strong=True) == EXTEND
    assert classify(score, adjacent_strong=False) == STEADY


def test_middling_supply_without_demand_is_steady_even_next_to_a_strong_node():
    score = gap_score(NodeNumbers(enterprises=6, revenue=50_000_000, staff=60), HALF)

    assert gaps.WEAK_SUPPLY <= score.supply < gaps.STRONG_SUPPLY
    assert classify(score, adjacent_strong=True) == STEADY


def test_adjacency_counts_both_directions_of_an_edge():
    scores = {
        "hub": gap_score(NodeNumbers(enterprises=50, revenue=5e8, staff=500), HALF),
        "upstream": gap_score(NodeNumbers(), HALF),
        "downstream": gap_score(NodeNumbers(), HALF),
        "far": gap_score(NodeNumbers(), HALF),
    }

    classes = classify_all(scores, [("upstream", "hub"), ("hub", "downstream"), ("far", "upstream")])

    assert classes == {"hub": STRONG, "upstream": EXTEND, "downstream": EXTEND, "far": STEADY}


def test_targets_rank_by_score_then_fill_before_extend_and_leave_the_rest_out():
    items = [
        ("a", EXTEND, 30, 1),
        ("b", FILL, 30, 2),
        ("c", FILL, 45, 3),
        ("d", STRONG, 90, 4),
        ("e", STEADY, 10, 5),
    ]

    assert [key for key, *_ in rank_targets(items)] == ["c", "b", "a"]


# The analysis over the database ----------------------------------------------------------------------


def _request(enterprise, *, node: str, title: str, description: str, budget=None):
    """A business request written by the enterprise and published by an officer of its town."""
    author = factories.enterprise_user(enterprise)
    officer = factories.officer(enterprise.town.code)
    data = {"kind": "business_request", "title": title, "description": description, "nodes": [node]}
    if budget is not None:
        data["budget"] = budget
    posting = postings.posting_create(actor=author, enterprise=enterprise, data=data, now=NOW)
    postings.posting_submit(actor=author, posting=posting, now=NOW)
    return postings.posting_review(actor=officer, posting=posting, action="publish", now=NOW), author


@pytest.fixture
def device_cluster(pujiang_officer):
    """浦江镇: three device makers (M5) with reports and one distributor (D1); no component maker (U4).

    Two device makers ask for components (U4): one request is still open and names ISO 13485, the other
    was closed without a local partner. 莘庄镇 has a component maker, which 浦江镇 does not count.
    """
    admin = factories.superuser()
    makers = [factories.enterprise(actor=admin, chain_nodes=("M5",), name=f"浦江器械{i}有限公司") for i in range(3)]
    for i, maker in enumerate(makers):
        approved_report(
            maker, 2023, f"{(i + 1) * 100_000_000}.00", officer=pujiang_officer, author=admin, employees=100
        )
    factories.enterprise(actor=admin, chain_nodes=("D1",), name="浦江医药流通有限公司")
    factories.enterprise("xinzhuang", actor=admin, chain_nodes=("U4",), name="莘庄精密部件有限公司")
    _request(
        makers[0],
        node="U4",
        title="采购导管精密部件",
        description="需要符合 ISO 13485 体系的导管精密注塑部件供应商,年用量约十万件,要求稳定交付。",
        budget="500000",
    )
    closed, author = _request(
        makers[1],
        node="U4",
        title="寻找传感器组件伙伴",
        description="寻找本地医用传感器组件供应商,需具备医疗器械质量管理体系,可提供小批量试制。",
    )
    postings.posting_close(actor=author, posting=closed, no_local_partner=True, now=NOW)
    return makers


@pytest.mark.django_db
def test_the_component_link_comes_out_as_a_link_to_fill_with_its_reasons(device_cluster):
    analysis = gap_analysis(region=Region.objects.get(code="pujiang"), today=TODAY)

    u4 = analysis.by_code()["U4"]
    assert u4.klass == FILL
    assert u4.supply.enterprises == 0  # 莘庄镇's component maker is not local to 浦江镇
    assert (u4.demand.open_requests, u4.demand.unmet_requests) == (1, 1)
    assert u4.numbers.customer_enterprises == 3
    assert u4.numbers.customer_revenue == 600_000_000
    assert u4.reasons == [
        "需求方(下游 M5 3 家,营收合计 6.0亿元)强",
        "浦江镇暂无本环节企业",
        "1 条需求在征集(预算合计 50万元)",
        "1 条需求未找到本地伙伴",
    ]
    assert u4.class_rule == f"供给指数 0.00 < 0.5,缺口评分 {u4.score.score} ≥ 20"


@pytest.mark.django_db
def test_the_device_link_is_strong_and_the_target_list_starts_with_the_gap(device_cluster):
    analysis = gap_analysis(region=Region.objects.get(code="pujiang"), today=TODAY)

    assert analysis.by_code()["M5"].klass == STRONG
    first = analysis.targets[0]
    assert (first.rank, first.node.code) == (1, "U4")
    assert all(t.klass in (FILL, EXTEND) for t in analysis.targets)
    assert [t.score.score for t in analysis.targets] == sorted((t.score.score for t in analysis.targets), reverse=True)


@pytest.mark.django_db
def test_the_profile_wanted_names_products_asked_certifications_and_a_size_from_the_customers(device_cluster):
    analysis = gap_analysis(region=Region.objects.get(code="pujiang"), today=TODAY)

    profile = analysis.by_code()["U4"].profile
    assert profile.products == "医用材料与零部件"  # what its edge to M5 says it supplies
    assert profile.certifications == ["ISO 13485 医疗器械质量管理体系"]
    assert profile.certifications_source == "requests"
    assert profile.avg_revenue == Decimal("200000000")  # (1 + 2 + 3)亿元 over 3 reporting customers
    assert profile.avg_staff == 100
    assert "2.0亿元" in profile.size


@pytest.mark.django_db
def test_an_expired_request_is_no_longer_open_demand(device_cluster):
    later = date(2024, 12, 31)  # after the open request's 90 days

    u4 = gap_analysis(region=Region.objects.get(code="pujiang"), today=later).by_code()["U4"]

    assert u4.demand.open_requests == 0
    assert u4.demand.unmet_requests == 1


@pytest.mark.django_db
def test_the_district_counts_every_town_and_a_town_is_compared_with_its_district(device_cluster):
    district = gap_analysis(region=Region.objects.get(code="minhang"), today=TODAY)
    town = gap_analysis(region=Region.objects.get(code="pujiang"), today=TODAY)

    assert district.by_code()["U4"].supply.enterprises == 1
    assert district.comparison_region is None
    assert town.comparison_region.code == "minhang"
    assert town.by_code()["U4"].comparison.enterprises == 1


@pytest.mark.django_db
def test_the_analysis_reads_the_database_a_fixed_handful_of_times(device_cluster, django_assert_max_num_queries):
    region = Region.objects.get(code="pujiang")

    with django_assert_max_num_queries(12):
        analysis = gap_analysis(region=region, today=TODAY)

    assert len(analysis.nodes) == ChainNode.objects.count()


# The workbook ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_target_list_exports_with_formulas_neutralised(device_cluster, pujiang_officer):
    registry.chain_node_update(
        actor=pujiang_officer,
        node=ChainNode.objects.get(code="U4"),
        data={"description": '=HYPERLINK("http://evil.example","导管部件")'},
    )
    analysis = gap_analysis(region=Region.objects.get(code="pujiang"), today=TODAY)

    book = load_workbook(BytesIO(targets_workbook(analysis)))

    targets = book.worksheets[0]
    header = [c.value for c in targets[1]]
    first = dict(zip(header, [c.value for c in targets[2]], strict=True))
    assert first["代码"] == "U4"
    assert first["类型"] == "补链"
    assert first["目标企业:产品与服务"] == '\'=HYPERLINK("http://evil.example","导管部件")'
    assert targets["G2"].data_type == "s"  # stored as text, never as a formula
    assert "1 条需求未找到本地伙伴" in first["为什么"]
    nodes = book.worksheets[1]
    assert nodes.max_row == ChainNode.objects.count() + 1
