"""Load test: `python -m bench.load [--users 200] [--run-time 240] [--workers 3]`.

Loads the demo (`sanlian loaddemo`) into its own PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/sanlian_bench_load, created if missing), prepares signed-in sessions
directly in the session store (officers with a TOTP device verified in the session, enterprise users
of many demo enterprises), starts gunicorn on `sanlian.config.wsgi` and a Huey consumer with
DEBUG off, and runs locust headless (bench/load_locustfile.py) with three kinds of user: officers
browsing the cockpit, the directory and profiles; enterprise users applying to open calls; the public
reading policies and news. Writes p50/p95/p99 per request name and overall, failures and requests/s as
JSON under bench/results/ and prints a Markdown summary; exits 1 if any request failed.
"""

import argparse
import csv
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
LOCUSTFILE = Path(__file__).resolve().parent / "load_locustfile.py"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sanlian_bench_load"
ENTERPRISE_PREFIX = "bench_load_ent_"
TOWN_OFFICER, DISTRICT_OFFICER = "pj_officer", "mh_officer"
OTP_DEVICE_NAME = "bench-load"
# Directory filters officers use (codes of the reference data the demo loads).
DIRECTORY_FILTERS = [
    {},
    {"q": "生物"},
    {"cluster": "devices"},
    {"park": "lingang-pujiang"},
    {"revenue_band": "10m-50m"},
    {"cluster": "devices", "revenue_band": "10m-50m"},
]
# gunicorn: sync workers. Two cores are shared by gunicorn, PostgreSQL, the Huey consumer and locust
# itself (gevent, one process that needs most of a core at 200 users): cores + 1 workers keep both
# cores busy while one worker waits on PostgreSQL, without the memory and context switches of 2n + 1.
DEFAULT_WORKERS = (os.cpu_count() or 2) + 1


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="concurrent locust users (default %(default)s)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second (default %(default)s)")
    parser.add_argument("--run-time", type=int, default=240, help="seconds of load incl. ramp-up (default %(default)s)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn workers (default %(default)s)")
    parser.add_argument("--port", type=int, default=8061, help="gunicorn's port on 127.0.0.1 (default %(default)s)")
    parser.add_argument("--enterprises", type=int, default=400, help="enterprise accounts (default %(default)s)")
    parser.add_argument("--think", type=float, default=1.0, help="multiplies every think time (default %(default)s)")
    parser.add_argument("--database-url", default=None, help=f"overrides DATABASE_URL (default {DEFAULT_DATABASE_URL})")
    parser.add_argument("--seed", type=int, default=20261206, help="random seed of the plan (default %(default)s)")
    parser.add_argument("--output-dir", type=Path, default=RESULTS_DIR, help="where the JSON goes")
    parser.add_argument("--demo-scale", type=float, default=1.0, help="size of the demo (default %(default)s)")
    parser.add_argument("--skip-demo", action="store_true", help="do not run loaddemo (data already there)")
    parser.add_argument(
        "--no-collectstatic", action="store_true", help="skip collectstatic (WhiteNoise then serves from the finders)"
    )
    parser.add_argument("--no-huey", action="store_true", help="do not start a Huey consumer")
    args = parser.parse_args(argv)
    if args.users < 1 or args.run_time < 1 or args.workers < 1 or args.spawn_rate <= 0:
        parser.error("--users, --run-time, --workers and --spawn-rate must be positive")
    return args


def say(message: str) -> None:
    print(f"[load] {message}", file=sys.stderr, flush=True)


# Set-up in the database ---------------------------------------------------------------------------


def _session(user, *, otp_device=None) -> str:
    """A signed-in session of `user` written straight into the session store; returns its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if otp_device is not None:
        from django_otp import DEVICE_ID_SESSION_KEY

        store[DEVICE_ID_SESSION_KEY] = otp_device.persistent_id
    store.create()
    return store.session_key


def _otp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name=OTP_DEVICE_NAME, defaults={"confirmed": True})
    return device


def _pool(limit: int, today) -> list:
    """Demo enterprises that the demo's own story does not use, with the open calls they may apply to."""
    from sanlian.core.models import User
    from sanlian.policies.models import Application, Call
    from sanlian.policies.services import calls as call_services

    calls = [c for c in Call.objects.filter(status=Call.Status.PUBLISHED).order_by("pk") if c.is_open_on(today)]
    demo_story = set(
        User.objects.filter(enterprise__isnull=False)
        .exclude(username__startswith=ENTERPRISE_PREFIX)
        .values_list("enterprise_id", flat=True)
    )
    demo_story |= set(Application.objects.values_list("enterprise_id", flat=True))  # the bench's were reset
    from sanlian.enterprises.models import Enterprise

    pool = []
    candidates = Enterprise.objects.filter(is_demo=True).exclude(pk__in=demo_story).order_by("pk")
    for enterprise in candidates.iterator():
        answers = call_services.calls_eligibility(calls=calls, enterprise_id=enterprise.pk, as_of=today)
        open_to = [c.pk for c in calls if answers[c.pk][0] != "not_eligible"]
        if open_to:
            pool.append((enterprise, open_to))
        if len(pool) >= limit:
            break
    return pool


def applications_made() -> dict[str, int]:
    """Applications of the bench's enterprises by status: what the run's declarations left behind."""
    from django.db.models import Count

    from sanlian.policies.models import Application

    rows = (
        Application.objects.filter(enterprise__users__username__startswith=ENTERPRISE_PREFIX)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


def _reset(pool_ids: list[int]) -> int:
    """Delete the applications (and their files) an earlier run made for the bench's enterprises."""
    from sanlian.policies.models import Application, ApplicationMaterial

    for material in ApplicationMaterial.objects.filter(application__enterprise_id__in=pool_ids):
        material.file.delete(save=False)
    deleted, _ = Application.objects.filter(enterprise_id__in=pool_ids).delete()
    return deleted


def _value(spec: dict, today) -> str:
    """A valid answer to one field of a call's form, as a browser would post it."""
    kind = spec.get("type")
    if kind == "choice":
        return spec["choices"][0]
    if kind == "number":
        return "120"
    if kind == "date":
        return today.isoformat()
    return "基准测试填写的内容"


def _call_plan(call, today) -> dict:
    """The form an applicant fills in and the required materials he uploads."""
    return {
        "fields": {spec["key"]: _value(spec, today) for spec in call.form_fields},
        "materials": [m["key"] for m in call.materials if m.get("required")],
    }


def prepare(*, enterprises: int, seed: int, plan_dir: Path) -> dict:
    """Accounts, sessions and the URLs locust uses; writes plan.json (and a PDF to upload) in `plan_dir`."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from sanlian.community.news_selectors import published
    from sanlian.core.models import Role, User
    from sanlian.demo.policies import demo_pdf
    from sanlian.enterprises.models import Enterprise
    from sanlian.policies.models import Call, PolicyVersion

    rng = random.Random(seed)
    today = timezone.localdate()
    officers = {name: User.objects.get(username=name) for name in (TOWN_OFFICER, DISTRICT_OFFICER)}
    with transaction.atomic():
        # Leftovers of an earlier run first, so the pool is the same enterprises again.
        bench_users = User.objects.filter(username__startswith=ENTERPRISE_PREFIX)
        earlier = list(bench_users.values_list("enterprise_id", flat=True))
        removed = _reset(earlier)
        pool = _pool(enterprises, today)
        accounts = []
        for enterprise, calls in pool:
            user, _ = User.objects.update_or_create(
                username=f"{ENTERPRISE_PREFIX}{enterprise.pk}",
                defaults={"role": Role.ENTERPRISE_ADMIN, "enterprise": enterprise, "is_active": True,
                          "display_name": f"基准企业用户 {enterprise.pk}"},
            )  # fmt: skip
            if user.has_usable_password():
                user.set_unusable_password()
                user.save(update_fields=["password"])
            accounts.append({"session": _session(user), "enterprise": enterprise.pk, "calls": calls})
        officer_sessions = []  # town and district in turn, so any number of officer users is half each
        devices = {name: _otp_device(user) for name, user in officers.items()}
        for _ in range(60):
            for kind, name in (("town", TOWN_OFFICER), ("district", DISTRICT_OFFICER)):
                session = _session(officers[name], otp_device=devices[name])
                officer_sessions.append({"session": session, "kind": kind})
    town = officers[TOWN_OFFICER].region
    profiles = list(
        Enterprise.objects.filter(town=town, is_demo=True).order_by("pk").values_list("pk", flat=True)[:400]
    )
    rng.shuffle(profiles)
    policies = list(
        PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
        .order_by("policy__code")
        .values_list("policy__code", flat=True)
    )
    news = list(published().order_by("-published_at").values_list("pk", flat=True))
    directory_pages = max(1, Enterprise.objects.filter(town=town).count() // settings.SANLIAN_PAGE_SIZE)
    used = {pk for account in accounts for pk in account["calls"]}
    calls = {str(c.pk): _call_plan(c, today) for c in Call.objects.filter(pk__in=used)}
    pdf = plan_dir / "material.pdf"
    pdf.write_bytes(demo_pdf("基准测试材料"))
    plan = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "officers": officer_sessions,
        "enterprises": accounts,
        "calls": calls,
        "profiles": profiles,
        "directory_filters": DIRECTORY_FILTERS,
        "directory_pages": min(directory_pages, 12),
        "cockpit_years": [today.year - 3, today.year - 2],
        "policies": policies,
        "news": news,
        "static": [f"{settings.STATIC_URL}css/sanlian.css", f"{settings.STATIC_URL}vendor/htmx.min.js"],
        "material_pdf": str(pdf),
        "today": today.isoformat(),
    }
    (plan_dir / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    pairs = sum(len(a["calls"]) for a in accounts)
    say(
        f"plan: {len(accounts)} enterprise accounts ({pairs} enterprise × call pairs), {len(officer_sessions)} "
        f"officer sessions, {len(policies)} policies, {len(news)} news, {len(profiles)} profiles; "
        f"{removed} rows of an earlier run removed"
    )
    return plan


# Processes ----------------------------------------------------------------------------------------


def server_environment(database_url: str) -> dict:
    """The environment of gunicorn, Huey and collectstatic: production-like, with this worktree first."""
    env = dict(os.environ)
    env.pop("SANLIAN_ENV", None)
    env.update(
        {
            "DATABASE_URL": database_url,
            "SANLIAN_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "sanlian.config.settings",
            "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH", "")] if p),
        }
    )
    env.pop("SANLIAN_TESTING", None)
    return env


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def check_static(base: str, paths: list[str]) -> None:
    """WhiteNoise serves the static files with DEBUG off (the pages would be unstyled otherwise)."""
    for path in paths:
        with urllib.request.urlopen(base + path, timeout=5) as response:
            if response.status != 200 or not response.read(1):
                raise RuntimeError(f"static file {path} not served ({response.status})")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class CpuMeter:
    """CPU seconds used during the run by gunicorn (master and workers) and the Huey consumer.

    PostgreSQL is left out: its server is shared with other databases, and CONN_MAX_AGE recycles the
    backends of this one every minute, so their CPU cannot be told apart from /proc.
    """

    def __init__(self, server: subprocess.Popen, huey: subprocess.Popen | None):
        self.server, self.huey = server, huey
        self.start = self._sample()

    def _sample(self) -> dict[str, dict[int, float]]:
        server = [self.server.pid, *_children(self.server.pid)]
        return {
            "gunicorn": {pid: _cpu(pid) for pid in server},
            "huey": {pid: _cpu(pid) for pid in ([self.huey.pid, *_children(self.huey.pid)] if self.huey else [])},
        }

    def used(self) -> dict[str, float]:
        end = self._sample()
        return {
            name: round(sum(cpu - self.start[name].get(pid, 0.0) for pid, cpu in end[name].items()), 1) for name in end
        }


# Results ------------------------------------------------------------------------------------------


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_stats(prefix: Path) -> dict:
    """locust's CSV statistics: one row per request name and the aggregate, plus the failures."""
    rows = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.append(
                {
                    "method": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": _number(row["50%"]),
                    "p95_ms": _number(row["95%"]),
                    "p99_ms": _number(row["99%"]),
                    "mean_ms": _number(row["Average Response Time"]),
                    "max_ms": _number(row["Max Response Time"]),
                    "requests_per_s": _number(row["Requests/s"]),
                }
            )
    failures = []
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            failures = [
                {"method": r["Method"], "name": r["Name"], "error": r["Error"], "occurrences": int(r["Occurrences"])}
                for r in csv.DictReader(fh)
            ]
    total = next((r for r in rows if r["name"] == "Aggregated"), None)
    return {"requests": [r for r in rows if r["name"] != "Aggregated"], "total": total, "failures": failures}


def _ms(value) -> str:
    return "" if value is None else f"{value:.0f}"


def markdown(stats: dict) -> str:
    lines = ["| request | n | p50 ms | p95 ms | p99 ms | failures |", "|---|---|---|---|---|---|"]
    for r in sorted(stats["requests"], key=lambda r: r["name"]):
        lines.append(
            f"| {r['method']} {r['name']} | {r['requests']} | {_ms(r['p50_ms'])} | {_ms(r['p95_ms'])} | "
            f"{_ms(r['p99_ms'])} | {r['failures']} |"
        )
    t = stats["total"]
    if t:
        lines.append(
            f"| **all** | {t['requests']} | {_ms(t['p50_ms'])} | {_ms(t['p95_ms'])} | {_ms(t['p99_ms'])} | "
            f"{t['failures']} |"
        )
    return "\n".join(lines)


def run_locust(*, args, host: str, plan_dir: Path, prefix: Path) -> int:
    env = dict(os.environ)
    env.update({"SANLIAN_LOAD_PLAN": str(plan_dir / "plan.json"), "SANLIAN_LOAD_THINK": str(args.think)})
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", host,
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.run_time}s",
        "--stop-timeout", "10", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.pop("SANLIAN_ENV", None)  # production mode would demand HTTPS and real keys
    from bench.env import configure

    url = configure(args.database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    from django.conf import settings
    from django.core.management import call_command

    from bench.registry import environment
    from bench.search import LoadSampler

    say(f"database {url}; redis {os.environ.get('REDIS_URL') or '(none: Huey on SQLite, local-memory cache)'}")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if not args.skip_demo:
        from sanlian.demo.services import demo_load

        demo_load(scale=args.demo_scale)  # what `sanlian loaddemo` runs; safe to run twice
    say(f"migrate + loaddemo: {time.perf_counter() - started:.1f} s")
    if not args.no_collectstatic:  # as a deployment does; WhiteNoise serves the compressed copies
        call_command("collectstatic", interactive=False, verbosity=0)
        say(f"collectstatic into {settings.STATIC_ROOT}")

    plan_dir = Path(tempfile.mkdtemp(prefix="sanlian-load-"))
    server = huey = None
    try:
        prepare(enterprises=args.enterprises, seed=args.seed, plan_dir=plan_dir)
        from django.db import connections

        connections.close_all()
        env = server_environment(url)
        logs = plan_dir / "logs"
        logs.mkdir()
        host = f"http://127.0.0.1:{args.port}"
        if not args.no_huey:
            with open(logs / "huey.log", "wb") as huey_log:  # the child keeps its own descriptor
                huey = subprocess.Popen([sys.executable, "-m", "sanlian", "run_huey"], env=env, cwd=ROOT,
                                        stdout=huey_log, stderr=subprocess.STDOUT)  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sanlian.config.wsgi", "--bind", f"127.0.0.1:{args.port}",
             "--workers", str(args.workers), "--worker-class", "sync", "--timeout", "60", "--backlog", "2048",
             "--error-logfile", str(logs / "gunicorn.log"), "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        wait_ready(f"{host}/healthz", server)
        check_static(host, [f"{settings.STATIC_URL}css/sanlian.css"])
        say(f"gunicorn: {args.workers} sync workers on {host}; locust: {args.users} users, "
            f"{args.spawn_rate}/s, {args.run_time} s")  # fmt: skip
        prefix = plan_dir / "locust"
        meter = CpuMeter(server, huey)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.monotonic()
        with LoadSampler() as sampler:
            code = run_locust(args=args, host=host, plan_dir=plan_dir, prefix=prefix)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = {**meter.used(), "locust": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
               "wall": round(time.monotonic() - wall, 1)}  # fmt: skip
        load_average = sampler.summary()
        server_log = (logs / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
    finally:
        stop(server)
        stop(huey)

    stats = read_stats(prefix)
    made = applications_made()
    total = stats["total"] or {}
    failed = (total.get("failures") or 0) > 0 or code != 0
    env_info = environment()
    header = (
        f"## Load: {args.users} users, {args.run_time} s (ramp {args.users / args.spawn_rate:.0f} s), "
        f"gunicorn {args.workers} sync workers\n\n{env_info['database'].split(' on ')[0]}, {env_info['machine']}, "
        f"commit {env_info['commit']}; load average (1 min) during the run {load_average['min']:.1f}–"
        f"{load_average['max']:.1f}, mean {load_average['mean']:.1f}. "
        f"{total.get('requests', 0):,} requests, {total.get('requests_per_s') or 0:.1f} requests/s, "
        f"{total.get('failures', 0)} failures. CPU seconds used in the {cpu['wall']:.0f} s: gunicorn "
        f"{cpu['gunicorn']:.0f} ({cpu['gunicorn'] * 1000 / max(1, total.get('requests') or 0):.0f} ms a request), "
        f"Huey {cpu['huey']:.0f}, "
        f"locust {cpu['locust']:.0f} (of {cpu['wall'] * (os.cpu_count() or 1):.0f} the machine has). "
        f"Applications left by the run, by status: {made}.\n"
    )
    print(header)
    print(markdown(stats))
    for f in stats["failures"]:
        print(f"- failure: {f['method']} {f['name']}: {f['error']} ×{f['occurrences']}")
    if "Traceback" in server_log or "[CRITICAL]" in server_log:
        print("\ngunicorn's error log:\n" + server_log[-4000:])
    args.output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = args.output_dir / f"load-{args.users}u-{stamp}.json"
    payload = {
        "benchmark": "load",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": args.users,
        "spawn_rate": args.spawn_rate,
        "run_time_s": args.run_time,
        "think_factor": args.think,
        "gunicorn_workers": args.workers,
        "environment": env_info,
        "redis": bool(os.environ.get("REDIS_URL")),
        "load_average": load_average,
        "cpu_seconds": cpu,
        "applications": made,
        "locust_exit_code": code,
        "total": stats["total"],
        "requests": stats["requests"],
        "failures": stats["failures"],
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    say(f"wrote {out}")
    shutil.rmtree(plan_dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
