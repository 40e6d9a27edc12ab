"""Round pages: the list with its counts, the readable round page, the YAML editor, export and status."""

from datetime import date

import pytest
import time_machine
import yaml
from django.urls import reverse

from sanlian.talent.models import Level, Round
from sanlian.talent.services import rounds
from tests.downloads import assert_safe_download

from .helpers import IN_2023_WINDOW, filled, id_number, move, open_round, talent_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_window")]


@pytest.fixture
def in_window():
    with time_machine.travel(IN_2023_WINDOW, tick=False):
        yield


@pytest.fixture
def round_2023(district_officer):
    return open_round(district_officer)


def get(client, user, name, status=200, **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def post_document(client, user, text, name="talent:round-edit", **kwargs):
    client.force_login(user)
    return client.post(reverse(name, kwargs=kwargs), {"document": text})


# The list and the round page ----------------------------------------------------------------------


def test_the_list_shows_each_round_with_its_status_and_counts_of_applications(
    client, round_2023, district_officer, pujiang_enterprise
):
    filled(round_2023, talent_user(), employer=pujiang_enterprise)

    html = get(client, district_officer, "talent:rounds")

    assert "2023年度闵行区春申金字塔人才" in html and "申报中" in html
    assert "1 份申报" in html and "填写中 1" in html


def test_the_list_counts_applications_in_one_query_however_many_rounds(
    client, district_officer, django_assert_max_num_queries
):
    open_round(district_officer)
    client.force_login(district_officer)
    client.get(reverse("talent:rounds"))  # warm the session and the user's region
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("talent:rounds"))
    open_round(district_officer, year=2025)

    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("talent:rounds")).content.decode()

    assert "2025年度闵行区春申人才计划" in html


def test_the_round_page_shows_criteria_benefits_routes_quotas_scoring_and_materials_readably(client, district_officer):
    open_round(district_officer, year=2025)

    html = get(client, district_officer, "talent:round", year=2025)

    assert "目录认定" in html and "授权认定" in html and "免申即享" in html  # routes by their labels
    assert "劳动合同剩余期限3个月以上" in html and "劳动合同剩余期限 ≥ 3 个月" in html  # label · op · value
    assert "年龄(按基准日) &lt; 35 岁" in html
    assert "购房补贴上限 500.00万元" in html and "租房补贴 20,000.00 元/月" in html and "子女入学服务" in html
    assert "企业负责人" in html and "业绩与贡献" in html and "100" in html  # quota, scoring sheet and its total
    assert "6个月以上个税缴纳记录(创始人)" in html and "2025年6月30日" in html


def test_a_town_officer_reads_the_district_round_but_cannot_change_it(client, round_2023, pujiang_officer):
    html = get(client, pujiang_officer, "talent:round", year=2023)

    assert "2023年度闵行区春申金字塔人才" in html and reverse("talent:round-edit", kwargs={"year": 2023}) not in html
    get(client, pujiang_officer, "talent:round-edit", status=403, year=2023)
    response = client.post(reverse("talent:round-status", kwargs={"year": 2023}), {"status": "closed"})
    assert response.status_code == 403
    assert Round.objects.get(year=2023).status == "open"


def test_an_enterprise_user_may_not_see_the_round_pages(client, round_2023, enterprise_admin):
    get(client, enterprise_admin, "talent:rounds", status=403)
    get(client, enterprise_admin, "talent:round", status=403, year=2023)


# The editor ---------------------------------------------------------------------------------------


def test_the_editor_refuses_a_bad_document_with_errors_by_path_and_keeps_the_text(client, round_2023, district_officer):
    document = yaml.safe_load(rounds.round_document(round_2023))
    document["levels"][0]["code"] = "bad code!"
    document["quotas"][0]["per_employer"] = 0
    document["deadline_date"] = "2023-13-40"
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)

    response = post_document(client, district_officer, text, year=2023)

    assert response.status_code == 400
    html = response.content.decode()
    assert "<code>levels[0].code</code>:代码只能包含字母、数字、- 和 _" in html
    assert "<code>quotas[0].per_employer</code>:应为 1–1000 之间的整数" in html
    assert "<code>deadline_date</code>:日期格式应为 YYYY-MM-DD" in html
    assert response.context["form"]["document"].value() == text  # the text is kept as typed
    assert "bad code!" in html
    assert set(Level.objects.filter(round=round_2023).values_list("code", flat=True)) == {
        "excellent", "distinguished", "elite", "young"
    }  # fmt: skip


def test_a_yaml_syntax_error_names_its_line(client, round_2023, district_officer):
    response = post_document(client, district_officer, "year: 2023\nname: [unclosed\n", year=2023)

    assert response.status_code == 400
    assert "YAML 格式错误(第" in response.content.decode()


def test_a_round_with_applications_refuses_to_remove_a_level_in_use(
    client, round_2023, district_officer, pujiang_enterprise
):
    filled(round_2023, talent_user(), level="elite", employer=pujiang_enterprise)
    document = yaml.safe_load(rounds.round_document(round_2023))
    document["levels"] = [level for level in document["levels"] if level["code"] != "elite"]

    response = post_document(client, district_officer, yaml.safe_dump(document, allow_unicode=True), year=2023)

    assert response.status_code == 400
    assert "已有申报使用的层次不能删除:elite" in response.content.decode()
    assert round_2023.levels.filter(code="elite").exists()


def test_a_round_with_applications_still_takes_new_dates(client, round_2023, district_officer, pujiang_enterprise):
    filled(round_2023, talent_user(), employer=pujiang_enterprise)
    document = yaml.safe_load(rounds.round_document(round_2023))
    document["deadline_date"] = "2023-06-16"

    response = post_document(client, district_officer, yaml.safe_dump(document, allow_unicode=True), year=2023)

    assert response.status_code == 302 and response["Location"] == reverse("talent:round", kwargs={"year": 2023})
    assert str(Round.objects.get(year=2023).deadline_date) == "2023-06-16"


def test_the_editor_does_not_move_a_round_to_another_year(client, round_2023, district_officer):
    document = yaml.safe_load(rounds.round_document(round_2023))
    document["year"] = 2030

    response = post_document(client, district_officer, yaml.safe_dump(document, allow_unicode=True), year=2023)

    assert response.status_code == 400
    assert "<code>year</code>:年度不能修改" in response.content.decode()
    assert not Round.objects.filter(year=2030).exists()


def test_a_new_round_starts_from_the_latest_one_a_year_later_and_saves(client, round_2023, district_officer):
    client.force_login(district_officer)
    response = client.get(reverse("talent:round-new"))
    text = response.context["form"]["document"].value()
    document = yaml.safe_load(text)

    assert document["year"] == 2024 and document["name"] == "2024年度闵行区春申金字塔人才"
    assert document["open_date"] == "2024-05-08" and document["age_reference_date"] == "2023-12-31"
    assert [level["code"] for level in document["levels"]] == ["excellent", "distinguished", "elite", "young"]

    saved = client.post(reverse("talent:round-new"), {"document": text})

    assert saved.status_code == 302
    created = Round.objects.get(year=2024)
    assert created.status == "draft" and created.levels.count() == 4 and created.region == round_2023.region


def test_a_new_round_refuses_a_year_that_exists(client, round_2023, district_officer):
    text = rounds.round_document(round_2023)

    response = post_document(client, district_officer, text, name="talent:round-new")

    assert response.status_code == 400
    assert "2023 年度已存在" in response.content.decode()


def test_a_town_officer_cannot_create_a_district_round(client, round_2023, pujiang_officer):
    get(client, pujiang_officer, "talent:round-new", status=403)


# Export and status ---------------------------------------------------------------------------------


def test_the_export_is_the_document_the_editor_takes(client, round_2023, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.get(reverse("talent:round-export", kwargs={"year": 2023}))

    assert response.status_code == 200 and response["Content-Type"].startswith("application/x-yaml")
    assert 'filename="talent-round-2023.yaml"' in response["Content-Disposition"]
    assert_safe_download(response)
    assert rounds.clean_document(rounds.parse_document(response.content.decode()))["year"] == 2023


def test_the_status_buttons_move_the_round_through_its_stages(client, round_2023, district_officer):
    client.force_login(district_officer)
    html = client.get(reverse("talent:round", kwargs={"year": 2023})).content.decode()
    assert 'value="reviewing" class="primary"' in html  # the next step is the main button

    response = client.post(reverse("talent:round-status", kwargs={"year": 2023}), {"status": "reviewing"}, follow=True)

    assert Round.objects.get(year=2023).status == "reviewing"
    assert "状态已改为「评审中」" in response.content.decode()
    client.post(reverse("talent:round-status", kwargs={"year": 2023}), {"status": "closed"})
    assert Round.objects.get(year=2023).status == "closed"


def test_an_unknown_status_is_refused_and_nothing_changes(client, round_2023, district_officer):
    client.force_login(district_officer)

    response = client.post(reverse("talent:round-status", kwargs={"year": 2023}), {"status": "archived"}, follow=True)

    assert "未知状态" in response.content.decode()
    assert Round.objects.get(year=2023).status == "open"


def test_a_status_change_needs_a_post(client, round_2023, district_officer):
    get(client, district_officer, "talent:round-status", status=405, year=2023)


def test_a_missing_round_is_a_404(client, district_officer):
    get(client, district_officer, "talent:round", status=404, year=1999)


def test_the_round_page_counts_its_applications_by_status(client, round_2023, district_officer, pujiang_enterprise):
    application = filled(round_2023, talent_user(), employer=pujiang_enterprise)
    move(application, application.applicant, "withdraw")
    filled(round_2023, talent_user(), employer=pujiang_enterprise, id_number=id_number(date(1990, 3, 7)))

    html = get(client, district_officer, "talent:round", year=2023)

    assert "填写中 1 · 已撤回 1" in html
