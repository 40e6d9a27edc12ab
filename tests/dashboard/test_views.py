"""The cockpit page: who may see which town, what it shows, and that its cost does not grow with the data."""

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.dashboard.conftest import approved_report, key_enterprise

COCKPIT = reverse("dashboard:cockpit")
EXPORT = reverse("dashboard:export")


@pytest.mark.django_db
class TestWhoSeesTheCockpit:
    def test_a_town_officer_sees_his_town(self, client, cluster, pujiang_officer):
        client.force_login(pujiang_officer)
        response = client.get(COCKPIT)
        assert response.status_code == 200
        assert response.context["town"].code == "pujiang" and response.context["year"] == 2023
        assert 'id="id_town"' not in response.content.decode()  # nothing to choose from

    def test_a_town_officer_asking_for_another_town_is_refused(self, client, cluster, xinzhuang_officer):
        client.force_login(xinzhuang_officer)
        assert client.get(COCKPIT, {"town": "pujiang"}).status_code == 403
        assert client.get(EXPORT, {"town": "pujiang"}).status_code == 403
        assert client.get(EXPORT, {"town": "pujiang", "figure": "top_enterprises"}).status_code == 403

    def test_an_enterprise_user_is_refused_the_page_and_the_export(self, client, cluster, enterprise_admin):
        client.force_login(enterprise_admin)
        assert client.get(COCKPIT).status_code == 403
        assert client.get(EXPORT).status_code == 403
        assert client.get(EXPORT, {"town": "pujiang", "figure": "by_cluster"}).status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client, cluster):
        response = client.get(COCKPIT)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert client.get(EXPORT).status_code == 302

    def test_a_district_officer_switches_between_the_towns_of_his_district(self, client, cluster, district_officer):
        client.force_login(district_officer)
        landing = client.get(COCKPIT)
        assert landing.context["town"].code == "pujiang"
        assert 'id="id_town"' in landing.content.decode()
        assert {t.code for t in landing.context["towns"]} >= {"pujiang", "xinzhuang", "qibao"}
        xinzhuang = client.get(COCKPIT, {"town": "xinzhuang", "year": "2023"})
        assert xinzhuang.status_code == 200
        assert xinzhuang.context["figures"]["town"] == "莘庄镇"
        assert xinzhuang.context["figures"]["biomedical_enterprises"] == 1

    def test_an_unknown_town_is_not_found(self, client, cluster, district_officer):
        client.force_login(district_officer)
        assert client.get(COCKPIT, {"town": "atlantis"}).status_code == 404
        assert client.get(COCKPIT, {"town": "minhang"}).status_code == 404  # a district is not a town

    def test_a_year_outside_the_offered_years_is_a_bad_request_naming_the_field(self, client, cluster, pujiang_officer):
        client.force_login(pujiang_officer)
        response = client.get(COCKPIT, {"year": "2031"})
        assert response.status_code == 400
        assert "年度" in response.content.decode() and "cockpit-data" not in response.content.decode()
        bad_export = client.get(EXPORT, {"figure": "nonsense"})
        assert bad_export.status_code == 400 and "图表" in bad_export.content.decode()


@pytest.mark.django_db
class TestWhatTheCockpitShows:
    @pytest.fixture
    def page(self, client, cluster, pujiang_officer):
        client.force_login(pujiang_officer)
        response = client.get(COCKPIT, {"year": "2023"})
        assert response.status_code == 200
        return response

    def test_the_tiles_show_money_the_chinese_way(self, page):
        html = page.content.decode()
        assert "1.88亿元" in html  # 188,000,000.75 yuan
        assert "80.0%" in html and "50.0%" in html and "+56.7%" in html

    def test_every_chart_has_an_accessible_name_and_a_data_table_with_exact_yuan(self, page):
        html = page.content.decode()
        charts = re.findall(r'<div class="chart"[^>]*>', html)
        assert len(charts) == 10
        for tag in charts:
            assert 'role="img"' in tag and re.search(r'aria-label="[^"]{10,}"', tag)
        assert html.count("<caption>") == 10
        assert "188,000,000.75" in html and "150,000,000.50" in html

    def test_top_enterprise_names_link_to_their_profiles(self, page, cluster):
        assert f'href="/enterprises/{cluster["A"].pk}/"' in page.content.decode()

    def test_chart_data_travels_as_json_with_exact_money_and_no_inline_script(self, page):
        html = page.content.decode()
        payload = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', html, re.S)
        data = json.loads(payload.group(1))
        assert data["figures"]["revenue_by_year"][-1]["revenue_yuan"] == "188000000.75"
        assert [row["value"] for row in data["figures"]["gene_related"]] == [2, 2]
        assert data["figures"]["top_enterprises"][0]["url"].startswith("/enterprises/")
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert scripts == []

    def test_each_figure_has_its_own_export_link_and_one_exports_all(self, page):
        html = page.content.decode()
        assert html.count("&amp;figure=") == 10
        assert "导出全部 (.xlsx)" in html


def _town_with(n: int) -> None:
    officer = factories.officer("qibao")
    admin = factories.superuser()
    for i in range(n):
        ent = factories.enterprise("qibao", actor=admin, founded_date=date(2018, 1, 1), is_gene_related=i % 2 == 0)
        approved_report(ent, 2023, f"{1_000_000 + i}.00", officer=officer, author=admin)
        if i % 3 == 0:
            key_enterprise(ent, 2023, officer=officer)


def _cockpit_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(COCKPIT, {"town": "qibao"}).status_code == 200
    return len(ctx)


@pytest.mark.django_db
def test_the_cockpit_query_count_does_not_grow_with_the_number_of_enterprises(client, district_officer):
    _town_with(3)
    few = _cockpit_queries(client, district_officer)
    _town_with(27)
    many = _cockpit_queries(client, district_officer)
    assert many == few
    assert few <= 26, few  # the space figures by park are one more aggregate query
