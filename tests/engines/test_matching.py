"""The matching engine (sanlian.engines.matching): Chinese text handling, ranking, reasons, evaluation.

Pure Python: no database. Edges below are a small part of the chain taxonomy (supplier → customer).
"""

import random
import time
from datetime import date

import pytest

from sanlian.engines.matching import MatchIndex, Profile, Query, normalize, requested_certifications, tokenize
from sanlian.engines.matching.evaluation import (
    EvaluationInputError,
    evaluate,
    ndcg_at,
    read_profiles,
    read_queries,
    recall_at,
)
from sanlian.engines.matching.text import MAX_TEXT_CHARS, user_terms

EDGES = [("U1", "M2"), ("U2", "M3"), ("U3", "M3"), ("M1", "M3"), ("U5", "M3"), ("M3", "D1"), ("M3", "D2")]


def profile(pid, description, nodes=("M1",), town="qibao", park="", certifications=(), **kw) -> Profile:
    return Profile(
        id=pid,
        name=kw.pop("name", f"企业{pid}"),
        description=description,
        nodes=tuple(nodes),
        town=town,
        park=park,
        district=kw.pop("district", "minhang"),
        certifications=tuple(certifications),
        **kw,
    )


def ids(matches) -> list[str]:
    return [m.profile_id for m in matches]


def reasons_of(match) -> dict[str, dict]:
    return {reason.code: reason.params for reason in match.reasons}


# Text ------------------------------------------------------------------------------------------------


def test_normalize_folds_full_width_letters_digits_and_punctuation():
    assert normalize("ＧＭＰ车间，ＩＳＯ　１３４８５认证（Ａ级）") == "gmp车间,iso13485认证(a级)"


def test_normalize_turns_traditional_characters_into_simplified_ones():
    assert normalize("細胞治療與無菌灌裝，質量體系認證") == "细胞治疗与无菌灌装,质量体系认证"


def test_normalize_lowercases_english_and_joins_standard_codes():
    assert normalize("We need Fill-Finish per ISO 13485 and GB 9706") == "we need fill-finish per iso13485 and gb9706"


def test_tokenize_keeps_the_biomedical_user_dictionary_terms_whole():
    tokens = tokenize("提供一次性生物反应器、GMP车间、CAR-T工艺、环氧乙烷灭菌和药代动力学研究")

    for term in ("一次性生物反应器", "gmp车间", "car-t", "环氧乙烷灭菌", "药代动力学"):
        assert term in tokens


def test_the_user_dictionary_holds_a_few_hundred_normalised_terms():
    terms = user_terms()

    assert len(terms) >= 300
    assert {"cdmo", "iso13485", "三类医疗器械", "体外诊断", "原料药", "层析填料"} <= set(terms)
    assert all(term == normalize(term) for term in terms)


def test_mixed_dictionary_terms_also_yield_their_english_and_chinese_parts():
    tokens = tokenize("mRNA疫苗")

    assert {"mrna", "疫苗", "mrna疫苗"} <= set(tokens)


def test_tokenize_drops_stop_words_punctuation_and_single_characters():
    assert tokenize("我们需要寻找供应商,。!的 a") == []


def test_traditional_full_width_and_simplified_texts_give_the_same_tokens():
    simplified = tokenize("寻找GMP车间和细胞治疗CDMO服务")

    assert tokenize("尋找ＧＭＰ車間和細胞治療ＣＤＭＯ服務") == simplified


@pytest.mark.parametrize("text", [None, "", "   ", ",。!?", "\x00"])
def test_empty_text_gives_no_tokens(text):
    assert tokenize(text) == []


def test_oversized_text_is_cut_and_handled_in_bounded_time():
    text = "灌装与冻干服务," * 200_000  # 1.6 million characters

    start = time.perf_counter()
    tokens = tokenize(text)
    elapsed = time.perf_counter() - start

    assert "灌装" in tokens and len(tokens) <= MAX_TEXT_CHARS
    assert elapsed < 5


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("需具备GMP资质的灌装服务", ("gmp",)),
        ("供方须通过ISO 13485认证", ("iso13485",)),
        ("要求持有醫療器械生產許可證", ("device-license",)),
        ("GMP厂房出租", ()),
        ("", ()),
    ],
)
def test_requested_certifications_are_read_from_requirement_wording(text, codes):
    assert requested_certifications(text) == codes


# Ranking ---------------------------------------------------------------------------------------------


@pytest.fixture
def chain_index():
    profiles = [
        profile("competitor", "抗体药物生产,提供灌装服务", nodes=("M3",)),
        profile("supplier", "抗体药物生产,提供灌装服务", nodes=("M1",)),
        profile("distributor", "抗体药物生产,提供灌装服务", nodes=("D1",)),
        profile("unrelated", "医用敷料与口罩", nodes=("M5",)),
    ]
    return MatchIndex.build(profiles, EDGES)


def test_a_request_prefers_suppliers_at_upstream_nodes_then_the_same_node(chain_index):
    matches = chain_index.search(Query("寻找抗体灌装服务", node="M3"))

    assert ids(matches) == ["supplier", "competitor", "distributor"]
    assert reasons_of(matches[0])["upstream"] == {"node": "M1", "for": "M3"}
    assert reasons_of(matches[1])["same_node"] == {"node": "M3"}


def test_an_offer_prefers_customers_at_downstream_nodes(chain_index):
    matches = chain_index.search(Query("抗体灌装服务", node="M3", kind="offer"))

    assert matches[0].profile_id == "distributor"
    assert reasons_of(matches[0])["downstream"] == {"node": "D1", "for": "M3"}


def test_the_text_only_baseline_ignores_the_chain(chain_index):
    matches = chain_index.search_text_only(Query("寻找抗体灌装服务", node="M3"))

    assert ids(matches) == ["competitor", "distributor", "supplier"]  # equal BM25 scores: by id
    assert all([r.code for r in m.reasons] == ["text"] for m in matches)


def test_the_same_park_ranks_before_the_same_town_before_the_same_district_before_elsewhere():
    profiles = [
        profile("a-elsewhere", "细胞培养基", nodes=("U2",), town="", district=""),
        profile("b-district", "细胞培养基", nodes=("U2",), town="qibao"),
        profile("c-town", "细胞培养基", nodes=("U2",), town="pujiang"),
        profile("d-park", "细胞培养基", nodes=("U2",), town="pujiang", park="lingang-pujiang"),
    ]
    index = MatchIndex.build(profiles, EDGES)

    matches = index.search(
        Query("采购细胞培养基", node="M3", town="pujiang", park="lingang-pujiang", district="minhang")
    )

    assert ids(matches) == ["d-park", "c-town", "b-district", "a-elsewhere"]
    assert reasons_of(matches[0])["same_park"] == {"park": "lingang-pujiang"}
    assert reasons_of(matches[1])["same_town"] == {"town": "pujiang"}
    assert reasons_of(matches[2])["same_district"] == {"district": "minhang"}


def test_a_certification_the_query_asks_for_lifts_its_holders():
    profiles = [
        profile("a-without", "无菌灌装服务", nodes=("M1",)),
        profile("b-holder", "无菌灌装服务", nodes=("M1",), certifications=("gmp", "hnte")),
    ]
    index = MatchIndex.build(profiles, EDGES)

    asked = index.search(Query("寻找无菌灌装服务,要求具备GMP资质", node="M3"))
    not_asked = index.search(Query("寻找无菌灌装服务", node="M3"))

    assert ids(asked) == ["b-holder", "a-without"]
    assert reasons_of(asked[0])["certification"] == {"codes": ["gmp"]}
    assert ids(not_asked) == ["a-without", "b-holder"]  # a tie: by id


def test_a_recently_updated_profile_ranks_first_and_says_how_fresh_it_is():
    profiles = [
        profile("a-old", "层析填料", nodes=("U2",), updated=date(2024, 1, 5)),
        profile("b-new", "层析填料", nodes=("U2",), updated=date(2025, 6, 13)),
    ]
    index = MatchIndex.build(profiles, EDGES)

    matches = index.search(Query("层析填料", node="M3", as_of=date(2025, 6, 16)))

    assert ids(matches) == ["b-new", "a-old"]
    assert reasons_of(matches[0])["fresh"] == {"days": 3}
    assert "fresh" not in reasons_of(matches[1])


def test_every_match_carries_its_reasons_with_the_terms_as_written():
    index = MatchIndex.build([profile("p", "拥有GMP车间,提供无菌灌装服务", nodes=("M1",), town="pujiang")], EDGES)

    (match,) = index.search(Query("寻找GMP灌装合作", node="M3", town="pujiang"))

    assert [r.code for r in match.reasons] == ["text", "upstream", "same_town"]
    assert set(reasons_of(match)["text"]["terms"]) == {"GMP", "灌装"}
    assert match.score > match.text_score > 0


def test_a_profile_sharing_no_word_can_still_be_proposed_by_its_chain_position():
    index = MatchIndex.build(
        [profile("p", "生物反应器", nodes=("U3",)), profile("q", "医用敷料", nodes=("M5",))], EDGES
    )

    matches = index.search(Query("采购细胞培养罐", node="M3"))

    assert ids(matches) == ["p"]
    assert matches[0].text_score == 0 and "text" not in reasons_of(matches[0])


def test_excluded_ids_and_kinds_are_never_proposed():
    profiles = [
        profile("own", "灌装服务", kind="offer"),
        profile("other", "灌装服务", kind="offer"),
        profile("request", "灌装服务", kind="request"),
    ]
    index = MatchIndex.build(profiles, EDGES)

    matches = index.search(Query("灌装", node="M3"), exclude_ids={"own"}, kinds=("offer",))

    assert ids(matches) == ["other"]


def test_empty_text_and_unknown_nodes_are_not_errors(chain_index):
    assert chain_index.search(Query("")) == []
    assert chain_index.search(Query("", node="X9", nodes=("Z1", ""))) == []
    assert ids(chain_index.search(Query("", node="M3"))) == ["supplier", "competitor"]
    assert chain_index.search_text_only(Query("   ")) == []


def test_an_oversized_mixed_query_is_answered():
    index = MatchIndex.build([profile("p", "fill-finish 灌装服務 with ＧＭＰ", nodes=("M1",))], EDGES)

    matches = index.search(Query("Fill-Finish 灌裝," * 100_000, node="M3"))

    assert ids(matches) == ["p"]


def test_an_empty_index_answers_nothing():
    index = MatchIndex.build([], EDGES)

    assert index.search(Query("灌装", node="M3")) == []
    assert len(index) == 0


def test_profiles_without_any_word_can_be_indexed():
    index = MatchIndex.build([profile("p", "", name=""), profile("q", ",。", name="")], EDGES)

    assert ids(index.search(Query("灌装", node="M3"))) == ["p", "q"]  # both at M1, upstream of M3


def test_duplicate_profile_ids_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        MatchIndex.build([profile("p", "a"), profile("p", "b")], EDGES)


def test_results_are_deterministic_whatever_the_input_order():
    rng = random.Random(5)
    words = ["灌装", "冻干", "层析填料", "培养基", "抗体", "GMP车间", "临床试验", "注册申报"]
    profiles = [
        profile(
            f"p{i:03d}",
            "、".join(rng.sample(words, 3)),
            nodes=(rng.choice(["U2", "U3", "M1", "M3", "D1"]),),
            town=rng.choice(["pujiang", "qibao"]),
        )
        for i in range(200)
    ]
    shuffled = profiles[:]
    random.Random(9).shuffle(shuffled)
    query = Query("寻找灌装和层析填料", node="M3", town="pujiang")

    first = MatchIndex.build(profiles, EDGES).search(query, k=30)
    again = MatchIndex.build(profiles, EDGES).search(query, k=30)
    other_order = MatchIndex.build(shuffled, EDGES).search(query, k=30)

    assert first == again
    assert ids(first) == ids(other_order)
    assert len(first) == 30


# Evaluation ------------------------------------------------------------------------------------------


def test_ndcg_is_one_for_the_ideal_order_and_lower_otherwise():
    relevant = {"a": 3, "b": 2, "c": 1}

    assert ndcg_at(["a", "b", "c"], relevant) == pytest.approx(1.0)
    assert ndcg_at(["c", "b", "a"], relevant) < 1.0
    assert ndcg_at(["x", "y"], relevant) == 0.0


def test_recall_counts_the_relevant_profiles_found_in_the_first_k():
    assert recall_at(["a", "x", "b"], {"a": 1, "b": 3, "c": 2, "d": 1}, k=2) == 0.25


def test_evaluate_reports_both_matchers_and_the_gain():
    profiles = [
        profile("a-competitor", "抗体药物,生物反应器", nodes=("M3",)),
        profile("b-supplier", "抗体药物,生物反应器", nodes=("U3",)),
    ]
    queries = read_queries(['{"id": "q1", "text": "采购生物反应器", "node": "M3", "relevant": {"b-supplier": 3}}'])

    result = evaluate(MatchIndex.build(profiles, EDGES), queries)

    assert result["text_only"]["ndcg@10"] < result["full"]["ndcg@10"] == 1.0
    assert result["gain"]["ndcg@10"] > 0
    assert result["queries"] == 1 and result["profiles"] == 2


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        ("{not json", "bad_json", ""),
        ("[1, 2]", "not_object", ""),
        ('{"text": "x", "relevant": {"p": 1}}', "missing", "id"),
        ('{"id": "q", "text": "x", "relevant": {}}', "no_relevant", "relevant"),
        ('{"id": "q", "text": "x", "relevant": {"p": 4}}', "bad_grade", "relevant"),
        ('{"id": "q", "text": "x", "relevant": {"nobody": 1}}', "unknown_profile", "relevant"),
    ],
)
def test_a_bad_query_line_is_refused_with_its_line_number(line, code, field):
    with pytest.raises(EvaluationInputError) as caught:
        read_queries(["", line], path="q.jsonl", profile_ids={"p"})

    assert (caught.value.code, caught.value.line, caught.value.field) == (code, 2, field)


def test_a_bad_profile_line_is_refused_and_duplicates_are_named():
    with pytest.raises(EvaluationInputError) as caught:
        read_profiles(['{"id": "p", "nodes": ["M1"]}', '{"id": "p", "nodes": "M1"}'])

    assert caught.value.code == "duplicate_id" and caught.value.params == {"id": "p"}
    with pytest.raises(EvaluationInputError, match="not_list"):
        read_profiles(['{"id": "p", "nodes": [1]}'])
