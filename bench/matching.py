"""Matching-engine benchmark: index build time, memory and query latency over generated profiles.

    .venv/bin/python bench/matching.py --json                     # 100,000 profiles, 300 queries
    .venv/bin/python bench/matching.py --profiles 20000 --queries 200 --tracemalloc

Profiles and queries come from the labelled set's generator (bench/make_eval_set.py: the same capability
table, description templates, traditional characters, full-width letters and English terms), at scale and
without labels. No database: the engine (`sanlian.engines.matching`) is pure Python + numpy.

Measured
    generate_s       time to generate the profiles (not part of the engine)
    build_s          MatchIndex.build over all profiles (tokenisation, BM25 index, signal columns)
    rss_*_mb         resident memory before and after the build (/proc/self/statm) and the process peak
                     (getrusage); index_rss_mb is the difference after − before; tokenizer_rss_mb the one-time
                     load of the segmenter's and the traditional → simplified dictionaries (before the build)
    traced_peak_mb   with --tracemalloc: the peak of Python + numpy allocations during a second build
    query p50/p95    per query, MatchIndex.search(k=10) (full matcher) and search_text_only(k=10), after
                     `--warmup` untimed queries; queries rotate over the needs of the labelled set with
                     random buyers, towns and wordings. Target: full-matcher p50 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `sanlian` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.make_eval_set import NEEDS, load_edges, make_firms, make_query  # noqa: E402
from sanlian.engines.matching import MatchIndex, Profile, Query, tokenize  # noqa: E402

DEFAULT_PROFILES = 100_000
DEFAULT_QUERIES = 300
DEFAULT_WARMUP = 10
DEFAULT_SEED = 20240601
TARGET_P50_MS = 50.0


def percentile(samples: list[float], pct: float) -> float:
    data = sorted(samples)
    k = (len(data) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def rss_mb() -> float:
    """Current resident set size (Linux /proc; falls back to the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def generate(profiles: int, queries: int, seed: int) -> tuple[list[Profile], list[Query]]:
    edges = load_edges()
    firms = make_firms(profiles, seed, edges, unique_names=False)
    profile_list = [
        Profile(
            id=firm.id,
            name=firm.name,
            description=firm.description,
            nodes=tuple(firm.nodes),
            town=firm.town,
            park=firm.park,
            district="minhang",
            certifications=tuple(firm.certs),
            kind="enterprise",
        )
        for firm in firms
    ]
    rng = random.Random(seed + 1)
    query_list = []
    for number in range(queries):
        line = make_query(rng, number, NEEDS[number % len(NEEDS)], [])
        query_list.append(Query(text=line["text"], node=line["node"], town=line["town"], district="minhang"))
    return profile_list, query_list


def _time_queries(run, queries: list[Query], warmup: int) -> dict:
    for query in queries[:warmup]:
        run(query)
    samples = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "queries": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "mean_ms": round(statistics.fmean(samples), 2),
        "max_ms": round(max(samples), 2),
    }


def run(
    profiles: int = DEFAULT_PROFILES,
    queries: int = DEFAULT_QUERIES,
    seed: int = DEFAULT_SEED,
    warmup: int = DEFAULT_WARMUP,
    trace: bool = False,
    progress=None,
) -> dict:
    say = progress or (lambda message: None)
    started = time.perf_counter()
    profile_list, query_list = generate(profiles, queries, seed)
    generated = time.perf_counter()
    say(f"generated {len(profile_list)} profiles and {len(query_list)} queries in {generated - started:.1f} s")

    edges = load_edges()
    gc.collect()
    bare = rss_mb()
    tokenize("預熱 warm-up:细胞治疗CDMO")  # loads the segmenter's dictionaries and the traditional table once
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    index = MatchIndex.build(profile_list, edges)
    build_s = time.perf_counter() - start
    gc.collect()
    after = rss_mb()
    say(f"built the index in {build_s:.1f} s")

    result = {
        "profiles": len(index),
        "vocabulary": len(index.vocab),
        "seed": seed,
        "generate_s": round(generated - started, 2),
        "build_s": round(build_s, 2),
        "tokenizer_rss_mb": round(before - bare, 1),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "index_rss_mb": round(after - before, 1),
        "rss_peak_mb": round(peak_rss_mb(), 1),
        "traced_peak_mb": None,
    }
    result["full"] = _time_queries(lambda q: index.search(q, k=10), query_list, warmup)
    say(f"full matcher: p50 {result['full']['p50_ms']} ms, p95 {result['full']['p95_ms']} ms")
    result["text_only"] = _time_queries(lambda q: index.search_text_only(q, k=10), query_list, warmup)
    say(f"text only: p50 {result['text_only']['p50_ms']} ms, p95 {result['text_only']['p95_ms']} ms")
    result["target_p50_ms"] = TARGET_P50_MS
    result["meets_target"] = result["full"]["p50_ms"] <= TARGET_P50_MS

    if trace:
        del index
        gc.collect()
        tracemalloc.start()
        again = MatchIndex.build(profile_list, edges)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["traced_peak_mb"] = round(peak / 2**20, 1)
        say(f"traced peak during a build: {result['traced_peak_mb']} MB ({len(again)} profiles)")
    return result


def table(result: dict) -> str:
    full, text = result["full"], result["text_only"]
    lines = [
        f"Matching engine over {result['profiles']:,} generated profiles (vocabulary {result['vocabulary']:,} terms)",
        f"  build           {result['build_s']:.2f} s (generating the profiles took {result['generate_s']:.2f} s)",
        f"  memory          index ≈ {result['index_rss_mb']:.0f} MB RSS, tokenizer dictionaries "
        f"{result['tokenizer_rss_mb']:.0f} MB (after the build {result['rss_after_mb']:.0f} MB, "
        f"process peak {result['rss_peak_mb']:.0f} MB)"
        + (f", traced peak {result['traced_peak_mb']:.0f} MB" if result["traced_peak_mb"] is not None else ""),
        "",
        "| search | queries | p50 ms | p95 ms | mean ms | max ms |",
        "|---|---|---|---|---|---|",
        f"| full matcher | {full['queries']} | {full['p50_ms']} | {full['p95_ms']} | {full['mean_ms']} | "
        f"{full['max_ms']} |",
        f"| text only (BM25) | {text['queries']} | {text['p50_ms']} | {text['p95_ms']} | {text['mean_ms']} | "
        f"{text['max_ms']} |",
        "",
        f"p50 ≤ {result['target_p50_ms']:.0f} ms: {'yes' if result['meets_target'] else 'NO'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profiles", type=int, default=DEFAULT_PROFILES, help="generated profiles (default 100000)")
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="timed queries (default 300)")
    parser.add_argument("--warmup", type=int, default=DEFAULT_WARMUP, help="untimed queries first")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--tracemalloc", action="store_true", help="also trace a second build's peak allocations")
    args = parser.parse_args(argv)
    if args.profiles < 1 or args.queries < 1 or args.warmup < 0:
        parser.error("--profiles and --queries must be positive, --warmup not negative")
    progress = None if args.json else (lambda message: print(message, file=sys.stderr, flush=True))
    result = run(args.profiles, args.queries, args.seed, args.warmup, args.tracemalloc, progress)
    print(json.dumps(result, ensure_ascii=False) if args.json else table(result))
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
