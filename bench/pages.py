"""Pages in the browser: `python -m bench.pages [--runs 5] [--network loopback|4g] [--database-url URL]`.

Loads the demo (`demo_load`, what `sanlian loaddemo` runs) into its own database (default: the embedded
SQLite file $SANLIAN_VAR_DIR/bench_pages.sqlite3; --database-url for a PostgreSQL database whose name
contains "bench"), serves it as production does (DEBUG off, `collectstatic`, WhiteNoise, gunicorn sync
workers), and drives Debian's Chromium (/usr/bin/chromium through Playwright, never a downloaded browser)
through the main pages of each role, signed in (sessions written into the session store as bench/load.py
does; officers with their TOTP second factor verified in the session).

Each run of a page opens a fresh browser context (empty HTTP cache): the first visit is "cold", a second
visit of the same page in that context is "warm" (static files in the browser's cache, the connection
kept alive). Per page and per cache state, the median over the runs of:

- TTFB: navigation start to the first byte of the HTML (Navigation Timing `responseStart`);
- DCL: `domContentLoadedEventEnd`: the HTML is parsed and every (deferred) script has run;
- load: `loadEventEnd`: every sub-resource is in;
- usable: the later of DCL, the largest contentful paint (LCP) and, on chart pages, the first frame
  after the last chart of the first screen went into the page (its canvas). That is the moment a person
  sees the main content and can use it: links and forms are wired (htmx and the page's scripts ran before
  DCL), the biggest block of content is painted, and the charts on screen are drawn (those further down
  are drawn in idle moments after, before anyone has scrolled to them). `load` is not the measure: it also
  waits for things nobody waits for (the favicon, images below the fold);
- bytes: bytes transferred (Resource Timing `transferSize` of the document and every sub-resource: what
  came over the wire, compressed; 0 for what the cache answered);
- requests: every request the page made (those the cache answered included), and how many went to the
  network.

Any request (or a script, stylesheet, font, image or frame the page refers to, or a CSP violation) outside
the server's origin fails the bench. A minimal page, the login page, is measured in the same run as the
peer: the figures are also given as ratios to it. Writes bench/results/pages-*.json and a Markdown table;
exits 1 if a page's median "usable" (cold or warm) reaches the budget (1 s) or anything left the origin.

`--network 4g` makes Chromium emulate a mobile network (Network.emulateNetworkConditions: 10 Mbit/s down,
5 Mbit/s up, 40 ms latency) so the bytes count as they do for a person; the throughput limit shows plainly
in the figures, the latency hardly (the navigation's TTFB stays near loopback's): read it as a bandwidth
test. The default, loopback, measures the server and the browser.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BUDGET_MS = 1000.0
PEER = "login"
NETWORKS = {
    "loopback": None,
    # A good mobile connection; bytes/s for Chrome DevTools Protocol (Network.emulateNetworkConditions).
    "4g": {"offline": False, "latency": 40, "downloadThroughput": 10_000_000 / 8, "uploadThroughput": 5_000_000 / 8},
}
DIRECTORY_FILTERS = {"cluster": "devices", "q": "生物"}
STATIC_CHECKED = ["vendor/echarts.min.js", "vendor/htmx.min.js", "css/sanlian.css"]
ROLES = {
    "public": None,
    "enterprise": "ent_admin",
    "officer": "pj_officer",
    "talent": "talent_demo",
}

# Runs in every page before its own scripts (the browser injects it, so the page's CSP does not stop it).
OBSERVER_SCRIPT = """
(() => {
  const m = window.__bench = {lcp: 0, chart: 0, csp: []};
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) m.lcp = Math.max(m.lcp, e.startTime);
    }).observe({type: 'largest-contentful-paint', buffered: true});
  } catch (e) {}
  document.addEventListener('securitypolicyviolation', e => m.csp.push(e.violatedDirective + ' ' + e.blockedURI));
  // A chart on the first screen: a canvas (ECharts draws on one) whose top is inside the viewport.
  const onFirstScreen = n => n.nodeType === 1 &&
    [...(n.matches('canvas') ? [n] : n.querySelectorAll('canvas'))]
      .some(c => c.getBoundingClientRect().top < window.innerHeight);
  new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes) if (onFirstScreen(n)) {
      requestAnimationFrame(() => { m.chart = Math.max(m.chart, performance.now()); });
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""

COLLECT_SCRIPT = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const m = window.__bench || {lcp: 0, chart: 0, csp: []};
  const refs = [];
  document.querySelectorAll('script[src], link[href], img[src], iframe[src], source[src], video[src], audio[src]')
    .forEach(el => refs.push(el.src || el.href));
  for (const sheet of document.styleSheets) {
    try {
      for (const rule of sheet.cssRules)
        if (rule.type === CSSRule.FONT_FACE_RULE || rule.type === CSSRule.IMPORT_RULE) refs.push(rule.cssText);
    } catch (e) { refs.push('unreadable stylesheet ' + sheet.href); }
  }
  return {
    ttfb: nav.responseStart - nav.startTime,
    dcl: nav.domContentLoadedEventEnd - nav.startTime,
    load: nav.loadEventEnd - nav.startTime,
    lcp: m.lcp,
    chart: m.chart,
    csp: m.csp,
    status: nav.responseStatus || 0,
    bytes: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
    network: (nav.transferSize > 0 ? 1 : 0) + resources.filter(r => r.transferSize > 0).length,
    charts: document.querySelectorAll('canvas').length,
    refs: refs,
  };
}
"""


@dataclass
class Page:
    key: str
    label: str
    role: str
    path: str
    charts: bool = False
    redirects: bool = False  # "/" sends a signed-in person on to his landing page: measured with the redirect


@dataclass
class Visit:
    ttfb: float
    dcl: float
    load: float
    lcp: float
    chart: float
    usable: float
    bytes: int
    requests: int
    network: int
    outside: list[str] = field(default_factory=list)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold + warm visits per page (default %(default)s)")
    parser.add_argument("--pages", help="comma-separated keys of the pages to measure (default: all)")
    parser.add_argument("--network", choices=sorted(NETWORKS), default="loopback", help="(default %(default)s)")
    parser.add_argument("--budget-ms", type=float, default=BUDGET_MS, help="usable budget (default %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default %(default)s)")
    parser.add_argument("--port", type=int, default=8062, help="gunicorn's port on 127.0.0.1 (default %(default)s)")
    parser.add_argument("--database-url", help="default: sqlite:///$SANLIAN_VAR_DIR/bench_pages.sqlite3")
    parser.add_argument("--demo-scale", type=float, default=1.0, help="size of the demo (default %(default)s)")
    parser.add_argument("--skip-demo", action="store_true", help="do not run loaddemo (data already there)")
    parser.add_argument("--no-collectstatic", action="store_true", help="skip collectstatic (WhiteNoise's finders)")
    parser.add_argument("--output-dir", type=Path, default=RESULTS_DIR, help="where the JSON goes")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.workers < 1:
        parser.error("--runs and --workers must be at least 1")
    return args


def say(message: str) -> None:
    print(f"[pages] {message}", file=sys.stderr, flush=True)


def is_outside(url: str, origin: str) -> bool:
    """True for a request that leaves the platform: any http(s)/ws(s) URL of another origin.

    data:, blob: and about: URLs are the page's own; chrome-extension: and the like cannot occur in a
    fresh headless profile, so they count as outside too.
    """
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return True
    own = urlsplit(origin)
    return (parts.hostname, parts.port or 80) != (own.hostname, own.port or 80)


def outside_references(refs: list[str], origin: str) -> list[str]:
    """URLs in src/href attributes and @font-face/@import rules that point outside the origin."""
    import re

    found = []
    for ref in refs:
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", ref) if "{" in ref or ref.startswith("@") else [ref]
        for url in urls:
            if url.startswith(("http:", "https:", "//", "ws:", "wss:")):
                full = "http:" + url if url.startswith("//") else url
                if is_outside(full, origin):
                    found.append(url)
            elif ref.startswith("unreadable stylesheet"):
                found.append(ref)
    return found


# Set-up in the database ---------------------------------------------------------------------------


def prepare() -> tuple[dict[str, str | None], list[Page]]:
    """Signed-in sessions per role and the pages (paths resolved on the demo data)."""
    from django.urls import reverse
    from django.utils import timezone

    from bench.load import _otp_device, _session
    from sanlian.community.news_selectors import published
    from sanlian.core.models import User
    from sanlian.core.passwords import is_privileged
    from sanlian.enterprises.models import Enterprise
    from sanlian.policies.models import Application, PolicyVersion
    from sanlian.talent.models import TalentApplication

    sessions: dict[str, str | None] = {}
    users = {}
    for role, username in ROLES.items():
        if username is None:
            sessions[role] = None
            continue
        user = User.objects.get(username=username)
        User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())  # no rotation redirect
        user.refresh_from_db()
        device = _otp_device(user) if is_privileged(user) else None
        sessions[role] = _session(user, otp_device=device)
        users[role] = user

    enterprise = users["enterprise"].enterprise
    policy = PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).order_by("policy__code").first().policy
    news = published().order_by("-published_at").first()
    mine = Application.objects.filter(enterprise=enterprise)
    draft = mine.filter(status="draft").order_by("pk").first() or mine.order_by("pk").first()
    talent_app = TalentApplication.objects.filter(applicant=users["talent"]).order_by("pk").first()
    town = users["officer"].region
    profile = (
        Enterprise.objects.filter(town=town, is_biomedical=True, annual_reports__isnull=False).order_by("pk").first()
    )
    directory = f"{reverse('enterprises:directory')}?{urlencode(DIRECTORY_FILTERS)}"
    pages = [
        Page(PEER, "login (peer)", "public", reverse("login")),
        Page("library", "policy library", "public", reverse("policies:library")),
        Page("policy", "a policy", "public", reverse("policies:detail", args=[policy.code])),
        Page("news", "news", "public", reverse("news:list")),
        Page("news-article", "a news article", "public", reverse("news:detail", args=[news.pk])),
        Page("events", "events", "public", reverse("events:list")),
        Page("space", "space", "public", reverse("space:search")),
        Page("home", "home → 我的企业", "enterprise", reverse("home"), redirects=True),
        Page("mine", "我的政策", "enterprise", reverse("policies:mine")),
        Page("calls", "calls", "enterprise", reverse("policies:calls")),
        Page("declaration", "a declaration form", "enterprise", reverse("policies:application", args=[draft.pk])),
        Page("desk", "desk requests", "enterprise", reverse("servicedesk:requests")),
        Page("cockpit", "cockpit", "officer", reverse("dashboard:cockpit"), charts=True),
        Page("directory", "directory filtered", "officer", directory),
        Page("profile", "an enterprise profile", "officer", reverse("enterprises:detail", args=[profile.pk])),
        Page("talent-apps", "talent applications", "officer", reverse("talent:applications")),
        Page("chain-map", "chain map", "officer", reverse("chain:map"), charts=True),
        Page("gaps", "gap analysis", "officer", reverse("chain:gaps")),
        Page("talent-form", "talent application form", "talent", reverse("talent:application", args=[talent_app.pk])),
    ]
    return sessions, pages


# The browser --------------------------------------------------------------------------------------


def _visit(page, url: str, origin: str, requests: list[str], redirects: bool = False) -> Visit:
    requests.clear()
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        raise RuntimeError(f"{url}: HTTP {response.status if response else 'no response'}")
    if not redirects and urlsplit(page.url)._replace(fragment="") != urlsplit(url)._replace(fragment=""):
        raise RuntimeError(f"{url} was redirected to {page.url} (not signed in?)")
    if redirects and urlsplit(page.url).path.startswith(("/login/", "/account/")):
        raise RuntimeError(f"{url} was redirected to {page.url} (not signed in?)")
    # LCP is final at the first input or once the page is loaded and painted; give charts a frame or two.
    page.wait_for_timeout(150)
    m = page.evaluate(COLLECT_SCRIPT)
    outside = [u for u in requests if is_outside(u, origin)]
    outside += outside_references(m["refs"], origin)
    outside += [f"CSP: {v}" for v in m["csp"]]
    usable = max(m["dcl"], m["lcp"], m["chart"])
    return Visit(
        ttfb=m["ttfb"], dcl=m["dcl"], load=m["load"], lcp=m["lcp"], chart=m["chart"], usable=usable,
        bytes=int(m["bytes"]), requests=len(requests), network=m["network"], outside=sorted(set(outside)),
    )  # fmt: skip


def _context(browser, origin: str, session: str | None, cookie_name: str, network: dict | None):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    if session:
        context.add_cookies([{"name": cookie_name, "value": session, "url": origin}])
    context.add_init_script(OBSERVER_SCRIPT)
    page = context.new_page()
    if network:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", network)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return context, page, requests


def measure(*, origin: str, pages: list[Page], sessions: dict, cookie_name: str, runs: int, network) -> dict:
    """{page key: {"cold": [Visit], "warm": [Visit]}}; an untimed visit of every page first."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium (never a downloaded browser)")
    visits = {p.key: {"cold": [], "warm": []} for p in pages}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # Warm-up: every gunicorn worker compiles its templates and fills its caches once.
            for p in pages:
                context, page, requests = _context(browser, origin, sessions[p.role], cookie_name, None)
                try:
                    for _ in range(2):
                        _visit(page, origin + p.path, origin, requests, p.redirects)
                finally:
                    context.close()
            for run in range(runs):
                for p in pages:  # round-robin, so a burst of load elsewhere hits every page alike
                    context, page, requests = _context(browser, origin, sessions[p.role], cookie_name, network)
                    try:
                        visits[p.key]["cold"].append(_visit(page, origin + p.path, origin, requests, p.redirects))
                        page.goto("about:blank")
                        visits[p.key]["warm"].append(_visit(page, origin + p.path, origin, requests, p.redirects))
                    finally:
                        context.close()
                say(f"run {run + 1}/{runs} done")
        finally:
            browser.close()
    return visits


# Results ------------------------------------------------------------------------------------------


def _median(values):
    return round(statistics.median(values), 1) if values else None


def summarise(pages: list[Page], visits: dict, budget_ms: float) -> list[dict]:
    rows = []
    for p in pages:
        row = {"key": p.key, "label": p.label, "role": p.role, "path": p.path, "charts": p.charts}
        for state in ("cold", "warm"):
            vs = visits[p.key][state]
            row[state] = {
                "runs": len(vs),
                **{f"{k}_ms": _median([getattr(v, k) for v in vs]) for k in ("ttfb", "dcl", "load", "lcp", "usable")},
                "chart_ms": _median([v.chart for v in vs]) if p.charts else None,
                "bytes": int(statistics.median([v.bytes for v in vs])) if vs else None,
                "requests": int(statistics.median([v.requests for v in vs])) if vs else None,
                "network_requests": int(statistics.median([v.network for v in vs])) if vs else None,
                "outside": sorted({u for v in vs for u in v.outside}),
            }
        row["usable_ok"] = all(
            row[s]["usable_ms"] is not None and row[s]["usable_ms"] < budget_ms for s in ("cold", "warm")
        )
        rows.append(row)
    peer = next((r for r in rows if r["key"] == PEER), None)
    for r in rows:
        for state in ("cold", "warm"):
            base = peer[state]["usable_ms"] if peer else None
            r[state]["usable_x_peer"] = (
                round(r[state]["usable_ms"] / base, 2) if base and r[state]["usable_ms"] else None
            )
    return rows


def _kb(n) -> str:
    return "" if n is None else f"{n / 1024:.0f}"


def _ms(v) -> str:
    return "" if v is None else f"{v:.0f}"


def markdown_table(rows: list[dict]) -> str:
    lines = [
        "| page | role | TTFB ms | DCL ms | load ms | **usable ms** | × login | KB | requests (network) "
        "| warm: usable ms | × login | KB | requests (network) | outside |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        c, w = r["cold"], r["warm"]
        flag = "" if r["usable_ok"] else " ⚠"
        outside = len(set(c["outside"]) | set(w["outside"]))
        lines.append(
            f"| {r['label']} | {r['role']} | {_ms(c['ttfb_ms'])} | {_ms(c['dcl_ms'])} | {_ms(c['load_ms'])} | "
            f"**{_ms(c['usable_ms'])}**{flag} | {c['usable_x_peer'] or ''} | {_kb(c['bytes'])} | "
            f"{c['requests']} ({c['network_requests']}) | {_ms(w['usable_ms'])} | {w['usable_x_peer'] or ''} | "
            f"{_kb(w['bytes'])} | {w['requests']} ({w['network_requests']}) | {outside} |"
        )
    return "\n".join(lines)


def static_url(name: str) -> str:
    """The URL the pages use for a static file (the content-hashed name once collectstatic has run)."""
    from django.templatetags.static import static

    return static(name)


def static_over_the_wire(origin: str, paths: list[str]) -> list[dict]:
    """Size of the big static files as a browser receives them (Accept-Encoding: br, gzip) and their caching."""
    import urllib.request

    out = []
    for path in paths:
        request = urllib.request.Request(origin + path, headers={"Accept-Encoding": "br, gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            out.append({
                "path": path, "bytes": len(body), "encoding": response.headers.get("Content-Encoding") or "identity",
                "cache_control": response.headers.get("Cache-Control") or "",
            })  # fmt: skip
    return out


# Main ---------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.pop("SANLIAN_ENV", None)  # production mode would demand HTTPS and real keys
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    var_dir = Path(os.environ.setdefault("SANLIAN_VAR_DIR", str(Path.cwd() / "var")))
    var_dir.mkdir(parents=True, exist_ok=True)
    from bench.env import configure

    url = configure(args.database_url or f"sqlite:///{var_dir / 'bench_pages.sqlite3'}")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from bench.load import server_environment, stop, wait_ready
    from bench.registry import environment
    from bench.search import LoadSampler

    say(f"database {url}")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if not args.skip_demo:
        from sanlian.demo.services import demo_load

        demo_load(scale=args.demo_scale)
    say(f"migrate + loaddemo: {time.perf_counter() - started:.1f} s")
    if not args.no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
        say(f"collectstatic into {settings.STATIC_ROOT}")
    sessions, pages = prepare()
    if args.pages:
        wanted = {k.strip() for k in args.pages.split(",")} | {PEER}
        unknown = wanted - {p.key for p in pages}
        if unknown:
            say(f"unknown pages: {', '.join(sorted(unknown))}; known: {', '.join(p.key for p in pages)}")
            return 2
        pages = [p for p in pages if p.key in wanted]
    connections.close_all()

    origin = f"http://127.0.0.1:{args.port}"
    logs = Path(tempfile.mkdtemp(prefix="sanlian-pages-"))
    server = None
    try:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sanlian.config.wsgi", "--bind", f"127.0.0.1:{args.port}",
             "--workers", str(args.workers), "--worker-class", "sync", "--timeout", "60",
             "--error-logfile", str(logs / "gunicorn.log"), "--log-level", "warning"],
            env=server_environment(url), cwd=ROOT,
        )  # fmt: skip
        wait_ready(f"{origin}/healthz", server)
        static = static_over_the_wire(origin, [static_url(n) for n in STATIC_CHECKED])
        say(f"gunicorn: {args.workers} sync workers on {origin}; {len(pages)} pages × {args.runs} runs")
        with LoadSampler() as sampler:
            visits = measure(
                origin=origin, pages=pages, sessions=sessions, cookie_name=settings.SESSION_COOKIE_NAME,
                runs=args.runs, network=NETWORKS[args.network],
            )  # fmt: skip
        load_average = sampler.summary()
        server_log = (logs / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
    finally:
        stop(server)

    rows = summarise(pages, visits, args.budget_ms)
    slow = [r for r in rows if not r["usable_ok"]]
    outside = sorted({u for r in rows for s in ("cold", "warm") for u in r[s]["outside"]})
    env = environment()
    header = (
        f"## Pages in the browser: {len(pages)} pages, {args.runs} runs, network {args.network}\n\n"
        f"{env['database'].split(' on ')[0]}, {env['machine']}, commit {env['commit']}, Chromium headless, "
        f"gunicorn {args.workers} sync workers, DEBUG off, "
        f"{'collectstatic + ' if not args.no_collectstatic else ''}WhiteNoise. Load average (1 min) during the run "
        f"{load_average['min']:.1f}–{load_average['max']:.1f}, mean {load_average['mean']:.1f}, on "
        f"{load_average['cpus']} CPUs. Medians of {args.runs} runs; cold = fresh browser context, warm = second "
        f"visit; usable = max(DOMContentLoaded, LCP, last chart drawn); × login = ratio to the login page's usable.\n"
    )
    print(header)
    print(markdown_table(rows))
    print()
    for s in static:
        print(f"- {s['path']}: {s['bytes']:,} bytes over the wire ({s['encoding']}), "
              f"Cache-Control: {s['cache_control']}")  # fmt: skip
    print(f"\n{len(rows) - len(slow)} of {len(rows)} pages usable in < {args.budget_ms:.0f} ms (median, cold and "
          f"warm); {len(outside)} requests outside the origin.")  # fmt: skip
    for r in slow:
        cold, warm = r["cold"]["usable_ms"], r["warm"]["usable_ms"]
        print(f"- over budget: {r['label']} ({r['role']}): cold {cold} ms, warm {warm} ms")
    for u in outside:
        print(f"- outside the origin: {u}")
    if "Traceback" in server_log:
        print("\ngunicorn's error log:\n" + server_log[-4000:])

    args.output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = args.output_dir / f"pages-{args.network}-{stamp}.json"
    payload = {
        "benchmark": "pages",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": args.runs,
        "network": args.network,
        "network_conditions": NETWORKS[args.network],
        "budget_ms": args.budget_ms,
        "gunicorn_workers": args.workers,
        "collectstatic": not args.no_collectstatic,
        "demo_scale": args.demo_scale,
        "environment": env,
        "load_average": load_average,
        "static": static,
        "pages": rows,
        "visits": {k: {s: [asdict(v) for v in vs] for s, vs in d.items()} for k, d in visits.items()},
        "over_budget": [r["key"] for r in slow],
        "outside": outside,
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    (out.with_suffix(".md")).write_text(header + "\n" + markdown_table(rows) + "\n", encoding="utf-8")
    say(f"wrote {out} and {out.with_suffix('.md').name}")
    return 1 if slow or outside else 0


if __name__ == "__main__":
    sys.exit(main())
