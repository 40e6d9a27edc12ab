"""The English catalogue: complete, faithful to its placeholders, and what a user sees after choosing English.

Simplified Chinese is the source language (the msgids are the Chinese strings); English is the only catalogue.
"""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

from tests.dashboard.conftest import approved_report

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
PASSWORD = "pw-123456"  # tests/factories.py
# A printf conversion: %(name)s, %(revenue).2f, %s, %d, %%.
CONVERSION = re.compile(r"%(?:\((?P<name>\w+)\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """`make test` compiles the catalogues first; a bare pytest run compiles them here when the .mo is stale."""
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        call_command("compilemessages", locale=["en"], ignore_patterns=[".venv", "node_modules", "bench"], verbosity=0)
        translation_file_changed(sender=None, file_path=MO_FILE)  # drop catalogues Django has already loaded
    return MO_FILE


@pytest.fixture(autouse=True)
def no_language_left_active():
    """A request in English leaves English active in the thread; later tests expect the default language."""
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO_FILE))


def live(catalogue):
    return [entry for entry in catalogue if not entry.obsolete]


def named_placeholders(text: str) -> set[str]:
    return {m.group(0) for m in CONVERSION.finditer(text) if m.group("name")}


def conversions(text: str) -> Counter:
    return Counter(m.group(0) for m in CONVERSION.finditer(text))


def translations_of(entry) -> list[str]:
    return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] if entry.msgid_plural else [entry.msgstr]


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def choose_language(client, code: str):
    """What the header's language form does."""
    response = client.post(reverse("set_language"), {"language": code, "next": reverse("login")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == code


@pytest.fixture
def pujiang_with_a_year_of_figures(pujiang_officer, pujiang_enterprise):
    """One biomedical enterprise with an approved 2023 report of 150 million yuan, so the cockpit has figures."""
    approved_report(pujiang_enterprise, 2023, "150000000.00", officer=pujiang_officer)
    return pujiang_enterprise


class TestTheEnglishCatalogue:
    def test_english_is_the_only_language_besides_simplified_chinese(self):
        assert settings.LANGUAGE_CODE == "zh-hans"
        assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]

    def test_every_entry_is_translated_and_none_is_fuzzy(self, catalogue):
        entries = live(catalogue)
        assert len(entries) > 300
        assert [e.msgid for e in entries if not all(s.strip() for s in translations_of(e))] == []
        assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
        assert catalogue.percent_translated() == 100

    def test_the_header_is_english_with_two_plural_forms_and_not_fuzzy(self, catalogue):
        assert catalogue.metadata["Language"] == "en"
        assert catalogue.metadata["Plural-Forms"].startswith("nplurals=2; plural=(n != 1);")
        assert not catalogue.metadata_is_fuzzy

    def test_every_translation_keeps_the_named_placeholders_of_its_source(self, catalogue):
        broken = [
            (e.msgid, text)
            for e in live(catalogue)
            for text in translations_of(e)
            if named_placeholders(text) != named_placeholders(e.msgid)
        ]
        assert broken == []

    def test_every_python_format_translation_keeps_each_conversion_and_percent_sign(self, catalogue):
        broken = [
            (e.msgid, text)
            for e in live(catalogue)
            if "python-format" in e.flags
            for text in translations_of(e)
            if conversions(text) != conversions(e.msgid)
        ]
        assert broken == []

    def test_plural_entries_have_a_singular_and_a_plural_form(self, catalogue):
        plurals = [e for e in live(catalogue) if e.msgid_plural]
        assert plurals, "the directory and the review queue count with blocktranslate count"
        for entry in plurals:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid

    def test_no_chinese_is_left_in_a_translation_except_a_quoted_example(self, catalogue):
        han = re.compile(r"[\u4e00-\u9fff]")
        leftovers = [(e.msgid, t) for e in live(catalogue) for t in translations_of(e) if han.search(t)]
        # The stats command's help names a town the way the data spells it.
        assert [msgid for msgid, text in leftovers if "浦江镇" not in text] == []

    def test_the_compiled_catalogue_translates_through_django(self):
        with translation.override("en"):
            assert translation.gettext("产业驾驶舱") == "Cluster cockpit"
            assert translation.ngettext("共 %(n)s 家企业", "共 %(n)s 家企业", 1) % {"n": 1} == "1 enterprise"
            assert translation.ngettext("共 %(n)s 家企业", "共 %(n)s 家企业", 3) % {"n": 3} == "3 enterprises"
        with translation.override("zh-hans"):
            assert translation.gettext("产业驾驶舱") == "产业驾驶舱"


@pytest.mark.django_db
class TestAUserWhoChoosesEnglish:
    def test_a_town_officer_who_chose_english_sees_the_login_page_in_english_after_logging_out(
        self, client, pujiang_officer
    ):
        client.force_login(pujiang_officer)
        choose_language(client, "en")
        client.post(reverse("logout"))
        html = page(client.get(reverse("login")))
        assert '<html lang="en">' in html
        for english in ("Log in", "Username", "Password", "Skip to main content", "Care mode"):
            assert english in html
        for chinese in ("用户名", "密码", "跳到主要内容", "关怀版"):
            assert chinese not in html

    def test_a_visitor_can_choose_english_on_the_login_page_before_logging_in(self, client):
        choose_language(client, "en")
        assert '<html lang="en">' in page(client.get(reverse("login")))

    def test_a_town_officer_keeps_english_from_the_login_form_to_the_directory(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        choose_language(client, "en")
        client.post(reverse("logout"))
        response = client.post(reverse("login"), {"username": pujiang_officer.username, "password": PASSWORD})
        assert response.status_code == 302
        html = page(client.get(reverse("enterprises:directory")))
        assert '<html lang="en">' in html
        assert "Town industry-service officer" in html and "Log out" in html
        assert "镇产业服务专员" not in html and "退出" not in html

    def test_a_town_officer_sees_the_enterprise_directory_in_english(self, client, pujiang_officer, pujiang_enterprise):
        client.force_login(pujiang_officer)
        choose_language(client, "en")
        html = page(client.get(reverse("enterprises:directory")))
        for english in (
            "Enterprise profiles · One profile per enterprise",
            "Unified social credit code (USCC)",
            "1 enterprise",
            "Export to Excel",
            "Town/subdistrict",
        ):
            assert english in html
        assert "1 enterprises" not in html  # the singular form of the plural entry
        for chinese in ("一企一档", "统一社会信用代码", "家企业", "导出 Excel", "筛选"):
            assert chinese not in html
        assert pujiang_enterprise.name in html  # the records themselves stay as registered

    def test_a_town_officer_sees_the_cockpit_in_english(self, client, pujiang_officer, pujiang_with_a_year_of_figures):
        client.force_login(pujiang_officer)
        choose_language(client, "en")
        html = page(client.get(reverse("dashboard:cockpit")))
        for english in (
            "Cluster cockpit",
            "Revenue by year",
            "Top 10 enterprises by revenue",
            "Export all (.xlsx)",
            "Definitions",
            "Chunshen key enterprises",
        ):
            assert english in html
        assert "CNY 150.00 million" in html  # money written the English way (sanlian.engines.formats)
        for chinese in ("产业驾驶舱", "统计口径", "营业收入", "亿元", "春申重点企业"):
            assert chinese not in html

    def test_can_switch_back_to_simplified_chinese(self, client, pujiang_officer, pujiang_with_a_year_of_figures):
        client.force_login(pujiang_officer)
        choose_language(client, "en")
        choose_language(client, "zh-hans")
        html = page(client.get(reverse("dashboard:cockpit")))
        assert '<html lang="zh-Hans">' in html and "产业驾驶舱" in html
        assert "Cluster cockpit" not in html


@pytest.mark.django_db
class TestTheDefaultLanguage:
    def test_a_visitor_who_chose_nothing_gets_simplified_chinese(self, client):
        html = page(client.get(reverse("login")))
        assert '<html lang="zh-Hans">' in html
        assert "用户名" in html and "密码" in html
        assert "Username" not in html

    def test_a_town_officer_who_chose_nothing_sees_the_cockpit_in_chinese(
        self, client, pujiang_officer, pujiang_with_a_year_of_figures
    ):
        client.force_login(pujiang_officer)
        html = page(client.get(reverse("dashboard:cockpit")))
        assert '<html lang="zh-Hans">' in html
        assert "产业驾驶舱" in html and "统计口径" in html and "1.50亿元" in html
        assert "Cluster cockpit" not in html
