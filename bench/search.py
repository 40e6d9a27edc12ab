"""Benchmark of the global search at scale: `python -m bench.search [--size N] [--requests N]`.

Loads (once) the deterministic registry of N enterprises of bench/dataset.py into a dedicated PostgreSQL
database (default postgres://postgres@127.0.0.1:5432/sanlian_bench_search), builds the search index of every
enterprise (timed), then measures in-process the server-side time (p50, p95) and query count of /search/ for
realistic queries — a partial name, a trade, a USCC, an English name, a type filter, a deep page — on the page
(/search/) and the API (/api/v1/search), as a town officer of 浦江镇, a district officer of 闵行区 and an
anonymous visitor, against peers measured in the same run: /healthz (framework overhead) and the directory's
plain `icontains` name search (/enterprises/?q=). The machine's load average is sampled during the run.
Target: p95 ≤ 100 ms. Prints a Markdown table and writes JSON under bench/results/.
"""

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGET_MS = 100.0
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sanlian_bench_search"
QUERIES = [
    ("name-part", "华瑞康泰", ""),
    ("trade", "医疗器械", ""),
    ("two-words", "生物医药 康泰", ""),
    ("english", "Kangtai Biotech", ""),
    ("typed", "生物科技", "enterprise"),
]


def parse_args(argv=None) -> argparse.Namespace:
    from bench.env import DEFAULT_SEED, DEFAULT_SIZE

    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="enterprises to generate (default %(default)s)")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per case (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per case first (default %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="default: %(default)s")
    parser.add_argument("--reindex", action="store_true", help="rebuild the index even if it is complete")
    parser.add_argument("--output-dir", type=Path, default=RESULTS_DIR)
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ensure_index(force: bool) -> float | None:
    """Index every enterprise (timed); None when a complete index was kept."""
    from sanlian.enterprises.models import Enterprise
    from sanlian.search.models import SearchDocument
    from sanlian.search.services import reindex

    if not force and SearchDocument.objects.filter(kind="enterprise").count() == Enterprise.objects.count():
        return None
    started = time.perf_counter()
    reindex()
    return time.perf_counter() - started


def build_cases(town_officer, district_officer, uscc: str) -> list:
    """Per caller and query, the page and the API; peers: /healthz and the directory's icontains per officer."""
    from django.test import Client

    from bench.auth import signed_in
    from bench.harness import Case

    def client_for(user):
        client = Client(raise_request_exception=False)
        if user is not None:
            signed_in(client, user)
        return client

    callers = [
        ("town officer 浦江镇", client_for(town_officer)),
        ("district officer 闵行区", client_for(district_officer)),
        ("anonymous", client_for(None)),
    ]
    cases = [Case("healthz", "/healthz (peer)", "anonymous", callers[2][1], ["/healthz"], peer=True)]
    for short, (caller, client) in zip(("town", "district"), callers[:2], strict=True):
        cases.append(
            Case(f"icontains-{caller}", f"directory icontains, {short} (peer)", caller, client,
                 [f"/enterprises/?{urlencode({'q': '华瑞康泰'})}"], peer=True)
        )  # fmt: skip
    searches = [*QUERIES, ("uscc", uscc, "")]

    def surfaces(client):  # the API answers signed-in callers only (401 otherwise)
        yield "page", "/search/"
        if client is not callers[2][1]:
            yield "API", "/api/v1/search"

    for caller, client in callers:
        for key, q, kind in searches:
            params = {"q": q, **({"type": kind} if kind else {})}
            for surface, path in surfaces(client):
                cases.append(Case(f"{key}-{surface}-{caller}", f"{surface} {key}: {q}", caller, client,
                                  [f"{path}?{urlencode(params)}"], TARGET_MS))  # fmt: skip
        for surface, path in surfaces(client):
            # 20 a page on both, so both read rows 381–400 (the API's default page size would be past the end)
            params = {"q": "医疗器械", "page": 20, **({"page_size": 20} if surface == "API" else {})}
            cases.append(Case(f"deep-{surface}-{caller}", f"{surface} trade, page 20", caller, client,
                              [f"{path}?{urlencode(params)}"], TARGET_MS))  # fmt: skip
    return cases


class LoadSampler:
    """The machine's 1-minute load average, sampled every few seconds while the timed requests run."""

    def __init__(self, every: float = 5.0):
        import threading

        self.samples: list[float] = []
        self._stop = threading.Event()
        self._every = every
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(self._every):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])

    def summary(self) -> dict:
        data = self.samples or [os.getloadavg()[0]]
        return {"min": round(min(data), 2), "mean": round(sum(data) / len(data), 2), "max": round(max(data), 2),
                "cpus": os.cpu_count(), "samples": len(data)}  # fmt: skip


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.env import configure

    url = configure(args.database_url)
    from django.core.management import call_command

    from bench import dataset, harness
    from bench.registry import bench_users, environment

    say(f"database {url}")
    call_command("migrate", interactive=False, verbosity=0)
    load = dataset.ensure_dataset(args.size, args.seed, progress=say)
    say(f"data: {load.counts}")
    index_seconds = ensure_index(args.reindex or load.loaded)
    from sanlian.enterprises.models import Enterprise
    from sanlian.search.models import SearchDocument

    documents = SearchDocument.objects.count()
    say(f"index: {documents} documents" + (f", built in {index_seconds:.1f} s" if index_seconds else " (kept)"))
    town_officer, district_officer = bench_users()
    uscc = Enterprise.objects.filter(town__code="pujiang").order_by("pk").values_list("uscc", flat=True).first()
    with LoadSampler() as sampler:
        results = harness.measure(build_cases(town_officer, district_officer, uscc), requests=args.requests,
                                  warmup=args.warmup, progress=say)  # fmt: skip
    load_average = sampler.summary()
    env = environment()
    print(f"## Search benchmark: {load.counts['enterprises']:,} enterprises, {documents:,} search documents\n")
    print(f"Index build: {f'{index_seconds:.1f} s' if index_seconds else 'kept from an earlier run'}. "
          f"{env['database'].split(' on ')[0]}, {env['machine']}; {args.requests} timed requests per case after "
          f"{args.warmup} warm-up. Load average (1 min) during the run: {load_average['min']:.1f}–"
          f"{load_average['max']:.1f}, mean {load_average['mean']:.1f}, on {load_average['cpus']} CPUs.\n")  # fmt: skip
    print(harness.markdown_table(results))
    slow = [r for r in results if r.meets_target is False]
    print(f"\n{len(slow)} of {sum(1 for r in results if r.target_ms)} search cases miss p95 ≤ {TARGET_MS:.0f} ms.")
    args.output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = args.output_dir / f"search-{args.size}-{stamp}.json"
    out.write_text(json.dumps({
        "benchmark": "search", "size": args.size, "documents": documents, "index_seconds": index_seconds,
        "environment": env, "load_average": load_average, "results": [r.as_dict() for r in results],
    }, ensure_ascii=False, indent=2, default=str), encoding="utf-8")  # fmt: skip
    say(f"wrote {out}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
