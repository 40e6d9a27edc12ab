"""The chain map pages: the map with its data island, a node's enterprises in scope, editing the graph,
the gap analysis page and its export — who may do what, and what each shows."""

import json
import re
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sanlian.chain.models import ChainEdge
from sanlian.chain.services.edges import edge_add, edge_remove
from sanlian.core.models import AuditEvent
from sanlian.enterprises.models import ChainNode
from tests import factories
from tests.dashboard.conftest import approved_report
from tests.downloads import assert_safe_download
from tests.xlsx import xlsx_rows

NOW = timezone.make_aware(datetime(2024, 6, 3, 10, 0))
MAP = reverse("chain:map")
EDGES = reverse("chain:edges")
GAPS = reverse("chain:gaps")
EXPORT = reverse("chain:gaps-export")


def node_url(code: str) -> str:
    return reverse("chain:node", args=[code])


def island(response) -> dict:
    match = re.search(
        r'<script id="chain-map-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "the page carries its data island"
    return json.loads(match.group(1))


@pytest.fixture
def registry(db):
    """Two device makers in 浦江镇, one in 莘庄镇, and a 浦江 reagent maker (U2)."""
    admin = factories.superuser()
    return {
        "pj_a": factories.enterprise(actor=admin, name="浦江甲器械有限公司", chain_nodes=("M5",)),
        "pj_b": factories.enterprise(actor=admin, name="浦江乙器械有限公司", chain_nodes=("M5", "U4")),
        "pj_reagents": factories.enterprise(actor=admin, name="浦江丙试剂有限公司", chain_nodes=("U2",)),
        "xz": factories.enterprise("xinzhuang", actor=admin, name="莘庄丁器械有限公司", chain_nodes=("M5",)),
    }


# The map ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_map_renders_its_data_island_with_the_towns_figures_and_the_districts(client, registry, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.get(MAP)

    assert response.status_code == 200
    data = island(response)
    nodes = {n["code"]: n for n in data["nodes"]}
    assert len(nodes) == ChainNode.objects.count()
    assert (nodes["M5"]["enterprises"], nodes["M5"]["district_enterprises"]) == (2, 3)
    assert nodes["M5"]["url"] == f"{node_url('M5')}?scope=pujiang"
    assert nodes["M5"]["class"] in {"strong", "fill", "extend", "steady"}
    assert {"source": "U4", "target": "M5", "note": "医用材料与零部件"} in data["edges"]
    assert data["money"] is True and data["size"] == "enterprises"
    content = response.content.decode()
    assert 'id="chain-map"' in content and 'role="img"' in content
    assert "js/chain-map.js" in content and "<script>" not in content  # no inline script under the CSP
    assert '<th scope="row"><a href="/chain/nodes/M5/?scope=pujiang">M5' in content  # the screen-reader table


@pytest.mark.django_db
def test_the_size_toggle_chooses_revenue(client, registry, pujiang_officer):
    client.force_login(pujiang_officer)

    data = island(client.get(MAP, {"size": "revenue"}))

    assert data["size"] == "revenue"


@pytest.mark.django_db
def test_signed_cooperation_is_drawn_as_a_link_between_the_two_enterprises(client, registry, pujiang_officer):
    from sanlian.chain.services import interests, postings

    maker, reagents = registry["pj_a"], registry["pj_reagents"]
    seller = factories.enterprise_user(reagents)
    offer = postings.posting_create(
        actor=seller,
        enterprise=reagents,
        data={
            "kind": "business_offer",
            "title": "供应体外诊断试剂原料",
            "description": "提供体外诊断试剂用抗原抗体原料,可按客户需求定制,支持小批量试产。",
            "nodes": ["U2"],
        },
        now=NOW,
    )
    postings.posting_submit(actor=seller, posting=offer, now=NOW)
    postings.posting_review(actor=pujiang_officer, posting=offer, action="publish", now=NOW)
    interest = interests.interest_express(actor=factories.enterprise_user(maker), posting=offer, now=NOW)
    interests.interest_broker(actor=pujiang_officer, interest=interest, action="introduce", now=NOW)
    interests.interest_broker(
        actor=pujiang_officer, interest=interest, action="signed", signed_date=NOW.date(), amount="300000", now=NOW
    )
    client.force_login(pujiang_officer)

    response = client.get(MAP)

    links = island(response)["links"]
    assert links == [
        {
            "supplier": {"id": reagents.pk, "name": "浦江丙试剂有限公司", "node": "U2"},
            "customer": {"id": maker.pk, "name": "浦江甲器械有限公司", "node": "M5"},
            "title": "供应体外诊断试剂原料",
            "amount_yuan": "300000.00",
            "signed_date": "2024-06-03",
            "signed_day": "2024年6月3日",
        }
    ]
    assert "已签约的上下游合作" in response.content.decode()
    assert response.context["links_total"] == 1


@pytest.mark.django_db
def test_a_district_officer_chooses_the_district_or_one_of_its_towns(client, registry, district_officer):
    client.force_login(district_officer)

    whole = island(client.get(MAP))
    town = island(client.get(MAP, {"scope": "xinzhuang"}))

    assert {n["code"]: n["enterprises"] for n in whole["nodes"]}["M5"] == 3
    assert {n["code"]: n["enterprises"] for n in town["nodes"]}["M5"] == 1


@pytest.mark.django_db
def test_a_town_officer_cannot_open_another_towns_map(client, registry, pujiang_officer):
    client.force_login(pujiang_officer)

    assert client.get(MAP, {"scope": "xinzhuang"}).status_code == 404
    assert client.get(MAP, {"scope": "minhang"}).status_code == 404
    assert client.get(MAP, {"scope": "no-such-town"}).status_code == 404


@pytest.mark.django_db
def test_an_enterprise_user_sees_counts_of_its_town_but_no_revenue(client, registry):
    user = factories.enterprise_user(registry["pj_a"])
    client.force_login(user)

    response = client.get(MAP, {"size": "revenue"})

    data = island(response)
    assert response.context["region"].code == "pujiang"
    assert data["money"] is False and data["size"] == "enterprises"
    assert all(n["revenue_yuan"] is None and n["score"] is None for n in data["nodes"])
    assert "缺口分析与招商目标" not in response.content.decode()


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, registry):
    response = client.get(MAP)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={MAP}"


# A node's page ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_node_page_lists_the_nodes_enterprises_in_scope_only(client, registry, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.get(node_url("M5"))

    assert response.status_code == 200
    names = [row["enterprise"].name for row in response.context["rows"]]
    assert names == ["浦江乙器械有限公司", "浦江甲器械有限公司"]  # directory order: by name
    assert "莘庄丁器械有限公司" not in response.content.decode()  # another town
    assert "浦江丙试剂有限公司" not in response.content.decode()  # another node
    suppliers = {item["node"].code for item in response.context["suppliers"]}
    customers = {item["node"].code for item in response.context["customers"]}
    assert {"U4", "U5", "S1"} <= suppliers
    assert {"D1", "D2", "D3"} == customers


@pytest.mark.django_db
def test_a_district_officer_narrows_the_node_page_to_a_town(client, registry, district_officer):
    client.force_login(district_officer)

    town = client.get(node_url("M5"), {"scope": "xinzhuang"})
    whole = client.get(node_url("M5"), {"scope": "minhang"})

    assert [row["enterprise"].name for row in town.context["rows"]] == ["莘庄丁器械有限公司"]
    assert len(whole.context["rows"]) == 3


@pytest.mark.django_db
def test_the_node_page_is_paginated(client, pujiang_officer):
    admin = factories.superuser()
    for i in range(27):
        factories.enterprise(actor=admin, name=f"浦江分页{i:02d}有限公司", chain_nodes=("M6",))
    client.force_login(pujiang_officer)

    first = client.get(node_url("M6"))
    second = client.get(node_url("M6"), {"page": 2})

    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 2
    assert 'href="?scope=pujiang&amp;page=2"' in first.content.decode()


@pytest.mark.django_db
def test_an_unknown_node_is_not_found(client, pujiang_officer):
    client.force_login(pujiang_officer)

    assert client.get(node_url("X9")).status_code == 404


# Editing the graph -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_officer_adds_an_edge_and_the_audit_trail_records_it(client, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.post(EDGES, {"action": "add", "supplier": "M6", "customer": "D1", "note": "基因检测产品流通"})

    assert response.status_code == 302
    edge = ChainEdge.objects.get(supplier__code="M6", customer__code="D1")
    assert edge.note == "基因检测产品流通"
    event = AuditEvent.objects.get(action="chain_edge.create", target_id=str(edge.pk))
    assert event.actor == pujiang_officer
    assert event.changes["supplier"] == [None, "M6"]


@pytest.mark.django_db
def test_a_loop_is_refused_with_its_reason_and_nothing_is_saved(client, pujiang_officer):
    client.force_login(pujiang_officer)
    before = ChainEdge.objects.count()

    response = client.post(EDGES, {"action": "add", "supplier": "M5", "customer": "M5", "note": ""})

    assert response.status_code == 400
    assert "供给环节与需求环节不能相同" in response.content.decode()
    assert ChainEdge.objects.count() == before


@pytest.mark.django_db
def test_a_duplicate_edge_is_refused_with_its_reason_and_nothing_is_saved(client, pujiang_officer):
    client.force_login(pujiang_officer)
    before = ChainEdge.objects.count()

    response = client.post(EDGES, {"action": "add", "supplier": "U4", "customer": "M5", "note": "重复"})

    assert response.status_code == 400
    assert "U4 → M5 的关系已存在" in response.content.decode()
    assert ChainEdge.objects.count() == before
    assert ChainEdge.objects.get(supplier__code="U4", customer__code="M5").note == "医用材料与零部件"


@pytest.mark.django_db
def test_an_unknown_node_code_is_refused_by_the_form(client, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.post(EDGES, {"action": "add", "supplier": "Z1", "customer": "M5"})

    assert response.status_code == 400
    assert response.context["form"].errors["supplier"]


@pytest.mark.django_db
def test_an_officer_removes_an_edge(client, pujiang_officer):
    client.force_login(pujiang_officer)
    edge = ChainEdge.objects.get(supplier__code="S6", customer__code="M3")

    response = client.post(EDGES, {"action": "remove", "edge": edge.pk})

    assert response.status_code == 302
    assert not ChainEdge.objects.filter(pk=edge.pk).exists()
    assert AuditEvent.objects.get(action="chain_edge.delete").changes["supplier"] == ["S6", None]


@pytest.mark.django_db
def test_enterprise_users_may_neither_see_nor_change_the_edges(client, enterprise_admin):
    client.force_login(enterprise_admin)
    before = ChainEdge.objects.count()
    edge = ChainEdge.objects.first()

    assert client.get(EDGES).status_code == 403
    assert client.post(EDGES, {"action": "add", "supplier": "M6", "customer": "D1"}).status_code == 403
    assert client.post(EDGES, {"action": "remove", "edge": edge.pk}).status_code == 403
    assert ChainEdge.objects.count() == before


@pytest.mark.django_db
def test_the_edge_services_refuse_loops_duplicates_and_enterprise_users(pujiang_officer, enterprise_admin):
    m5, d1 = ChainNode.objects.get(code="M5"), ChainNode.objects.get(code="D1")

    with pytest.raises(ValidationError) as loop:
        edge_add(actor=pujiang_officer, supplier=m5, customer=m5, note="", now=NOW)
    with pytest.raises(ValidationError) as duplicate:
        edge_add(actor=pujiang_officer, supplier="m5", customer="D1", note="", now=NOW)
    with pytest.raises(ValidationError) as unknown:
        edge_add(actor=pujiang_officer, supplier="Q7", customer=d1, note="", now=NOW)
    with pytest.raises(ValidationError) as long_note:
        edge_add(actor=pujiang_officer, supplier="M6", customer=d1, note="长" * 201, now=NOW)
    with pytest.raises(PermissionDenied):
        edge_add(actor=enterprise_admin, supplier="M6", customer=d1, note="", now=NOW)
    with pytest.raises(PermissionDenied):
        edge_remove(actor=enterprise_admin, edge=ChainEdge.objects.get(supplier=m5, customer=d1), now=NOW)

    assert loop.value.message_dict == {"customer": ["供给环节与需求环节不能相同"]}
    assert duplicate.value.message_dict == {"customer": ["M5 → D1 的关系已存在"]}
    assert unknown.value.message_dict == {"supplier": ["未知的产业链环节:Q7"]}
    assert list(long_note.value.message_dict) == ["note"]
    assert not ChainEdge.objects.filter(supplier__code="M6", customer=d1).exists()


# The gap analysis page and its export ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_gap_page_explains_every_node_and_lists_the_targets(client, registry, pujiang_officer):
    for maker in (registry["pj_a"], registry["pj_b"]):
        approved_report(maker, 2023, "80000000.00", officer=pujiang_officer, employees=120)
    client.force_login(pujiang_officer)

    response = client.get(GAPS)

    assert response.status_code == 200
    content = response.content.decode()
    analysis = response.context["analysis"]
    assert len(analysis.nodes) == ChainNode.objects.count()
    s1 = analysis.by_code()["S1"]
    assert s1.klass == "fill"  # GMP space: device makers need it, 浦江镇 has none
    assert s1 in analysis.targets and s1.score.score == analysis.targets[0].score.score  # among the first
    assert "需求方(下游 M1 0 家、M3 0 家、M5 2 家,营收合计 1.6亿元)强" in content
    assert "浦江镇暂无本环节企业" in content
    assert 'id="node-S1"' in content
    assert "评分规则" in content and "0.25" in content  # the weights are on the page


@pytest.mark.django_db
def test_enterprise_users_are_refused_the_gap_analysis_and_its_export(client, enterprise_admin):
    client.force_login(enterprise_admin)

    assert client.get(GAPS).status_code == 403
    assert client.get(EXPORT).status_code == 403


@pytest.mark.django_db
def test_the_export_is_a_workbook_of_the_targets_in_scope(client, registry, district_officer):
    client.force_login(district_officer)

    response = client.get(EXPORT, {"scope": "pujiang"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="chain-targets-pujiang.xlsx"'
    assert_safe_download(response)
    rows = xlsx_rows(response)
    assert rows[0][:5] == ("排名", "代码", "产业链环节", "类型", "缺口评分")
    assert [row[0] for row in rows[1:]] == list(range(1, len(rows)))
    assert {row[3] for row in rows[1:]} <= {"补链", "延链"}


@pytest.mark.django_db
def test_a_town_officer_cannot_export_another_towns_targets(client, registry, xinzhuang_officer):
    client.force_login(xinzhuang_officer)

    assert client.get(EXPORT, {"scope": "pujiang"}).status_code == 404


@pytest.mark.django_db
def test_the_map_and_node_page_cost_the_same_queries_with_ten_times_the_enterprises(client, pujiang_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = factories.superuser()

    def add(n):
        for _ in range(n):
            maker = factories.enterprise(actor=admin, chain_nodes=("M5", "U4"))
            approved_report(maker, 2023, "1000000.00", officer=pujiang_officer, author=admin)

    def cost():
        counts = []
        for url in (MAP, node_url("M5"), GAPS):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    client.force_login(pujiang_officer)
    add(3)
    few = cost()
    add(27)

    assert cost() == few
