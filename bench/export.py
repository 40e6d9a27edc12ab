"""Benchmark of the streamed .xlsx export: `python -m bench.export [--size N] [--repeat N]`.

Exports the whole 闵行区 directory of the bench data set (100,000 enterprises by default, loaded once by
`bench.dataset` into a dedicated PostgreSQL database, default sanlian_bench_exports) as the district officer
and as the 浦江镇 officer, and measures, in the same run:

    streamed    GET /enterprises/?format=xlsx through the whole Django stack (middleware, permission layer,
                the page's selector, `sanlian.core.exports`): rows read with .iterator(chunk_size), openpyxl
                write-only spooling to a temporary file, the response streamed in 64 KiB blocks. The time is
                until the last block has been read.
    in memory   the peer: the same selector and the same columns written into an ordinary openpyxl Workbook
                (every cell an object), saved into a BytesIO and returned as one HttpResponse — what a list
                export does when it "just builds the workbook".

Each run is a fresh process (so one case's memory does not stay in the next): time is the median of --repeat
runs, memory the process's peak resident set (ru_maxrss) minus its size just before the export, the largest
over the runs. The streamed export's spooled files are on disk, not in memory, and that is the point.
Prints a Markdown table and writes JSON under bench/results/.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sanlian_bench_exports"


def parse_args(argv=None) -> argparse.Namespace:
    from bench.env import DEFAULT_SEED, DEFAULT_SIZE

    parser = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="enterprises to generate (default %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed of the data (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case (default %(default)s)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="default %(default)s")
    parser.add_argument("--output-dir", type=Path, default=RESULTS_DIR, help="where the JSON goes")
    parser.add_argument("--no-peer", action="store_true", help="measure the streamed export only")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # caller:case, run by the parent in a fresh process
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.size < 1:
        parser.error("--repeat and --size must be at least 1")
    return args


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def streamed(client) -> int:
    """The real view, read to its last block; returns the bytes sent."""
    response = client.get("/enterprises/?format=xlsx")
    assert response.status_code == 200 and response.streaming, response.status_code
    size = 0
    for block in response.streaming_content:  # the test client closes the response after the last block
        size += len(block)
    return size


def in_memory(user) -> int:
    """The peer: the same rows and columns in an ordinary workbook built in memory, sent as one response."""
    from django.http import HttpResponse
    from openpyxl import Workbook

    from sanlian.core.exports import XLSX, cell_value
    from sanlian.enterprises import exports, selectors
    from sanlian.enterprises.selectors import DirectoryFilters

    year = selectors.latest_report_year()
    enterprises = selectors.enterprise_directory(user=user, filters=DirectoryFilters(revenue_year=year))
    columns = exports.directory_columns(revenue_year=year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(c.header) for c in columns])
    for row in list(selectors.with_revenue(enterprises, year=year)):
        sheet.append([cell_value(c.read(row)) for c in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    return len(response.content)


def rows_of(user) -> int:
    from sanlian.enterprises import selectors
    from sanlian.enterprises.selectors import DirectoryFilters

    return selectors.enterprise_directory(user=user, filters=DirectoryFilters()).count()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


CALLERS = {"district": "district officer 闵行区", "town": "town officer 浦江镇"}
CASES = {"streamed": "streamed", "memory": "in memory (peer)"}


def run_one(caller: str, case: str) -> dict:
    """In this (fresh) process: one export, its time and how far it raised the resident set."""
    from django.test import Client

    from bench.auth import signed_in
    from bench.registry import bench_users

    town, district = bench_users()
    user = district if caller == "district" else town
    client = signed_in(Client(), user)
    client.get("/healthz")  # the stack imported and warm before the baseline
    rows = rows_of(user)
    before = current_rss_mib()
    start = time.perf_counter()
    size = streamed(client) if case == "streamed" else in_memory(user)
    seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": seconds, "bytes": size, "rss_before_mib": before, "rss_peak_mib": peak_rss_mib()}


def measure(args, caller: str, case: str) -> dict:
    runs = []
    for _ in range(args.repeat):
        command = [sys.executable, "-m", "bench.export", "--one", f"{caller}:{case}", "--size", str(args.size),
                   "--seed", str(args.seed), "--database-url", args.database_url]  # fmt: skip
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {
        "caller": CALLERS[caller], "case": CASES[case], "rows": runs[0]["rows"], "bytes": runs[0]["bytes"],
        "median_s": round(statistics.median(r["seconds"] for r in runs), 1),
        "times_s": [round(r["seconds"], 1) for r in runs],
        "peak_mib": round(max(r["rss_peak_mib"] - r["rss_before_mib"] for r in runs), 1),
    }  # fmt: skip


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.env import configure

    url = configure(args.database_url)
    from django.core.management import call_command

    from bench import dataset
    from bench.registry import bench_users

    if args.one:
        caller, case = args.one.split(":")
        print(json.dumps(run_one(caller, case)))
        return 0
    say(f"database {url}")
    call_command("migrate", interactive=False, verbosity=0)
    load = dataset.ensure_dataset(args.size, args.seed, progress=say)
    bench_users()
    results = []
    for caller in CALLERS:
        for case in CASES if not args.no_peer else ["streamed"]:
            say(f"{CALLERS[caller]}: {CASES[case]} …")
            result = measure(args, caller, case)
            say(f"  {result}")
            results.append(result)

    print(f"## Export benchmark: the whole directory of {load.counts['enterprises']:,} enterprises\n")
    print("| caller | rows | export | median s | rows/s | memory added at peak MiB | file MiB |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        rate = r["rows"] / r["median_s"] if r["median_s"] else 0
        print(f"| {r['caller']} | {r['rows']:,} | {r['case']} | {r['median_s']} | {rate:,.0f} | {r['peak_mib']} | "
              f"{r['bytes'] / 2**20:.1f} |")  # fmt: skip
    args.output_dir.mkdir(parents=True, exist_ok=True)
    out = args.output_dir / f"export-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps({"size": args.size, "repeat": args.repeat, "results": results}, ensure_ascii=False))
    say(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
