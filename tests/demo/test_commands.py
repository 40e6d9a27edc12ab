"""The demo's commands: the login table and the two-process server runner."""

import os
import signal
import sys
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command

from sanlian.demo.accounts import DEMO_ACCOUNTS, DEMO_OTP_SECRET, DEMO_PASSWORD
from sanlian.demo.server import run_together
from sanlian.demo.services import demo_load


@pytest.mark.django_db
def test_demo_logins_prints_one_row_per_role_with_where_it_lands():
    demo_load(scale=0.05)
    out = StringIO()
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 + len(DEMO_ACCOUNTS)
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert DEMO_OTP_SECRET in lines[-1] and "sanlian demo_otp" in lines[-1]
    assert all(DEMO_PASSWORD in row for row in rows.values())
    assert "浦江镇" in rows["pj_officer"] and "/cockpit/" in rows["pj_officer"]
    assert "/enterprises/" in rows["ent_admin"] and "上海澜屿医疗科技有限公司" in rows["ent_admin"]
    assert "/talent/" in rows["talent"] and "/talent/ambassadors/leads/" in rows["ambassador"]
    assert "浦江镇生物医药产业联盟" in rows["org_secretary"] and "/orgs/pj-bio-alliance/" in rows["org_secretary"]


@pytest.mark.django_db
def test_demo_logins_says_when_the_demo_is_not_loaded():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "sanlian loaddemo" in out.getvalue()


@pytest.mark.django_db
def test_demo_otp_prints_the_code_the_verify_page_accepts(settings):
    from django.test import Client

    settings.DEBUG = True
    settings.SANLIAN_OTP_REQUIRED = True
    demo_load(scale=0.05)
    out = StringIO()
    call_command("demo_otp", "pj_officer", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()

    client = Client()
    client.post("/login/", {"username": "pj_officer", "password": DEMO_PASSWORD})
    assert client.get("/cockpit/").url.startswith("/account/otp/verify/")
    assert client.post("/account/otp/verify/", {"token": code, "next": "/cockpit/"}).url == "/cockpit/"


@pytest.mark.django_db
def test_demo_otp_refuses_unless_debug_and_for_an_account_without_a_device(settings):
    from django.core.management import CommandError

    demo_load(scale=0.05)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="SANLIAN_DEBUG=1"):
        call_command("demo_otp", "pj_officer", stdout=StringIO())
    settings.DEBUG = True
    with pytest.raises(CommandError):
        call_command("demo_otp", "ent_admin", stdout=StringIO())


def sleeper(seconds: float = 30) -> list[str]:
    return [sys.executable, "-c", f"import time; time.sleep({seconds})"]


def test_when_one_process_exits_the_other_is_stopped_and_its_code_returned():
    started = time.monotonic()
    code = run_together([sleeper(), [sys.executable, "-c", "raise SystemExit(3)"]], poll=0.05, grace=3)
    assert code == 3
    assert time.monotonic() - started < 2.5


def test_sigterm_stops_every_process_promptly_and_restores_the_handlers():
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    started = time.monotonic()
    code = run_together([sleeper(), sleeper()], poll=0.05, grace=3)
    timer.join()
    assert code == 0
    assert time.monotonic() - started < 2.5  # stopped by SIGINT, before any escalation
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_a_process_that_ignores_sigint_is_terminated():
    stubborn = [
        sys.executable,
        "-c",
        "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(30)",
    ]
    started = time.monotonic()
    code = run_together([stubborn, [sys.executable, "-c", "import time; time.sleep(0.5)"]], poll=0.05, grace=1)
    assert code == 0
    assert time.monotonic() - started < 5
