"""Talent figures: the selectors, `sanlian talent stats` and the talents of `sanlian stats` and the cockpit.

First a small programme whose counts are known exactly (a round of 2031, so nothing else counts), then
the full demo, loaded once at the end of the module, which reproduces FACTS.md (浦江镇 2023: 496 / 117).
"""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sanlian.core.models import User
from sanlian.demo.services import demo_load
from sanlian.enterprises.models import Cluster, Region
from sanlian.policies import rules
from sanlian.talent import stats
from sanlian.talent.management.commands.talent import Command
from sanlian.talent.models import TalentApplication
from sanlian.talent.services import rounds
from tests import factories
from tests.talent.helpers import round_document

pytestmark = pytest.mark.django_db

YEAR = 2031
JSON_KEYS = {
    "year",
    "round",
    "town",
    "talents",
    "talents_biomedical",
    "biomedical_share",
    "by_level",
    "by_type",
    "by_industry",
    "by_town",
    "by_employer",
}


def talent_stats(*args) -> str:
    out = StringIO()
    call_command("talent", "stats", *args, stdout=out)
    return out.getvalue()


def sanlian_stats(*args) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def application(round_, level: str, employer, talent_type: str = "technical", status: str = "approved"):
    now = timezone.now()
    return TalentApplication.objects.create(
        round=round_,
        level=round_.levels.get(code=level),
        talent_type=talent_type,
        employer=employer,
        name="测试人才",
        status=status,
        created_at=now,
        updated_at=now,
    )


@pytest.fixture
def programme(district_officer):
    """浦江镇: A (devices) 2, B (not biomedical) 1, D (biomedical, no cluster) 1; 莘庄镇: C (pharma) 1.

    Not counted: a rejected and a withdrawn application at A, and an approved one of another round.
    """
    minhang = factories.region("minhang")
    round_ = rounds.round_save(
        actor=district_officer,
        document={**round_document(2023), "year": YEAR, "name": "2031年度测试人才计划"},
        region=minhang,
    )
    other = rounds.round_save(
        actor=district_officer, document={**round_document(2023), "year": YEAR - 1}, region=minhang
    )
    pharma = Cluster.objects.get(code="pharma-bio")
    made = {
        "A": factories.enterprise(name="甲医疗器械有限公司"),
        "B": factories.enterprise(name="乙电子科技有限公司", is_biomedical=False, cluster=None, industry_code="3990"),
        "C": factories.enterprise("xinzhuang", name="丙生物制药有限公司", cluster=pharma),
        "D": factories.enterprise(name="丁生物技术有限公司", cluster=None),
    }
    application(round_, "elite", made["A"])
    application(round_, "young", made["A"], talent_type="academic")
    application(round_, "excellent", made["B"], talent_type="management")
    application(round_, "elite", made["D"])
    application(round_, "elite", made["C"])
    application(round_, "elite", made["A"], status="rejected")
    application(round_, "elite", made["A"], status="withdrawn")
    application(other, "elite", made["A"])
    return made


# The selectors -------------------------------------------------------------------------------------------


def test_talents_of_a_town_are_the_approved_applications_whose_employer_is_there(programme):
    pujiang = factories.region("pujiang")
    assert stats.certified(YEAR, pujiang).count() == 4
    assert stats.certified(YEAR).count() == 5
    rows = stats.by_industry(YEAR, pujiang)
    assert stats.totals(rows) == {"talents": 4, "talents_biomedical": 3, "biomedical_share": 0.75}


def test_levels_come_in_the_rounds_order_with_empty_ones_kept(programme):
    rows = stats.by_level(YEAR, factories.region("pujiang"))
    assert [(r["code"], r["talents"]) for r in rows] == [
        ("excellent", 1),
        ("distinguished", 0),
        ("elite", 2),
        ("young", 1),
    ]


def test_industries_are_the_biomedical_clusters_then_unclassified_then_other(programme):
    rows = stats.by_industry(YEAR, factories.region("pujiang"))
    assert [(r["name"], r["talents"]) for r in rows] == [
        ("医疗器械与设备", 2),
        ("健康医疗服务", 0),
        ("化学药物与生物制品", 0),
        ("生物医药(未归类)", 1),
        ("其他产业", 1),
    ]


def test_types_employers_and_towns_are_counted(programme):
    pujiang = factories.region("pujiang")
    assert [(r["code"], r["talents"]) for r in stats.by_type(YEAR, pujiang)] == [
        ("academic", 1),
        ("technical", 2),
        ("management", 1),
    ]
    employers = stats.by_employer(YEAR, pujiang)
    assert [(r["name"], r["talents"]) for r in employers] == [
        ("甲医疗器械有限公司", 2),
        ("丁生物技术有限公司", 1),
        ("乙电子科技有限公司", 1),
    ]
    assert [(r["code"], r["talents"], r["biomedical"]) for r in stats.by_town(YEAR)] == [
        ("pujiang", 4, 3),
        ("xinzhuang", 1, 1),
    ]


def test_the_years_series_lists_every_round_up_to_the_year(programme):
    rows = stats.by_year(factories.region("pujiang"), YEAR)
    assert rows == [
        {"year": YEAR - 1, "talents": 1, "biomedical": 1, "other": 0},
        {"year": YEAR, "talents": 4, "biomedical": 3, "other": 1},
    ]
    assert stats.by_year(factories.region("pujiang"), 2020) == []


# `sanlian talent stats` -----------------------------------------------------------------------------------


def test_the_json_has_the_documented_keys_and_the_towns_counts(programme):
    data = json.loads(talent_stats("--year", str(YEAR), "--town", "浦江镇", "--json"))
    assert set(data) == JSON_KEYS
    assert (data["year"], data["round"], data["town"]) == (YEAR, "2031年度测试人才计划", "浦江镇")
    assert (data["talents"], data["talents_biomedical"], data["biomedical_share"]) == (4, 3, 0.75)
    assert data["by_level"][0] == {"code": "excellent", "name": "卓越人才", "talents": 1}
    assert data["by_employer"][0]["talents"] == 2 and data["by_town"] == []
    assert all(key in Command.help for key in JSON_KEYS)


def test_without_a_town_it_counts_the_whole_programme_by_town(programme):
    data = json.loads(talent_stats("--year", str(YEAR), "--json"))
    assert (data["town"], data["talents"], data["talents_biomedical"]) == (None, 5, 4)
    assert [row["name"] for row in data["by_town"]] == ["浦江镇", "莘庄镇"]


def test_the_table_is_readable_chinese(programme):
    text = talent_stats("--year", str(YEAR), "--town", "pujiang", "--employers", "1")
    assert "认定人才 4 人,其中生物医药产业人才 3 人(75.0%)" in text
    assert "按层次" in text and "青年创新人才" in text and "其他产业" in text
    assert "按用人单位(前 1 家,共 3 家)" in text and "乙电子科技有限公司" not in text


def test_an_unknown_town_or_a_year_without_a_round_is_a_clear_error(programme):
    with pytest.raises(CommandError, match="未知的镇/街道:青浦"):
        talent_stats("--year", str(YEAR), "--town", "青浦")
    with pytest.raises(CommandError, match=re.escape(f"没有 2022 年度的人才计划(已有年度:{YEAR - 1}、{YEAR})")):
        talent_stats("--year", "2022")


# The demo: FACTS.md through the commands and the cockpit (kept last: the demo stays for the module) ------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield demo_load()
            transaction.set_rollback(True)
    finally:
        media.disable()
        rules._COMPILED.clear()  # rolled-back ids are handed out again


def test_sanlian_stats_counts_496_talents_of_which_117_biomedical_in_pujiang_2023(demo):
    data = json.loads(sanlian_stats("--town", "pujiang", "--year", "2023", "--json"))
    assert (data["talents"], data["talents_biomedical"]) == (496, 117)
    assert (data["key_enterprises"], data["key_enterprises_biomedical"]) == (154, 47)
    assert [(row["year"], row["talents"]) for row in data["talents_by_year"]] == [(2023, 496)]
    text = sanlian_stats("--town", "浦江镇", "--year", "2023")
    assert "春申人才(人)" in text and "117(23.59%)" in text


def test_talent_stats_breaks_the_496_down_by_level_type_industry_and_employer(demo):
    data = json.loads(talent_stats("--year", "2023", "--town", "pujiang", "--json"))
    assert (data["talents"], data["talents_biomedical"]) == (496, 117)
    for key in ("by_level", "by_type", "by_industry", "by_employer"):
        assert sum(row["talents"] for row in data[key]) == 496, key
    assert sum(row["talents"] for row in data["by_industry"] if row["biomedical"]) == 117
    assert sum(row["talents"] for row in data["by_employer"] if row["is_biomedical"]) == 117


def test_the_cockpit_shows_talents_by_level_industry_and_year(demo, client):
    client.force_login(demo_user("pj_officer"))
    response = client.get(reverse("dashboard:cockpit"), {"town": "pujiang", "year": "2024"})
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("talents_by_level", "talents_by_industry", "talents_by_year"):
        assert f'id="chart-{key}"' in html
    data = json.loads(html.split('<script id="cockpit-data" type="application/json">')[1].split("</script>")[0])
    assert [(r["year"], r["talents"]) for r in data["figures"]["talents_by_year"]] == [(2023, 496), (2024, 528)]
    assert "2024年春申人才" in html


def test_the_api_gives_the_same_talent_figures(demo, api_as):
    response = api_as(demo_user("mh_officer")).get("/stats", town="pujiang", year=2023)
    assert response.status_code == 200
    body = response.json()
    assert (body["talents"], body["talents_biomedical"]) == (496, 117)
    assert sum(row["talents"] for row in body["talents_by_level"]) == 496
    assert Region.objects.get(code="pujiang").name == "浦江镇"


def demo_user(username: str) -> User:
    return User.objects.get(username=username)
