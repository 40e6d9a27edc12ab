"""Related-articles benchmark: index build time and related-query latency over generated news articles.

    .venv/bin/python bench/news.py                 # 10,000 articles, 300 queries
    .venv/bin/python bench/news.py --articles 2000 --json

Articles are generated from a fixed vocabulary of the cluster's news (sections, places, organisations, policy
and industry terms, 3–8 sentences each, 1–4 tags of 30), seeded, so a run is repeatable. No database: the
engine (`sanlian.engines.related`) is pure Python + numpy.

Measured
    build_s          RelatedIndex.build over all articles (tokenisation, BM25 index, per-document rows)
    query p50/p95    RelatedIndex.related(id, k=5) for random articles after --warmup untimed queries
    hits             share of queries that found at least one related article
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `sanlian` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sanlian.engines.related import Doc, RelatedIndex  # noqa: E402

TOPICS = (
    "人才周", "春申人才", "人才公寓", "全球引才大使", "GMP厂房", "洁净实验室", "研发费用补贴", "高新技术企业",
    "专精特新", "科技小巨人", "知识产权", "发明专利", "CDMO", "体外诊断", "医疗器械", "细胞治疗", "基因测序",
    "核酸药物", "创新药", "临床研究", "注册申报", "检测认证", "供需对接", "产业联盟", "知新会", "商会",
    "贷款贴息", "融资", "首发经济", "成果转化",
)  # fmt: skip
PLACES = ("浦江镇", "临港浦江国际科技城", "漕河泾开发区浦江高科技园", "浦江基因未来谷", "闵行区", "莘庄镇", "七宝镇")
VERBS = ("举行", "启动", "发布", "召开", "开展", "组织", "推进", "完成", "签署", "上线")
OBJECTS = ("对接会", "宣讲会", "沙龙", "申报工作", "专项资金", "合作协议", "公共服务平台", "年度会议", "调研", "培训")


def sentence(rng: random.Random, topic: str) -> str:
    return f"{rng.choice(PLACES)}围绕{topic}{rng.choice(VERBS)}{rng.choice(OBJECTS)},{rng.choice(TOPICS)}相关企业参加。"


def make_docs(n: int, seed: int) -> list[Doc]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        main = rng.choice(TOPICS)
        title = f"{rng.choice(PLACES)}{main}{rng.choice(OBJECTS)}{rng.choice(VERBS)}"
        text = "".join(
            sentence(rng, main if rng.random() < 0.6 else rng.choice(TOPICS)) for _ in range(rng.randint(3, 8))
        )
        tags = tuple(dict.fromkeys([main] + rng.sample(TOPICS, rng.randint(0, 3))))
        docs.append(Doc(id=str(i), title=title, text=text, tags=tags))
    return docs


def percentile(samples: list[float], pct: float) -> float:
    data = sorted(samples)
    return data[min(len(data) - 1, int(round(pct / 100 * (len(data) - 1))))]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20240520)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    docs = make_docs(args.articles, args.seed)
    RelatedIndex.build(docs[:10])  # load the segmenter and dictionaries outside the timing
    started = time.perf_counter()
    index = RelatedIndex.build(docs)
    build_s = time.perf_counter() - started
    rng = random.Random(args.seed + 1)
    for _ in range(args.warmup):
        index.related(rng.choice(docs).id)
    times, hits = [], 0
    for _ in range(args.queries):
        doc = rng.choice(docs)
        t0 = time.perf_counter()
        found = index.related(doc.id, k=5)
        times.append((time.perf_counter() - t0) * 1000)
        hits += bool(found)
    result = {
        "articles": args.articles,
        "build_s": round(build_s, 2),
        "query_p50_ms": round(statistics.median(times), 2),
        "query_p95_ms": round(percentile(times, 95), 2),
        "hits": round(hits / args.queries, 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:14} {value}")
    return result


if __name__ == "__main__":
    main()
