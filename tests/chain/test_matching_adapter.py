"""The matcher fed from the database (sanlian.chain.matching): real enterprises, certifications and postings
made through the services, partners proposed with localised reasons."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from sanlian.chain import matching
from sanlian.engines.matching import Reason
from sanlian.enterprises import services as enterprise_services
from sanlian.enterprises.models import CertificationType, Park
from tests import factories

from .test_postings import NOW, published

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _fresh_index():
    matching.clear_cache()
    translation.activate("zh-hans")
    yield
    matching.clear_cache()


def enterprise(town="pujiang", nodes=("M1",), park="", description="", **data):
    if park:
        data["park"] = Park.objects.get(code=park)
    return factories.enterprise(town, chain_nodes=nodes, description=description, **data)


def certify(firm, code, *, until=None):
    enterprise_services.certification_add(
        actor=factories.superuser(),
        enterprise=firm,
        data={"type": CertificationType.objects.get(code=code), "year": 2024, "valid_until_date": until},
    )


def offer(firm, title, description, nodes, **kw):
    return published(firm, kind="business_offer", title=title, description=description, nodes=list(nodes), **kw)


def request(firm, title, description, nodes, **kw):
    return published(firm, kind="business_request", title=title, description=description, nodes=list(nodes), **kw)


@pytest.fixture
def world():
    """An antibody maker in 临港浦江国际科技城 asks for fill-finish; who in 闵行 can do it?"""
    buyer = enterprise(nodes=("M3",), park="lingang-pujiang", description="单克隆抗体药物研发与生产")
    cdmo = enterprise(
        nodes=("M1",), park="lingang-pujiang", description="生物药CDMO,拥有GMP车间,提供无菌灌装与冻干服务"
    )
    certify(cdmo, "gmp")
    far_cdmo = enterprise("qibao", nodes=("M1",), description="无菌灌装与冻干委托生产服务")
    rival = enterprise("xinzhuang", nodes=("M3",), description="抗体药物企业,自有灌装线")
    dealer = enterprise("xinzhuang", nodes=("D1",), description="医药流通企业,经营抗体药物")
    need = request(
        buyer,
        "寻找抗体药物无菌灌装合作伙伴",
        "我司单抗药物进入临床阶段,需要无菌灌装与冻干委托服务,要求具备GMP资质,每年约20批。",
        ["M3"],
    )
    own_offer = offer(buyer, "提供抗体灌装产能", "我司GMP车间有富余的无菌灌装与冻干产能,可承接外部委托。", ["M3"])
    cdmo_offer = offer(
        cdmo, "无菌灌装与冻干CDMO服务", "提供抗体、疫苗等生物药的无菌灌装与冻干委托生产,GMP车间。", ["M1"]
    )
    return {
        "buyer": buyer,
        "cdmo": cdmo,
        "far_cdmo": far_cdmo,
        "rival": rival,
        "dealer": dealer,
        "need": need,
        "own_offer": own_offer,
        "cdmo_offer": cdmo_offer,
    }


def test_a_request_is_matched_first_with_the_local_certified_upstream_offer(world):
    rows = matching.matches_for_posting(world["need"], as_of=TODAY)

    first = rows[0]
    assert first["enterprise"] == world["cdmo"] and first["posting"] == world["cdmo_offer"]
    assert first["score"] >= rows[-1]["score"]
    proposed = [row["enterprise"] for row in rows]
    assert world["far_cdmo"] in proposed


def test_a_posting_is_never_matched_with_its_own_enterprise(world):
    rows = matching.matches_for_posting(world["need"], as_of=TODAY)

    assert all(row["enterprise"] != world["buyer"] for row in rows)
    assert all(row["posting"] != world["own_offer"] for row in rows)


def test_an_enterprise_is_proposed_once_with_its_best_match(world):
    rows = matching.matches_for_posting(world["need"], as_of=TODAY)

    enterprises = [row["enterprise"] for row in rows]
    assert len(enterprises) == len(set(enterprises)) == 4  # cdmo (its offer), far_cdmo, rival, dealer
    assert rows[0]["posting"] == world["cdmo_offer"]


def test_the_reasons_are_localised_sentences(world):
    rows = matching.matches_for_posting(world["need"], as_of=TODAY)

    reasons = rows[0]["reasons"]
    assert any(r.startswith("文本相关:") and "灌装" in r for r in reasons)
    assert "上游环节 M1 供给 M3" in reasons
    assert "同一园区:临港浦江国际科技城" in reasons
    assert "持有 GMP" in reasons
    assert "今日更新" in reasons
    assert [r.code for r in rows[0]["reason_codes"]][:2] == ["text", "upstream"]


def test_an_offer_is_matched_with_requests_downstream_not_with_enterprise_profiles(world):
    rows = matching.matches_for_posting(world["cdmo_offer"], as_of=TODAY)

    assert [row["posting"] for row in rows] == [world["need"]]
    assert "下游环节 M3 采购 M1" in rows[0]["reasons"]


def test_expired_postings_and_certifications_are_left_out(world):
    certify(world["far_cdmo"], "gmp", until=TODAY + timedelta(days=30))

    def far_reasons(as_of):
        rows = matching.matches_for_posting(world["need"], as_of=as_of)
        return next(row["reasons"] for row in rows if row["enterprise"] == world["far_cdmo"])

    assert "持有 GMP" in far_reasons(TODAY)
    assert not any(r.startswith("持有") for r in far_reasons(TODAY + timedelta(days=40)))
    assert matching.matches_for_posting(world["cdmo_offer"], as_of=TODAY + timedelta(days=100)) == []  # 90 days


def test_a_certification_past_its_validity_no_longer_counts(world):
    certify(world["far_cdmo"], "gmp", until=TODAY - timedelta(days=1))

    rows = {row["enterprise"]: row for row in matching.matches_for_posting(world["need"], as_of=TODAY)}

    assert not any(r.startswith("持有") for r in rows[world["far_cdmo"]]["reasons"])
    assert "持有 GMP" in rows[world["cdmo"]]["reasons"]


def test_a_new_offer_is_found_without_restarting(world):
    before = matching.matches_for_posting(world["need"], as_of=TODAY)
    newcomer = enterprise("pujiang", nodes=("M1",), description="")
    fresh = offer(
        newcomer, "冻干粉针无菌灌装代工", "承接抗体药物无菌灌装、冻干粉针代工,具备GMP车间与质量体系。", ["M1"]
    )

    after = matching.matches_for_posting(world["need"], as_of=TODAY)

    assert fresh not in [row["posting"] for row in before]
    assert fresh in [row["posting"] for row in after]


def test_the_index_is_reused_while_nothing_changes(world, django_assert_max_num_queries):
    matching.matches_for_posting(world["need"], as_of=TODAY)
    built = matching.matching_index(as_of=TODAY)

    with django_assert_max_num_queries(8):
        matching.matches_for_posting(world["need"], as_of=TODAY)
    assert matching.matching_index(as_of=TODAY) is built


def test_traditional_characters_and_full_width_text_are_matched(world):
    taiwan = enterprise("pujiang", nodes=("M1",), description="")
    trad = offer(taiwan, "無菌灌裝與凍乾服務", "提供ＧＭＰ車間內的無菌灌裝、凍乾委託生產（抗體、疫苗）。", ["M1"])

    rows = matching.matches_for_posting(world["need"], as_of=TODAY)

    row = next(row for row in rows if row["posting"] == trad)
    assert any("灌装" in r for r in row["reasons"])


def test_the_partial_lists_the_matches_with_their_reasons(world):
    rows = matching.matches_for_posting(world["need"], as_of=TODAY)

    html = render_to_string("chain/_matches.html", {"matches": rows})

    assert "推荐对接伙伴" in html and world["cdmo"].name in html
    assert "上游环节 M1 供给 M3" in html and '<th scope="col">' in html
    assert "暂无推荐" in render_to_string("chain/_matches.html", {"matches": []})


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (Reason("text", {"terms": ["灌装", "GMP"]}), "文本相关:灌装、GMP"),
        (Reason("upstream", {"node": "U1", "for": "M2"}), "上游环节 U1 供给 M2"),
        (Reason("same_node", {"node": "M5"}), "同处 M5 环节"),
        (Reason("same_town", {"town": "pujiang"}), "同一镇/街道:浦江镇"),
        (Reason("same_district", {"district": "minhang"}), "同一区:闵行区"),
        (
            Reason("certification", {"codes": ["gmp", "iso13485", "device-license"]}),
            "持有 GMP、ISO 13485、医疗器械生产许可证",
        ),
        (Reason("fresh", {"days": 3}), "3 天前更新"),
        (Reason("unheard_of", {}), "unheard_of"),
    ],
)
def test_reason_text_words_every_code(world, reason, text):
    built = matching.matching_index(as_of=TODAY)

    assert matching.reason_text(reason, built.names) == text


def test_an_enterprise_profile_is_proposed_for_a_request_with_its_capability():
    buyer = enterprise("pujiang", nodes=("M5",), description="医疗器械企业")
    maker = enterprise("pujiang", nodes=("U4",), description="医用导管挤出与球囊导丝加工,ISO 13485认证")
    need = request(buyer, "采购介入导管组件", "需要医用导管挤出加工,年用量约2万件,供方须通过ISO 13485认证。", ["M5"])

    rows = matching.matches_for_posting(need, as_of=date(2025, 6, 16))

    assert rows[0]["enterprise"] == maker and rows[0]["posting"] is None
    assert "上游环节 U4 供给 M5" in rows[0]["reasons"]
