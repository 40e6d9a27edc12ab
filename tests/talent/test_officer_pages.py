"""Officer pages of the talent programme: the application list and its export, notices (公示)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from sanlian.core.masking import mask_id_number
from sanlian.talent.models import Notice, TalentApplication
from sanlian.talent.services import notices, reviews
from tests import factories
from tests.xlsx import xlsx_rows

from .helpers import IN_2023_WINDOW, filled, id_number, move, open_round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_window")]

SCORES = {"achievements": 35, "innovation": 25, "potential": 18, "fit": 9}


@pytest.fixture
def in_window():
    with time_machine.travel(IN_2023_WINDOW, tick=False):
        yield


@pytest.fixture
def round_2023(district_officer):
    return open_round(district_officer)


@pytest.fixture
def pj_hr(pujiang_enterprise):
    return factories.enterprise_user(pujiang_enterprise, username="pj_hr")


@pytest.fixture
def xz_hr(xinzhuang_enterprise):
    return factories.enterprise_user(xinzhuang_enterprise, username="xz_hr")


@pytest.fixture
def reviewer(db):
    return factories.district_officer(username="reviewer_a")


def in_district_review(round_, hr, town_officer, **data):
    application = filled(round_, hr, **data)
    move(application, hr, "submit")
    return move(application, town_officer, "town_approve")


def scored(round_, hr, town_officer, district_officer, reviewer, scores=SCORES, **data):
    application = in_district_review(round_, hr, town_officer, **data)
    assignment = reviews.review_assign(actor=district_officer, application=application, reviewer=reviewer)
    reviews.review_submit(actor=reviewer, assignment=assignment, scores=scores)
    application.refresh_from_db()
    return application


def get(client, user, name, status=200, query="", **kwargs):
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == status, response.content[:500]
    return response


# The application list -----------------------------------------------------------------------------


class TestApplicationList:
    def test_a_town_officer_sees_only_the_applications_of_its_town_with_names_masked(
        self, client, round_2023, pj_hr, xz_hr, xinzhuang_officer
    ):
        filled(round_2023, pj_hr, name="浦江人")
        filled(round_2023, xz_hr, name="莘庄人", id_number=id_number(date(1986, 4, 2), serial="555"))

        response = get(client, xinzhuang_officer, "talent:applications")

        html = response.content.decode()
        assert "莘**" in html and "莘庄测试生物有限公司" in html
        assert "莘庄人" not in html  # the full name stays on the detail page
        assert "浦江测试医疗器械有限公司" not in html and "浦**" not in html
        assert response.context["total"] == 1

    def test_the_district_officer_sees_both_towns_and_filters_by_town_status_level_and_employer(
        self, client, round_2023, pj_hr, xz_hr, pujiang_officer, district_officer
    ):
        pujiang = in_district_review(round_2023, pj_hr, pujiang_officer, name="浦江人")
        xinzhuang = filled(round_2023, xz_hr, level="young", name="莘庄人",
                           id_number=id_number(date(1990, 4, 2), serial="555"))  # fmt: skip
        client.force_login(district_officer)

        def listed(query):
            response = client.get(reverse("talent:applications") + query)
            return {row["application"].pk for row in response.context["rows"]}

        assert listed("") == {pujiang.pk, xinzhuang.pk}
        assert listed("?town=xinzhuang") == {xinzhuang.pk}
        assert listed("?status=district_review") == {pujiang.pk}
        assert listed("?level=young") == {xinzhuang.pk}
        assert listed("?q=浦江测试") == {pujiang.pk}
        assert listed("?year=2023&status=draft") == {xinzhuang.pk}

    def test_the_status_counts_and_links_to_the_detail_page(self, client, round_2023, pj_hr, pujiang_officer):
        application = in_district_review(round_2023, pj_hr, pujiang_officer)
        filled(round_2023, pj_hr, id_number=id_number(date(1982, 8, 8), serial="321"))

        html = get(client, pujiang_officer, "talent:applications").content.decode()

        assert "共 2 份申报" in html and "填写中</span> 1" in html and "区级评审中</span> 1" in html
        assert reverse("talent:application", kwargs={"pk": application.pk}) in html

    def test_the_list_is_paginated_and_its_query_count_does_not_grow_with_the_page(
        self, client, round_2023, pj_hr, pujiang_officer, django_assert_max_num_queries
    ):
        filled(round_2023, pj_hr, materials=False)
        client.force_login(pujiang_officer)
        client.get(reverse("talent:applications"))
        with django_assert_max_num_queries(30) as one:
            client.get(reverse("talent:applications"))
        for n in range(4):
            filled(round_2023, pj_hr, materials=False, id_number=id_number(date(1980, 1, 1 + n), serial=f"{n}11"))

        with django_assert_max_num_queries(len(one.captured_queries)):
            response = client.get(reverse("talent:applications"))

        assert len(response.context["rows"]) == 5

    def test_an_enterprise_user_may_not_open_the_officers_list(self, client, pj_hr):
        get(client, pj_hr, "talent:applications", status=403)
        get(client, pj_hr, "talent:applications-export", status=403)


# The export ---------------------------------------------------------------------------------------


class TestExport:
    def test_the_export_neutralises_formulas_masks_id_and_phone_and_keeps_to_the_town(
        self, client, round_2023, pj_hr, xz_hr, pujiang_officer
    ):
        number = id_number(date(1985, 3, 14))
        filled(round_2023, pj_hr, name='=HYPERLINK("http://evil.example","点我")', id_number=number)
        filled(round_2023, xz_hr, name="莘庄人", id_number=id_number(date(1986, 4, 2), serial="555"))

        response = get(client, pujiang_officer, "talent:applications-export")

        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        header, *body = xlsx_rows(response)
        assert len(body) == 1  # the xinzhuang application is outside the town officer's scope
        row = dict(zip(header, body[0], strict=True))
        assert row["姓名"] == '\'=HYPERLINK("http://evil.example","点我")'
        assert row["身份证号"] == mask_id_number(number) == number[:6] + "********" + number[-4:]
        assert row["手机号"] == "138****5678"
        assert row["用人单位"] == "浦江测试医疗器械有限公司" and row["状态"] == "填写中" and row["人才类型"] == "技术"
        cells = " ".join(str(v) for v in body[0])
        assert number not in cells and "13812345678" not in cells

    def test_the_export_follows_the_list_filters(self, client, round_2023, pj_hr, pujiang_officer):
        in_district_review(round_2023, pj_hr, pujiang_officer, name="王五")
        filled(round_2023, pj_hr, name="赵六", id_number=id_number(date(1982, 8, 8), serial="321"))

        response = get(client, pujiang_officer, "talent:applications-export", query="?status=district_review")

        _header, *body = xlsx_rows(response)
        assert [row[1] for row in body] == ["王五"]


# Notices ------------------------------------------------------------------------------------------


class TestNoticeNew:
    def test_only_fully_scored_applications_in_district_review_are_offered(
        self, client, round_2023, pj_hr, pujiang_officer, district_officer, reviewer
    ):
        ready = scored(round_2023, pj_hr, pujiang_officer, district_officer, reviewer)
        unscored = in_district_review(round_2023, pj_hr, pujiang_officer,
                                      id_number=id_number(date(1982, 8, 8), serial="321"))  # fmt: skip
        reviews.review_assign(actor=district_officer, application=unscored, reviewer=reviewer)
        submitted = filled(round_2023, pj_hr, id_number=id_number(date(1983, 9, 9), serial="431"))
        move(submitted, pj_hr, "submit")

        html = get(client, district_officer, "talent:notice-new", year=2023).content.decode()

        assert f'value="{ready.pk}"' in html and "87.00" in html
        assert f'value="{unscored.pk}"' not in html and f'value="{submitted.pk}"' not in html
        assert "另有 1 份申报尚未完成评分" in html

    def test_publishing_puts_the_chosen_applications_on_notice(
        self, client, round_2023, pj_hr, pujiang_officer, district_officer, reviewer
    ):
        ready = scored(round_2023, pj_hr, pujiang_officer, district_officer, reviewer)
        client.force_login(district_officer)

        response = client.post(
            reverse("talent:notice-new", kwargs={"year": 2023}),
            {"applications": [ready.pk], "start_date": "2023-05-22", "title": ""},
        )

        notice = Notice.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "talent:notice", kwargs={"pk": notice.pk}
        )
        assert notice.title == "2023年度闵行区春申金字塔人才拟认定人选公示" and str(notice.end_date) == "2023-05-26"
        ready.refresh_from_db()
        assert ready.status == "notice" and ready.notice == notice

    def test_an_unscored_application_or_a_past_start_date_is_refused_and_nothing_is_published(
        self, client, round_2023, pj_hr, pujiang_officer, district_officer, reviewer
    ):
        ready = scored(round_2023, pj_hr, pujiang_officer, district_officer, reviewer)
        unscored = in_district_review(round_2023, pj_hr, pujiang_officer,
                                      id_number=id_number(date(1982, 8, 8), serial="321"))  # fmt: skip
        client.force_login(district_officer)
        url = reverse("talent:notice-new", kwargs={"year": 2023})

        forged = client.post(url, {"applications": [ready.pk, unscored.pk], "start_date": "2023-05-22"})
        late = client.post(url, {"applications": [ready.pk], "start_date": "2023-05-01"})

        assert forged.status_code == 400 and late.status_code == 400
        assert "公示开始日期不能早于今天" in late.content.decode()
        assert not Notice.objects.exists()
        assert set(TalentApplication.objects.values_list("status", flat=True)) == {"district_review"}

    def test_a_town_officer_may_not_publish(self, client, round_2023, pujiang_officer):
        get(client, pujiang_officer, "talent:notice-new", status=403, year=2023)


class TestPublicNotice:
    def test_the_public_notice_shows_masked_names_and_never_the_id_or_phone(
        self, client, round_2023, pj_hr, pujiang_officer, district_officer, reviewer
    ):
        number = id_number(date(1985, 3, 14))
        ready = scored(round_2023, pj_hr, pujiang_officer, district_officer, reviewer, name="张三丰", id_number=number)
        notice = notices.notice_publish(
            actor=district_officer, round_=round_2023, application_ids=[ready.pk], start_date=date(2023, 5, 22)
        )
        client.logout()

        html = get(client, None, "talent:notice", pk=notice.pk).content.decode()

        assert "张**" in html and "浦江测试医疗器械有限公司" in html and "精英人才" in html and "技术" in html
        assert "2023年5月22日" in html and "2023年5月26日" in html
        assert "张三丰" not in html
        assert number not in html and mask_id_number(number) not in html and number[-4:] not in html
        assert "13812345678" not in html and "138****5678" not in html
        assert "87.00" not in html  # scores are not public either

    def test_the_public_list_shows_each_notice_with_its_period_and_count(
        self, client, round_2023, pj_hr, pujiang_officer, district_officer, reviewer
    ):
        ready = scored(round_2023, pj_hr, pujiang_officer, district_officer, reviewer)
        notices.notice_publish(actor=district_officer, round_=round_2023, application_ids=[ready.pk],
                               start_date=date(2023, 5, 20), title="春申人才拟认定人选公示(第一批)")  # fmt: skip
        client.logout()

        response = get(client, None, "talent:notices")

        html = response.content.decode()
        assert "春申人才拟认定人选公示(第一批)" in html and "2023年5月20日 – 2023年5月24日" in html and "公示中" in html
        assert response.context["page"][0].listed == 1

    def test_a_missing_notice_is_a_404_for_the_public(self, client):
        get(client, None, "talent:notice", status=404, pk=999)
