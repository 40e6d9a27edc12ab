"""Money, numbers and dates on real pages, in Simplified Chinese and in English (sanlian.engines.formats).

Chinese: 1.50亿元 / 5.00万元, 2015年5月1日, 2026年6月1日 09:00. English: CNY 150.00 million / CNY 50,000,
1 May 2015, 1 Jun 2026, 09:00. Table columns keep one unit: 万元 in Chinese, CNY thousand in English.
"""

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from sanlian.policies.models import EligibilityResult, Grant
from sanlian.policies.presentation import format_value
from sanlian.talent.services.benefits import benefit_request
from tests import factories
from tests.dashboard.conftest import approved_report
from tests.policies import helpers as policy_helpers
from tests.talent.certificate_helpers import NOW as TALENT_NOW
from tests.talent.certificate_helpers import certified

pytestmark = pytest.mark.django_db

LANGS = ("zh-hans", "en")
NOON = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def _chinese_after():
    yield
    translation.deactivate()


def visit(client, user, url, lang: str, **params) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert f'<html lang="{"en" if lang == "en" else "zh-Hans"}">' in html
    return html


def text(html: str) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def profiled(pujiang_officer):
    """A biomedical enterprise of 浦江镇 founded on 1 May 2015, 50 million yuan of capital, 150 million of revenue."""
    enterprise = factories.enterprise(
        "pujiang",
        name="浦江格式测试生物有限公司",
        founded_date=date(2015, 5, 1),
        registered_capital=Decimal("50000000"),
    )
    approved_report(enterprise, 2023, "150000000.00", officer=pujiang_officer)
    return enterprise


class TestTheCockpit:
    def test_money_reads_in_yi_yuan_in_chinese_and_in_millions_in_english(self, client, pujiang_officer, profiled):
        zh = visit(client, pujiang_officer, reverse("dashboard:cockpit"), "zh-hans", year=2023)
        en = visit(client, pujiang_officer, reverse("dashboard:cockpit"), "en", year=2023)

        assert "1.50亿元" in zh and "CNY" not in text(zh)
        assert "CNY 150.00 million" in en and "亿元" not in en and "× 100 million" not in en
        # the charts are told the language and the units they step through
        assert 'data-lang="zh-hans"' in zh and 'data-lang="en"' in en
        units = {
            lang: json.loads(re.search(r'<script id="cockpit-data"[^>]*>(.*?)</script>', html, re.S).group(1))[
                "labels"
            ]["money_units"]
            for lang, html in (("zh", zh), ("en", en))
        }
        assert [u["label"] for u in units["zh"]] == ["亿元", "万元", "元"]
        assert [u["label"] for u in units["en"]] == ["CNY billion", "CNY million", "CNY"]
        assert units["en"][1] == {"div": 1_000_000, "label": "CNY million", "prefix": "CNY ", "suffix": " million"}

    def test_the_data_tables_group_thousands_in_both_languages(self, client, pujiang_officer, profiled):
        for lang in LANGS:
            html = visit(client, pujiang_officer, reverse("dashboard:cockpit"), lang, year=2023)
            assert "150,000,000.00" in html  # the revenue cell, in yuan as the caption says


class TestTheDirectoryAndTheProfile:
    def test_the_directorys_revenue_column_is_in_wan_or_in_thousands(self, client, pujiang_officer, profiled):
        zh = visit(client, pujiang_officer, reverse("enterprises:directory"), "zh-hans", year=2023)
        en = visit(client, pujiang_officer, reverse("enterprises:directory"), "en", year=2023)

        assert "年营收(万元)" in zh and ">15,000.00<" in zh
        assert "revenue (CNY thousand)" in en and ">150,000.00<" in en
        assert "10k yuan" not in en

    def test_the_profile_writes_capital_reports_and_dates_per_language(self, client, pujiang_officer, profiled):
        url = reverse("enterprises:detail", args=[profiled.pk])
        zh = text(visit(client, pujiang_officer, url, "zh-hans"))
        en = text(visit(client, pujiang_officer, url, "en"))

        assert "2015年5月1日" in zh and "5,000.00万元" in zh
        assert "1 May 2015" in en and "CNY 50.00 million" in en
        # the annual reports: revenue, tax and R&D in one unit per column
        assert "营业收入(万元)" in zh and "15,000.00" in zh and "80.00" in zh and "150.00" in zh  # tax 800,000
        assert "Revenue (CNY thousand)" in en and "150,000.00" in en and "800.00" in en and "1,500.00" in en

    def test_a_date_input_keeps_the_iso_value_the_browser_needs_in_both_languages(
        self, client, pujiang_officer, profiled
    ):
        for lang in LANGS:
            html = visit(client, pujiang_officer, reverse("enterprises:edit", args=[profiled.pk]), lang)
            assert re.search(r'<input type="date" name="founded_date" value="2015-05-01"', html), lang


class TestPoliciesAndGrants:
    @pytest.fixture
    def eligible(self, pujiang_officer):
        """A 免申即享 policy whose estimate for one enterprise is 50,000 yuan (10 % of 500,000 of R&D)."""
        with time_machine.travel(NOON, tick=False):
            enterprise = factories.enterprise("pujiang", name="达标企业")
            policy_helpers.approved_report(
                enterprise, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("500000")
            )
            policy_helpers.number_parameter(pujiang_officer)
            version = policy_helpers.published_policy(pujiang_officer, no_application=True)
        result = EligibilityResult.objects.get(enterprise=enterprise, policy=version.policy, superseded_at__isnull=True)
        assert result.benefit_estimate == Decimal("50000.00")
        assert Grant.objects.get(enterprise=enterprise).amount == Decimal("50000.00")
        return enterprise, version

    def test_the_policy_page_shows_the_estimate_and_dates_per_language(self, client, eligible):
        enterprise, version = eligible
        user = factories.enterprise_user(enterprise)
        url = reverse("policies:detail", args=[version.policy.code])
        zh = text(visit(client, user, url, "zh-hans"))
        en = text(visit(client, user, url, "en"))

        assert "预计支持金额: 5.00万元" in zh
        assert "CNY 50,000" in en and "万元" not in en
        assert "2024年1月1日" in zh and "1 Jan 2024" in en  # in force from
        assert "2026年6月1日 09:00" in zh and "1 Jun 2026, 09:00" in en  # evaluated at, in Shanghai time

    def test_the_grants_column_is_in_wan_or_in_thousands(self, client, pujiang_officer, eligible):
        zh = visit(client, pujiang_officer, reverse("policies:grants"), "zh-hans")
        en = visit(client, pujiang_officer, reverse("policies:grants"), "en")

        assert "金额(万元)" in zh and ">5.00<" in zh
        assert "Amount (CNY thousand)" in en and ">50.00<" in en

    @pytest.mark.parametrize(("lang", "expected"), [("zh-hans", "50.00万元"), ("en", "CNY 500,000")])
    def test_a_money_fact_in_an_explanation(self, lang, expected):
        with translation.override(lang):
            assert format_value("rd_spend_last_year", 500000) == expected


class TestTalentBenefits:
    def test_benefit_amounts_and_dates_per_language(self, client, pujiang_officer):
        application = certified()[0]
        benefit_request(
            actor=application.applicant, application=application, kind="housing_purchase", amount="300000",
            now=TALENT_NOW,
        )  # fmt: skip
        zh = text(visit(client, pujiang_officer, reverse("talent:benefits"), "zh-hans"))
        en = text(visit(client, pujiang_officer, reverse("talent:benefits"), "en"))

        assert "300,000.00" in zh and "300,000.00" in en  # a column in yuan, grouped in both languages
        assert "2023年9月1日 10:00" in zh and "1 Sep 2023, 10:00" in en  # requested at, in Shanghai time
        assert "2023-09-01" not in zh and "2023-09-01" not in en


class TestDjangosOwnFormats:
    """FORMAT_MODULE_PATH: Django's `date` filter and `floatformat:"g"` follow the language too."""

    @pytest.mark.parametrize(
        ("lang", "expected"),
        [
            ("zh-hans", "2026年12月6日 · 2026年12月6日 14:05 · 1,234,567.5"),
            ("en", "6 Dec 2026 · 6 Dec 2026, 14:05 · 1,234,567.5"),
        ],
    )
    def test_the_date_filter_and_grouped_floatformat(self, lang, expected):
        template = Template("{{ d|date }} · {{ t|date:'DATETIME_FORMAT' }} · {{ n|floatformat:'1g' }}")
        with translation.override(lang), timezone.override("Asia/Shanghai"):
            rendered = template.render(
                Context(
                    {
                        "d": date(2026, 12, 6),
                        "t": datetime(2026, 12, 6, 6, 5, tzinfo=UTC),
                        "n": Decimal("1234567.5"),
                    }
                )
            )
        assert rendered == expected

    @pytest.mark.parametrize("lang", LANGS)
    def test_date_and_datetime_inputs_get_the_iso_values_browsers_accept(self, lang):
        with translation.override(lang):
            day_input = forms.DateInput(attrs={"type": "date"}).render("d", date(2015, 5, 1))
            moment_input = forms.DateTimeInput(attrs={"type": "datetime-local"}).render(
                "t", datetime(2026, 1, 2, 9, 30)
            )
        assert 'value="2015-05-01"' in day_input  # Django's stock zh_Hans wrote 2015/05/01: an empty input
        assert 'value="2026-01-02T09:30"' in moment_input

    @pytest.mark.parametrize(
        ("lang", "expected"),
        [
            ("zh-hans", "1.88亿元 · 18,800.00 · 万元 · 12.5% · 2026年12月6日 · — · 1,234"),
            ("en", "CNY 188.00 million · 188,000.00 · CNY thousand · 12.5% · 6 Dec 2026 · — · 1,234"),
        ],
    )
    def test_the_filters(self, lang, expected):
        template = Template(
            '{{ m|money }} · {{ m|money_in:"wan" }} · {% money_unit "wan" %} · {{ r|pct }} · {{ d|day }} · '
            "{{ missing|when }} · {{ n|num }}"
        )
        context = {"m": Decimal("188000000.75"), "r": Decimal("0.125"), "d": date(2026, 12, 6), "n": 1234}
        with translation.override(lang):
            assert template.render(Context({**context, "missing": None})) == expected


class TestChainMapSentences:
    def test_gap_sentences_keep_their_short_chinese_money_and_write_english_money_in_full(self):
        from sanlian.chain.gaps import yuan_text

        with translation.override("zh-hans"):
            assert (yuan_text(Decimal("600000000")), yuan_text(Decimal("500000"))) == ("6.0亿元", "50万元")
        with translation.override("en"):
            assert (yuan_text(Decimal("600000000")), yuan_text(Decimal("500000"))) == (
                "CNY 600.00 million",
                "CNY 500,000",
            )
