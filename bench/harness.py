"""In-process measurement of pages: server-side time with django.test.Client, queries with
CaptureQueriesContext, and ratios against peers measured in the same run.

Timed requests run round-robin over the cases, so a drift of the machine (another process, CPU
frequency) affects every case alike and the ratios stay comparable. Queries are captured on one
extra request per case, outside the timed ones, so the capture does not inflate the times.
"""

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import unquote

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

SLOW_QUERIES_KEPT = 5


@dataclass
class Case:
    key: str
    label: str
    caller: str
    client: Client
    urls: list[str]  # rotated over the requests (e.g. several profiles)
    target_ms: float | None = None
    peer: bool = False  # a baseline others are compared with
    note: str = ""


@dataclass
class Result:
    key: str
    label: str
    caller: str
    url: str
    status: int
    available: bool
    target_ms: float | None
    peer: bool
    note: str = ""
    requests: int = 0
    bytes: int = 0
    queries: int | None = None
    sql_ms: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    mean_ms: float | None = None
    min_ms: float | None = None
    max_ms: float | None = None
    ratios: dict[str, float] = field(default_factory=dict)
    slow_queries: list[dict] = field(default_factory=list)

    @property
    def meets_target(self) -> bool | None:
        if self.target_ms is None or self.p95_ms is None:
            return None
        return self.p95_ms <= self.target_ms

    def as_dict(self) -> dict:
        return {**asdict(self), "meets_target": self.meets_target}


def percentile(samples: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    data = sorted(samples)
    if not data:
        raise ValueError("no samples")
    k = (len(data) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


class _QueryTimer:
    """An execute wrapper timing each query precisely (the debug cursor rounds to whole milliseconds)."""

    def __init__(self):
        self.ms: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms.append((time.perf_counter() - start) * 1000)


def _get(case: Case, i: int):
    url = case.urls[i % len(case.urls)]
    return url, case.client.get(url)


def _describe_failure(response) -> str:
    if response.status_code in (301, 302):
        return f"redirects to {response.headers.get('Location', '?')}"
    if response.status_code == 404:
        return "not found (page not built yet?)"
    if response.status_code >= 500:
        return "server error (page not built yet or broken)"
    return f"HTTP {response.status_code}"


def measure(
    cases: list[Case],
    requests: int = 60,
    warmup: int = 5,
    progress: Callable[[str], None] | None = None,
) -> list[Result]:
    say = progress or (lambda message: None)
    results: dict[str, Result] = {}
    live: list[Case] = []
    for case in cases:
        url, response = _get(case, 0)
        result = Result(
            key=case.key,
            label=case.label,
            caller=case.caller,
            url=url,
            status=response.status_code,
            available=response.status_code == 200,
            target_ms=case.target_ms,
            peer=case.peer,
            note=case.note,
            bytes=len(response.content),
        )
        results[case.key] = result
        if not result.available:
            result.note = "; ".join(filter(None, [case.note, _describe_failure(response)]))
            say(f"{case.key}: {url} → {result.note}")
            continue
        for i in range(1, warmup):
            _get(case, i)
        timer = _QueryTimer()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            _get(case, warmup)
        sqls = [q["sql"] for q in captured.captured_queries]
        times = timer.ms if len(timer.ms) == len(sqls) else [float(q["time"]) * 1000 for q in captured.captured_queries]
        result.queries = len(sqls)
        result.sql_ms = round(sum(times), 2)
        slowest = sorted(zip(times, sqls, strict=True), key=lambda pair: pair[0], reverse=True)[:SLOW_QUERIES_KEPT]
        result.slow_queries = [{"ms": round(ms, 2), "sql": sql} for ms, sql in slowest]
        live.append(case)

    samples: dict[str, list[float]] = {case.key: [] for case in live}
    for i in range(requests):
        for case in live:
            url = case.urls[i % len(case.urls)]
            start = time.perf_counter()
            response = case.client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{case.key}: {url} answered {response.status_code} during the timed run")
            samples[case.key].append(elapsed)
        if progress and (i + 1) % max(1, requests // 4) == 0:
            say(f"timed requests: {i + 1}/{requests} per case")

    for case in live:
        data, result = samples[case.key], results[case.key]
        result.requests = len(data)
        result.p50_ms = round(statistics.median(data), 2)
        result.p95_ms = round(percentile(data, 95), 2)
        result.mean_ms = round(statistics.fmean(data), 2)
        result.min_ms = round(min(data), 2)
        result.max_ms = round(max(data), 2)

    peers = [r for r in results.values() if r.peer and r.p50_ms]
    for result in results.values():
        if result.p50_ms is None:
            continue
        for peer in peers:
            result.ratios[peer.key] = round(result.p50_ms / peer.p50_ms, 1)
    return list(results.values())


_DECLARE = re.compile(r"^DECLARE .*? CURSOR (?:WITH(?:OUT)? HOLD )?FOR ", re.S)


def explain_slow(results: list[Result], top: int = 3, only_missed: bool = True) -> None:
    """Attach EXPLAIN (ANALYZE, BUFFERS) plans to the slowest queries of pages over target (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    for result in results:
        if only_missed and result.meets_target is not False:
            continue
        for query in result.slow_queries[:top]:
            sql = _DECLARE.sub("", query["sql"])
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                query["plan"] = "\n".join(row[0] for row in cursor.fetchall())


def _fmt(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markdown_table(results: list[Result]) -> str:
    peers = [r for r in results if r.peer and r.p50_ms]
    header = ["Page", "Caller", "HTTP", "p50 ms", "p95 ms", "Queries", "SQL ms"]
    header += [f"p50 × {p.label}" for p in peers]
    header += ["p95 ≤ target"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    for r in results:
        if r.meets_target is None:
            verdict = "n/a" if r.target_ms is None or r.available else f"not measured ({r.note})"
        else:
            verdict = f"{'yes' if r.meets_target else '**no**'} ({r.target_ms:.0f} ms)"
        row = [
            f"{r.label} `{unquote(r.url)}`",
            r.caller,
            str(r.status),
            _fmt(r.p50_ms),
            _fmt(r.p95_ms),
            "–" if r.queries is None else str(r.queries),
            _fmt(r.sql_ms),
        ]
        row += ["–" if p.key not in r.ratios else f"{r.ratios[p.key]:.1f}" for p in peers]
        row.append(verdict)
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
