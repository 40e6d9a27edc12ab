"""Signed in as each kind of user with English chosen, every page of the site shows no Chinese of its own.

The pages are those of the authorisation walk (tests/security/registry.py), opened with the walk's world
(tests/security/world.py) by the owners of its objects, so detail pages render with real records. Records may
be Chinese (an enterprise's registered name, a posting's text): a Chinese run of text is allowed only where
the database holds it, so whatever is left is the page's own wording, which must be English.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from tests.core.test_i18n import compiled_catalogue  # noqa: F401 (compiles the catalogue for these tests too)
from tests.security.conftest import world  # noqa: F401 (the walk's world, built once for this module)
from tests.security.registry import PAGES
from tests.security.walk import page_url

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# The language switch names each language in its own language, as switches do.
OWN_NAMES = {"简体中文"}
# Who opens the pages: the world's owners (their objects' pages render in full) and the A side's roles.
READERS = ("ent_b", "xz", "reviewer_b", "ent_admin", "town_officer", "talent")
# Pages whose Chinese is data that is not in the database, with the reason.
NOT_CHECKED = {
    "imports:mapping": "pairs the uploaded sheet's own headers (a file, not a table) with the canonical Chinese "
    "headers the parser reads in any UI language (tests/core/i18n_coverage.py: VOCABULARY)",
}
ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}


class ChromeText(HTMLParser):
    """The text a person reads or hears: text nodes and labelling attributes, not scripts, styles or the values
    of form fields (what the user typed or the record holds)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea"):
            self._skip += 1
        attrs = dict(attrs)
        self.texts += [value for name, value in attrs.items() if name in ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def database_text() -> str:
    """Every text the database holds (names, titles, bodies, JSON documents), one per line."""
    values = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        json_fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if fields or json_fields:
            for row in model.objects.values_list(*fields, *json_fields):
                values += [str(v) for v in row if v]
    return "\n".join(values)


def foreign_runs(html: str, corpus: str) -> list[str]:
    parser = ChromeText()
    parser.feed(html)
    return sorted(
        {
            f"{run} (in {text[:60]!r})"
            for text in parser.texts
            for run in HAN.findall(text)
            if run not in corpus and run not in OWN_NAMES
        }
    )


def reader(built, name):
    return built["owners"].get(name) or built["users"][name]


@pytest.fixture(scope="module")
def corpus(world, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        return database_text()


def english_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", READERS)
def test_every_page_a_user_can_open_is_english_apart_from_the_records(who, world, corpus):  # noqa: F811
    client = english_client(reader(world, who))
    opened, leaks = 0, {}
    for key in PAGES:
        if key.startswith("^") or key.startswith("api:") or key in ("logout", "set_language", *NOT_CHECKED):
            continue
        response = client.get(page_url(key, world))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        opened += 1
        html = response.content.decode()
        assert "<html" not in html or '<html lang="en">' in html, key  # a fragment (htmx) has no <html>
        if found := foreign_runs(html, corpus):
            leaks[key] = found
    assert opened >= 20, f"{who} opened only {opened} pages"
    assert leaks == {}


class TestTheCheckIsAbleToFail:
    def test_a_chinese_label_is_found_and_a_record_from_the_database_is_not(self):
        html = (
            '<html lang="en"><body><h1>Enterprise</h1><p>浦江甲方生物有限公司</p>'
            '<button aria-label="导出">Export</button><script>var x = "脚本";</script>'
            '<textarea>用户输入</textarea><input type="submit" value="保存"></body></html>'
        )
        assert foreign_runs(html, corpus="浦江甲方生物有限公司\n") == [
            "保存 (in '保存')",
            "导出 (in '导出')",
        ]
