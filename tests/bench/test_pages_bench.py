"""The pages bench runs end to end, small, so bench/pages.py cannot rot.

It is the real thing made small: a tenth of the demo in a SQLite file of its own, one gunicorn worker
(static files from WhiteNoise's finders: collectstatic takes half a minute), Debian's Chromium, three pages
of three roles and one run. No timing is asserted (the budget is set out of reach; the figures come from
the full run, in the README): what is asserted is that every page was measured signed in, the cockpit's
chart was seen drawn, and nothing was requested outside the origin.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench import pages

ROOT = Path(pages.__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.browser
def test_pages_bench_measures_pages_of_each_role_in_the_browser(tmp_path):
    assert os.path.exists(pages.CHROMIUM), "install Debian's chromium (make tools)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_SETTINGS"))}
    env.pop("DATABASE_URL", None)
    env.update({"SANLIAN_VAR_DIR": str(tmp_path / "var"),
                "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH", "")] if p)})  # fmt: skip
    out = tmp_path / "results"
    command = [
        sys.executable, "-m", "bench.pages", "--database-url", f"sqlite:///{tmp_path / 'pages.sqlite3'}",
        "--demo-scale", "0.1", "--runs", "1", "--pages", "news,declaration,cockpit", "--workers", "1",
        "--no-collectstatic", "--budget-ms", "600000", "--port", str(free_port()), "--output-dir", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [result] = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("pages-loopback-*.json")]
    rows = {r["key"]: r for r in result["pages"]}
    assert set(rows) == {"login", "news", "declaration", "cockpit"}
    assert {rows[k]["role"] for k in rows} == {"public", "enterprise", "officer"}
    for row in rows.values():
        for state in ("cold", "warm"):
            figures = row[state]
            assert figures["runs"] == 1
            assert 0 < figures["ttfb_ms"] <= figures["dcl_ms"] <= figures["usable_ms"], (row["key"], figures)
            assert figures["requests"] >= 3 and figures["outside"] == [], (row["key"], figures)
        # Cold, the scripts and the stylesheet come over the network; warm, the browser's cache answers them.
        assert row["cold"]["network_requests"] > row["warm"]["network_requests"] >= 1, row
        assert row["cold"]["bytes"] > row["warm"]["bytes"] > 0, row
    assert rows["cockpit"]["cold"]["chart_ms"] > 0  # the first-screen chart was seen drawn
    assert rows["login"]["cold"]["usable_x_peer"] == 1.0
    assert result["outside"] == [] and result["over_budget"] == []
    assert "| a declaration form | enterprise |" in done.stdout
    assert (out / next(out.glob("pages-*.json")).with_suffix(".md").name).exists()


def test_requests_outside_the_origin_are_told_apart():
    origin = "http://127.0.0.1:8062"
    assert not pages.is_outside("http://127.0.0.1:8062/static/vendor/echarts.min.js", origin)
    assert not pages.is_outside("data:image/svg+xml;base64,AAAA", origin)
    assert not pages.is_outside("blob:http://127.0.0.1:8062/1234", origin)
    assert pages.is_outside("https://cdn.jsdelivr.net/npm/echarts/dist/echarts.min.js", origin)
    assert pages.is_outside("http://127.0.0.1:9000/x.js", origin)  # another port is another origin
    assert pages.is_outside("http://localhost:8062/x.js", origin)
    assert pages.is_outside("chrome-extension://abc/x.js", origin)


def test_outside_references_in_the_page_and_its_stylesheets_are_found():
    origin = "http://127.0.0.1:8062"
    refs = [
        "http://127.0.0.1:8062/static/css/sanlian.css",
        "https://fonts.googleapis.com/css2?family=Noto+Sans+SC",
        '@font-face { font-family: X; src: url("https://fonts.gstatic.com/x.woff2"); }',
        '@font-face { font-family: Y; src: url("/static/fonts/y.woff2"); }',
        "@import url(//cdn.example.org/x.css);",
    ]
    assert pages.outside_references(refs, origin) == [
        "https://fonts.googleapis.com/css2?family=Noto+Sans+SC",
        "https://fonts.gstatic.com/x.woff2",
        "//cdn.example.org/x.css",
    ]


def _visit(usable, outside=()):
    return pages.Visit(ttfb=10, dcl=usable - 5, load=usable + 5, lcp=usable, chart=0, usable=usable, bytes=1000,
                       requests=4, network=4, outside=list(outside))  # fmt: skip


def test_medians_ratios_and_the_budget():
    listed = [
        pages.Page("login", "login (peer)", "public", "/login/"),
        pages.Page("cockpit", "cockpit", "officer", "/cockpit/"),
    ]
    visits = {
        "login": {"cold": [_visit(100), _visit(120), _visit(400)], "warm": [_visit(50)] * 3},
        "cockpit": {"cold": [_visit(300), _visit(1500), _visit(900)], "warm": [_visit(1000)] * 3},
    }

    rows = {r["key"]: r for r in pages.summarise(listed, visits, budget_ms=1000)}

    assert rows["login"]["cold"]["usable_ms"] == 120 and rows["cockpit"]["cold"]["usable_ms"] == 900
    assert rows["cockpit"]["cold"]["usable_x_peer"] == 7.5 and rows["cockpit"]["warm"]["usable_x_peer"] == 20.0
    assert rows["login"]["usable_ok"] is True
    assert rows["cockpit"]["usable_ok"] is False  # warm, the median reaches the budget
    table = pages.markdown_table(list(rows.values()))
    assert "| cockpit | officer |" in table and "**900** ⚠" in table
