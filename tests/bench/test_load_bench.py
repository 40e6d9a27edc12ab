"""The load bench runs end to end for a few seconds, so bench/load.py and its locustfile cannot rot.

It is the real thing made small: a tenth of the demo in a SQLite file of its own, one gunicorn worker
(static files from WhiteNoise's finders: collectstatic alone takes half a minute), a Huey consumer, and
locust with six users whose think times are cut to a tenth. No timing is asserted
(the figures come from the full run on PostgreSQL, in the README); what is asserted is that every kind
of user did its work, a declaration went from draft to submitted, and nothing failed.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench import load

ROOT = Path(load.__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def bench_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_SETTINGS"))}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "SANLIAN_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH", "")] if p),
        }
    )
    return env


def test_load_bench_runs_every_user_kind_without_failures(tmp_path, bench_environment):
    out = tmp_path / "results"
    command = [
        sys.executable, "-m", "bench.load", "--database-url", f"sqlite:///{tmp_path / 'load.sqlite3'}",
        "--demo-scale", "0.1", "--users", "6", "--spawn-rate", "6", "--run-time", "20", "--think", "0.1",
        "--workers", "1", "--enterprises", "12", "--no-collectstatic", "--port", str(free_port()),
        "--output-dir", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, env=bench_environment, cwd=ROOT, capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [result] = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("load-6u-*.json")]
    names = {r["name"]: r for r in result["requests"]}
    assert result["failures"] == [] and result["total"]["failures"] == 0
    assert result["total"]["p50_ms"] is not None and result["total"]["p95_ms"] is not None
    # The public, the officers and an enterprise's declaration from start to submission were all exercised.
    for name in ("/policies/[code]/", "/news/", "/policies/mine/ (match)", "static file"):
        assert names.get(name, {}).get("requests", 0) > 0, sorted(names)
    assert any(n.startswith("/cockpit/") for n in names) or any(n.startswith("/enterprises/") for n in names)
    assert names["/policies/calls/applications/[id]/ (submit)"]["requests"] > 0, sorted(names)
    assert result["applications"].get("submitted", 0) > 0, result["applications"]  # in the database too
    assert "| **all** |" in done.stdout


def test_read_stats_and_table_from_locust_csv(tmp_path):
    header = (
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
        "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
        "99.99%,100%\n"
    )
    (tmp_path / "x_stats.csv").write_text(
        header
        + "GET,/news/,10,1,30,35.5,20,90,1000,2.5,0.1,30,31,32,33,40,80,85,90,90,90,90\n"
        + ",Aggregated,10,1,30,35.5,20,90,1000,2.5,0.1,30,31,32,33,40,80,85,90,90,90,90\n",
        encoding="utf-8",
    )
    (tmp_path / "x_failures.csv").write_text("Method,Name,Error,Occurrences\nGET,/news/,HTTP 500,1\n", encoding="utf-8")

    stats = load.read_stats(tmp_path / "x")

    assert stats["total"]["requests"] == 10 and stats["total"]["p95_ms"] == 80.0
    assert stats["requests"] == [
        {"method": "GET", "name": "/news/", "requests": 10, "failures": 1, "p50_ms": 30.0, "p95_ms": 80.0,
         "p99_ms": 90.0, "mean_ms": 35.5, "max_ms": 90.0, "requests_per_s": 2.5}
    ]  # fmt: skip
    assert stats["failures"] == [{"method": "GET", "name": "/news/", "error": "HTTP 500", "occurrences": 1}]
    assert "| GET /news/ | 10 | 30 | 80 | 90 | 1 |" in load.markdown(stats)
