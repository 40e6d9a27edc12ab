"""Benchmark of the registry pages at scale: `python -m bench.registry [--size N] [--requests N]`.

Loads (once) a deterministic registry of N enterprises of 闵行区 with their annual reports 2019–2024,
certifications and chain nodes into a dedicated PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/sanlian_bench, created if missing), then measures in-process the
server-side time (p50, p95) and query count of the directory, a profile, the cockpit and the API list,
as a town officer of 浦江镇 and a district officer of 闵行区, against peers measured in the same run
(/healthz: framework overhead; /inbox/: an authenticated page). Prints a Markdown table and writes
JSON under bench/results/.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGET_MS = 150.0
PROFILES_ROTATED = 20
DIRECTORY_FILTERS = {
    "cluster": "devices",
    "park": "lingang-pujiang",
    "q": "生物",
    "revenue_band": "10m-50m",
}
COCKPIT_YEAR = 2023


def parse_args(argv=None) -> argparse.Namespace:
    from bench.env import DEFAULT_SEED, DEFAULT_SIZE

    parser = argparse.ArgumentParser(prog="python -m bench.registry", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="enterprises to generate (default %(default)s)")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per case (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per case first (default %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed of the data (default %(default)s)")
    parser.add_argument("--database-url", help="overrides DATABASE_URL (default: the sanlian_bench database)")
    parser.add_argument("--regenerate", action="store_true", help="reload the data even if it is already there")
    parser.add_argument("--output-dir", type=Path, default=RESULTS_DIR, help="where the JSON goes")
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE of pages over target")
    parser.add_argument("--fail-over-target", action="store_true", help="exit 1 if a page misses its p95 target")
    args = parser.parse_args(argv)
    if not 1 <= args.size <= 4_000_000:
        parser.error("--size must be between 1 and 4,000,000")
    if args.requests < 1 or args.warmup < 1:
        parser.error("--requests and --warmup must be at least 1")
    return args


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def bench_users():
    from sanlian.core.models import Role, User
    from sanlian.enterprises.models import Region

    def user(username, role, region_code, name):
        obj, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "region": Region.objects.get(code=region_code),
                "display_name": name,
                "is_active": True,
            },
        )
        return obj

    town = user("bench_town_officer", Role.TOWN_OFFICER, "pujiang", "浦江镇专员(基准)")
    district = user("bench_district_officer", Role.DISTRICT_OFFICER, "minhang", "闵行区审核员(基准)")
    return town, district


def profile_ids(limit: int = PROFILES_ROTATED) -> list[int]:
    """Biomedical enterprises of 浦江镇 with a contact, reports and certifications: full profiles."""
    from django.db.models import Count

    from sanlian.enterprises.models import Enterprise

    qs = (
        Enterprise.objects.filter(town__code="pujiang", is_biomedical=True, contacts__isnull=False)
        .annotate(n_certs=Count("certifications", distinct=True))
        .filter(n_certs__gt=0)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return list(qs[:limit])


def _matching(user, **filters) -> int | None:
    from django.core.exceptions import ValidationError

    from sanlian.enterprises.selectors import DirectoryFilters, enterprise_directory

    try:
        return enterprise_directory(user=user, filters=DirectoryFilters(**filters)).count()
    except (ValidationError, TypeError):
        return None


def build_cases(town_officer, district_officer) -> list:
    from urllib.parse import urlencode

    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bench.auth import signed_in
    from bench.harness import Case

    def client_for(user):
        client = Client(raise_request_exception=False)
        if user is not None:
            signed_in(client, user)
        return client

    def url(name, fallback, **kwargs):
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return fallback

    anonymous, town_client, district_client = client_for(None), client_for(town_officer), client_for(district_officer)
    callers = [("town officer 浦江镇", town_client, town_officer), ("district officer 闵行区", district_client, None)]
    directory = url("enterprises:directory", "/enterprises/")
    filtered = f"{directory}?{urlencode({**DIRECTORY_FILTERS, 'page': 3})}"
    ids = profile_ids()
    profiles = [url("enterprises:detail", f"/enterprises/{pk}/", pk=pk) for pk in ids] or ["/enterprises/0/"]
    cockpit = f"{url('dashboard:cockpit', '/cockpit/')}?year={COCKPIT_YEAR}"
    api = "/api/v1/enterprises"

    town_filtered = _matching(town_officer, **DIRECTORY_FILTERS)
    district_filtered = _matching(district_officer, **DIRECTORY_FILTERS)
    town_all = _matching(town_officer)
    district_all = _matching(district_officer)

    def rows(n):
        return "" if n is None else f"{n} matching enterprises"

    cases = [
        Case("healthz", "healthz", "anonymous", anonymous, [url("healthz", "/healthz")], peer=True),
        Case("inbox", "inbox", callers[0][0], town_client, [url("inbox", "/inbox/")], peer=True),
        Case("directory", "directory", callers[0][0], town_client, [directory], TARGET_MS, note=rows(town_all)),
        Case(
            "directory-district",
            "directory",
            callers[1][0],
            district_client,
            [directory],
            TARGET_MS,
            note=rows(district_all),
        ),
        Case(
            "directory-filtered",
            "directory filtered p3",
            callers[0][0],
            town_client,
            [filtered],
            TARGET_MS,
            note=rows(town_filtered),
        ),
        Case(
            "directory-filtered-district",
            "directory filtered p3",
            callers[1][0],
            district_client,
            [filtered],
            TARGET_MS,
            note=rows(district_filtered),
        ),
        Case(
            "directory-deep-district",
            "directory deep page",
            callers[1][0],
            district_client,
            [f"{directory}?page={max(1, (district_all or 25) // 25 // 2)}"],
            TARGET_MS,
            note="the middle page of the unfiltered directory (OFFSET pagination)",
        ),
        Case(
            "profile", "profile", callers[0][0], town_client, profiles, TARGET_MS, note=f"{len(ids)} profiles rotated"
        ),
        Case(
            "profile-district",
            "profile",
            callers[1][0],
            district_client,
            profiles,
            TARGET_MS,
            note=f"{len(ids)} profiles rotated",
        ),
        Case("cockpit", "cockpit", callers[0][0], town_client, [cockpit], TARGET_MS),
        Case("cockpit-district", "cockpit", callers[1][0], district_client, [cockpit], TARGET_MS),
        Case("api-list", "API list", callers[0][0], town_client, [api], TARGET_MS),
        Case("api-list-district", "API list", callers[1][0], district_client, [api], TARGET_MS),
        Case(
            "api-list-filtered",
            "API list filtered p3",
            callers[0][0],
            town_client,
            [f"{api}?{urlencode({**DIRECTORY_FILTERS, 'page': 3})}"],
            TARGET_MS,
            note=rows(town_filtered),
        ),
    ]
    return cases


def environment() -> dict:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            db_version = cursor.fetchone()[0]
        else:
            db_version = f"{connection.vendor} {connection.Database.sqlite_version}"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {
        "database": db_version,
        "database_name": str(connection.settings_dict["NAME"]),
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs {platform.system()}",
        "debug": os.environ.get("SANLIAN_DEBUG"),
        "commit": commit,
    }


def summary(load, results, requests: int, warmup: int) -> str:
    """A paragraph the README can quote."""
    measured = [r for r in results if r.p50_ms is not None and not r.peer]
    missing = [r for r in results if not r.available]
    c = load.counts
    healthz = next((r for r in results if r.key == "healthz" and r.p50_ms), None)
    parts = [
        f"With {c['enterprises']:,} generated enterprises ({c['annual_reports']:,} annual reports, "
        f"{c['certifications']:,} certifications, {c['chain_node_links']:,} chain-node links) the pages respond "
        f"server-side, measured in-process over {requests} requests after {warmup} warm-up:"
    ]
    for r in measured:
        parts.append(f"{r.label} ({r.caller}) p50 {r.p50_ms:.0f} ms, p95 {r.p95_ms:.0f} ms, {r.queries} queries;")
    if healthz:
        parts.append(f"the framework baseline /healthz takes {healthz.p50_ms:.2f} ms.")
    if missing:
        parts.append("Not measured: " + ", ".join(f"{r.label} ({r.caller}): {r.note}" for r in missing) + ".")
    return " ".join(parts)


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.env import configure

    url = configure(args.database_url)
    from django.core.management import call_command

    from bench import dataset, harness

    say(f"database {url}")
    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    say(f"migrate: {time.perf_counter() - t:.1f} s")
    load = dataset.ensure_dataset(args.size, args.seed, force=args.regenerate, progress=say)
    say(f"data: {load.counts} ({'loaded' if load.loaded else 'kept'}; load took {load.seconds:.1f} s)")
    town_officer, district_officer = bench_users()
    cases = build_cases(town_officer, district_officer)
    results = harness.measure(cases, requests=args.requests, warmup=args.warmup, progress=say)
    if not args.no_explain:
        harness.explain_slow(results)

    table = harness.markdown_table(results)
    paragraph = summary(load, results, args.requests, args.warmup)
    c, env = load.counts, environment()
    print(f"## Registry benchmark: {c['enterprises']:,} enterprises\n")
    print(
        f"Data: {c['enterprises']:,} enterprises, {c['annual_reports']:,} annual reports, "
        f"{c['certifications']:,} certifications, {c['chain_node_links']:,} chain-node links, "
        f"{c['contacts']:,} contacts; loaded in {load.seconds:.1f} s"
        f"{'' if load.loaded else ' (by an earlier run; kept)'}. {env['database'].split(' on ')[0]}, "
        f"Python {env['python']}, Django {env['django']}, {env['machine']}; {args.requests} timed requests "
        f"per page after {args.warmup} warm-up, round-robin; p50 × peer = ratio of medians.\n"
    )
    print(table)
    print()
    for r in results:
        if r.note:
            print(f"- {r.label} ({r.caller}): {r.note}")
    slow = [r for r in results if r.meets_target is False]
    if slow:
        print("\nSlowest queries of the pages over target (ms, as executed during the capture request):\n")
        for r in slow:
            print(f"- {r.label} ({r.caller}), {r.queries} queries, {r.sql_ms:.1f} ms in SQL:")
            for q in r.slow_queries[:3]:
                print(f"  - {q['ms']:.1f} ms: `{q['sql'][:160]}…`")
    print()
    print(paragraph)

    args.output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = args.output_dir / f"registry-{args.size}-{stamp}.json"
    payload = {
        "benchmark": "registry",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": args.size,
        "seed": args.seed,
        "requests": args.requests,
        "warmup": args.warmup,
        "target_ms": TARGET_MS,
        "data": {"counts": load.counts, "loaded_now": load.loaded, "load_seconds": load.seconds},
        "environment": env,
        "results": [r.as_dict() for r in results],
        "summary": paragraph,
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    say(f"wrote {out}")
    if args.fail_over_target and any(r.meets_target is False for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
