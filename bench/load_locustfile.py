"""The locust scenario of `python -m bench.load` (not run on its own: it reads the plan the bench writes).

Three kinds of user, signed in through sessions the bench wrote into the session store (no login form):

- PublicUser (half of the users): the policy library, policies, the news list and articles.
- OfficerUser (a fifth): the cockpit, the enterprise directory with filters and pages, profiles; half as
  the 浦江镇 town officer, half as the 闵行区 district officer, each session verified by a TOTP device.
- EnterpriseUser (three tenths): the policy match (我的政策), the calls, then one declaration from start
  to submission: start a draft, save the form, upload each required material, submit. Each declaration
  takes a fresh (enterprise, call) pair, so hundreds of demo enterprises apply.

Every response is checked: the status, and that the page is the one asked for (a redirect to the login,
second-factor or password page counts as a failure), so a run with no failures did what it says.
"""

import itertools
import json
import os
import random
import re
from collections import deque
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["SANLIAN_LOAD_PLAN"]).read_text(encoding="utf-8"))
THINK = float(os.environ.get("SANLIAN_LOAD_THINK", "1"))
PDF = Path(PLAN["material_pdf"]).read_bytes()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPLICATION = re.compile(r"/policies/calls/applications/(\d+)/$")

# Shared by the users of this (single) locust process; gevent switches only on I/O, so these are safe.
OFFICER_SESSIONS = itertools.cycle(PLAN["officers"])
ACCOUNTS = deque(PLAN["enterprises"])
ACCOUNTS_DONE: list[dict] = []


def said(message: str):
    """A check that the page shows the service's success message (the services answer in Chinese)."""
    return lambda response: None if message in (response.text or "") else f"no 「{message}」 on the page"


def scaled(low: float, high: float):
    return between(low * THINK, high * THINK)


class SanlianUser(HttpUser):
    abstract = True

    def sign_in(self, session_key: str) -> None:
        self.client.cookies.clear()
        self.client.cookies.set(PLAN["session_cookie"], session_key)

    def think(self, low: float, high: float) -> None:
        gevent.sleep(random.uniform(low, high) * THINK)

    def page(self, method: str, path: str, name: str, *, expect: str | None = None, check=None, **kwargs):
        """One request; a failure unless it ends with 2xx on `expect` (default: the path asked for) and
        `check(response)`, if given, returns no error."""
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as response:
            final = urlsplit(response.url or "").path
            wanted = expect if expect is not None else urlsplit(path).path
            if response.status_code >= 400 or response.status_code == 0:
                response.failure(f"HTTP {response.status_code}")
            elif not re.fullmatch(wanted, final):
                response.failure(f"ended on {final} instead of {wanted}")
            elif check is not None and (error := check(response)):
                response.failure(error)
            else:
                response.success()
            return response

    def static_files(self) -> None:
        """A first visit loads the style sheet and script (browsers cache them afterwards)."""
        for path in PLAN["static"]:
            self.page("GET", path, "static file")


class PublicUser(SanlianUser):
    weight = 5
    wait_time = scaled(3, 10)

    def on_start(self):
        self.static_files()

    @task(3)
    def library(self):
        params = random.choice([{}, {}, {"q": "生物"}, {"q": "高新"}, {"page": 2}])
        path = "/policies/" + (f"?{urlencode(params)}" if params else "")
        self.page("GET", path, "/policies/ (library)")

    @task(4)
    def policy(self):
        self.page("GET", f"/policies/{random.choice(PLAN['policies'])}/", "/policies/[code]/")

    @task(2)
    def news_list(self):
        self.page("GET", "/news/", "/news/")

    @task(3)
    def article(self):
        if PLAN["news"]:
            self.page("GET", f"/news/{random.choice(PLAN['news'])}/", "/news/[id]/")


class OfficerUser(SanlianUser):
    weight = 2
    wait_time = scaled(4, 12)

    def on_start(self):
        self.officer = next(OFFICER_SESSIONS)
        self.sign_in(self.officer["session"])
        self.static_files()

    @task(3)
    def cockpit(self):
        year = random.choice(PLAN["cockpit_years"])
        self.page("GET", f"/cockpit/?year={year}", f"/cockpit/ ({self.officer['kind']})")

    @task(4)
    def directory(self):
        params = dict(random.choice(PLAN["directory_filters"]))
        label = "filtered" if params else "all"
        if not params:
            params["page"] = random.randint(1, PLAN["directory_pages"])
        path = "/enterprises/?" + urlencode(params)
        self.page("GET", path, f"/enterprises/ {label} ({self.officer['kind']})")

    @task(3)
    def profile(self):
        pk = random.choice(PLAN["profiles"])
        self.page("GET", f"/enterprises/{pk}/", f"/enterprises/[id]/ ({self.officer['kind']})")


class EnterpriseUser(SanlianUser):
    weight = 3
    wait_time = scaled(5, 15)

    def on_start(self):
        self.static_files()

    @task
    def declare(self):
        """Browse the match and the calls, then apply to one call from draft to submission."""
        if not ACCOUNTS:  # every pair used: browse as an enterprise that has applied
            account = random.choice(ACCOUNTS_DONE or PLAN["enterprises"])
            self.sign_in(account["session"])
            self.page("GET", "/policies/mine/", "/policies/mine/ (match)")
            self.think(2, 6)
            self.page("GET", "/policies/calls/", "/policies/calls/")
            return
        account = ACCOUNTS.popleft()  # this user owns the enterprise until it has applied to one call
        try:
            self.sign_in(account["session"])
            self.page("GET", "/policies/mine/", "/policies/mine/ (match)")
            self.think(3, 8)
            self.page("GET", "/policies/calls/", "/policies/calls/")
            self.think(2, 6)
            call_id = account["calls"].pop(0)
            self.apply(call_id, PLAN["calls"][str(call_id)])
        finally:
            (ACCOUNTS if account["calls"] else ACCOUNTS_DONE).append(account)

    def apply(self, call_id: int, call: dict) -> None:
        detail = self.page("GET", f"/policies/calls/{call_id}/", "/policies/calls/[id]/",
                           check=lambda r: None if CSRF.search(r.text or "") else "no 我要申报 form")  # fmt: skip
        token = CSRF.search(detail.text or "")
        if not token:
            return
        self.think(3, 8)
        started = self.page(
            "POST", f"/policies/calls/{call_id}/", "/policies/calls/[id]/ (start draft)",
            data={"csrfmiddlewaretoken": token.group(1)}, expect=APPLICATION.pattern,
        )  # fmt: skip
        match = APPLICATION.search(urlsplit(started.url or "").path)
        if not match:
            return
        path = match.group(0)
        token = CSRF.search(started.text or "").group(1)
        self.think(8, 20)  # filling in the form
        self.page(
            "POST", path, "/policies/calls/applications/[id]/ (save draft)",
            data={"csrfmiddlewaretoken": token, "save": "", **call["fields"]}, check=said("申报草稿已保存"),
        )  # fmt: skip
        for item in call["materials"]:
            self.think(2, 5)
            self.page(
                "POST", f"{path}materials/", "/policies/calls/applications/[id]/materials/",
                data={"csrfmiddlewaretoken": token, "item": item},
                files={"file": (f"{item}.pdf", PDF, "application/pdf")}, expect=path, check=said("材料已上传"),
            )  # fmt: skip
        self.think(3, 8)
        self.page(
            "POST", path, "/policies/calls/applications/[id]/ (submit)",
            data={"csrfmiddlewaretoken": token, "submit": "", **call["fields"]}, check=said("申报已提交,等待镇级预审"),
        )  # fmt: skip
