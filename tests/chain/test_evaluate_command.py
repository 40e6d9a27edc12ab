"""`sanlian chain evaluate`: nDCG@10 and recall@20 of text-only BM25 and of the full matcher on a labelled set."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from bench import make_eval_set

SHIPPED = Path(__file__).resolve().parents[2] / "sanlian" / "chain" / "data" / "eval"

PROFILES = [
    {"id": "cdmo", "name": "甲", "description": "无菌灌装与冻干委托服务", "nodes": ["M1"], "town": "pujiang",
     "park": "lingang-pujiang", "certifications": ["gmp"]},
    {"id": "rival", "name": "乙", "description": "单克隆抗体药物,自有无菌灌装线", "nodes": ["M3"], "town": "qibao",
     "park": "", "certifications": []},
    {"id": "dealer", "name": "丙", "description": "医药流通,经营单克隆抗体药物", "nodes": ["D1"], "town": "qibao",
     "park": "", "certifications": []},
    {"id": "far", "name": "丁", "description": "冻干粉针委託生產,無菌灌裝", "nodes": ["M1"], "town": "qibao",
     "park": "", "certifications": []},
]  # fmt: skip
QUERIES = [
    {"id": "q1", "text": "我司是单克隆抗体药物企业,寻找无菌灌装服务,要求具备GMP资质", "node": "M3", "town": "pujiang",
     "relevant": {"cdmo": 3, "far": 1}},
    {"id": "q2", "text": "單克隆抗體企業尋求凍乾委託", "node": "M3", "town": "qibao",
     "relevant": {"far": 3, "cdmo": 2}},
]  # fmt: skip


def write_lines(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path):
    return write_lines(tmp_path / "p.jsonl", PROFILES), write_lines(tmp_path / "q.jsonl", QUERIES)


@pytest.fixture(autouse=True)
def _chinese():
    translation.activate("zh-hans")


def run(*args) -> str:
    out = StringIO()
    call_command("chain", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_the_tiny_set_reports_both_matchers_as_json(tiny):
    profiles, queries = tiny

    result = json.loads(run("evaluate", "--profiles", profiles, "--queries", queries, "--json"))

    assert (result["profiles"], result["queries"], result["edges"]) == (4, 2, "file")
    assert result["full"]["ndcg@10"] > result["text_only"]["ndcg@10"]
    assert result["full"]["recall@20"] == 1.0
    assert result["gain"]["ndcg@10"] == pytest.approx(
        (result["full"]["ndcg@10"] - result["text_only"]["ndcg@10"]) / result["text_only"]["ndcg@10"], abs=1e-3
    )


def test_the_table_names_the_metrics_and_the_gain(tiny):
    profiles, queries = tiny

    text = run("evaluate", "--profiles", profiles, "--queries", queries)

    assert "匹配评估:4 个画像,2 条查询" in text
    assert "nDCG@10" in text and "recall@20" in text
    assert "纯文本 BM25" in text and "完整匹配" in text and "提升" in text and "%" in text


@pytest.mark.django_db
def test_the_edges_can_come_from_the_database(tiny):
    profiles, queries = tiny

    result = json.loads(run("evaluate", "--profiles", profiles, "--queries", queries, "--json", "--edges", "db"))

    assert result["edges"] == "db"
    assert result["full"]["ndcg@10"] > result["text_only"]["ndcg@10"]  # the migrated edges include M1 → M3


def test_a_missing_file_is_refused_by_name(tmp_path, tiny):
    profiles, _queries = tiny

    with pytest.raises(CommandError, match="找不到文件:.*nowhere.jsonl"):
        run("evaluate", "--profiles", profiles, "--queries", tmp_path / "nowhere.jsonl")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("{oops", "第 2 行不是有效的 JSON"),
        ('{"id": "q9", "text": "x", "relevant": {"ghost": 2}}', "第 2 行引用了不存在的画像 ghost"),
        ('{"id": "q9", "text": "x", "relevant": {"cdmo": 5}}', "第 2 行画像 cdmo 的相关等级应为 1–3 的整数"),
        ('{"text": "x", "relevant": {"cdmo": 1}}', "第 2 行缺少字段 id"),
    ],
)
def test_a_bad_query_line_is_refused_with_its_line(tmp_path, tiny, line, words):
    profiles, _queries = tiny
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(QUERIES[0], ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")

    with pytest.raises(CommandError, match=words):
        run("evaluate", "--profiles", profiles, "--queries", bad)


def test_an_empty_profile_file_is_refused(tmp_path, tiny):
    _profiles, queries = tiny
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")

    with pytest.raises(CommandError, match="画像文件中没有画像"):
        run("evaluate", "--profiles", empty, "--queries", queries)


def test_the_shipped_set_is_large_enough_and_graded_1_to_3():
    profiles = [json.loads(line) for line in (SHIPPED / "profiles.jsonl").read_text(encoding="utf-8").splitlines()]
    queries = [json.loads(line) for line in (SHIPPED / "queries.jsonl").read_text(encoding="utf-8").splitlines()]

    assert len(profiles) >= 1000 and len(queries) >= 60
    assert {node for p in profiles for node in p["nodes"]} >= {f"U{i}" for i in range(1, 6)} | {"S1", "S6", "D4"}
    assert all(set(q["relevant"].values()) <= {1, 2, 3} and q["relevant"] for q in queries)
    assert sum(any(ch in p["description"] for ch in "與個國業") for p in profiles) >= 50  # traditional characters
    assert sum("Ｇ" in p["description"] or "Ａ" in p["description"] for p in profiles) >= 10  # full-width letters


def test_the_shipped_set_is_what_the_generator_writes():
    assert make_eval_set.main(["--check"]) == 0


def test_on_the_shipped_set_the_full_matcher_beats_text_only_by_at_least_ten_percent():
    result = json.loads(
        run("evaluate", "--profiles", SHIPPED / "profiles.jsonl", "--queries", SHIPPED / "queries.jsonl", "--json")
    )

    assert result["profiles"] >= 1000 and result["queries"] >= 60
    assert result["gain"]["ndcg@10"] >= 0.10
    assert result["full"]["recall@20"] >= result["text_only"]["recall@20"]
