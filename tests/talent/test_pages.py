"""The applicant, employer, town and reviewer pages: what each sees, and what stays hidden."""

from datetime import date

import pytest
import time_machine

from sanlian.core.models import AuditEvent
from sanlian.talent.services import reviews
from tests import factories
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


def test_a_talent_starts_an_application_by_the_employers_code(client, round_2023, pujiang_enterprise):
    talent = talent_user()
    client.force_login(talent)

    assert "开始申报" in client.get("/talent/").content.decode()
    unknown = client.post("/talent/rounds/2023/apply/", {"level": "elite", "employer": "91310112MA00000000"})
    assert unknown.status_code == 400 and "未找到该统一社会信用代码" in unknown.content.decode()
    started = client.post("/talent/rounds/2023/apply/", {"level": "elite", "employer": pujiang_enterprise.uscc})

    assert started.status_code == 302
    page = client.get(started["Location"]).content.decode()
    assert "申报表" in page and "资格自查" in page and "请填写身份证号" in page


def test_the_form_saves_and_errors_name_the_field_without_losing_input(client, round_2023):
    hr = factories.enterprise_user(factories.enterprise("pujiang"))
    application = filled(round_2023, hr)
    client.force_login(hr)
    form = {"level": "elite", "talent_type": "technical", "route": "conditions", "name": "王五",
            "id_number": "310104198502301234", "phone": "13900001111", "achievements": "新的业绩"}  # fmt: skip

    response = client.post(f"/talent/applications/{application.pk}/", form)

    page = response.content.decode()
    assert response.status_code == 400 and "身份证号无效" in page and "新的业绩" in page
    application.refresh_from_db()
    assert application.name == "张三丰" and application.achievements == "主持研发三类医疗器械2项。"


def test_personal_numbers_are_masked_and_a_reveal_is_logged(client, round_2023, pujiang_officer):
    hr = factories.enterprise_user(factories.enterprise("pujiang"))
    application = filled(round_2023, hr)
    full = id_number(date(1985, 3, 14))
    client.force_login(pujiang_officer)

    page = client.get(f"/talent/applications/{application.pk}/").content.decode()
    assert full not in page and f"{full[:6]}********{full[-4:]}" in page and "138****5678" in page
    revealed = client.post(f"/talent/applications/{application.pk}/reveal/id_number/")

    assert full in revealed.content.decode() and revealed["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="talent_application.reveal", actor=pujiang_officer).count() == 1


def test_nobody_outside_the_application_can_open_it_or_its_files(client, round_2023, xinzhuang_officer):
    hr = factories.enterprise_user(factories.enterprise("pujiang"))
    application = filled(round_2023, hr)
    material = application.materials.first()
    outsiders = [talent_user(), xinzhuang_officer, factories.enterprise_user(factories.enterprise("xinzhuang"))]

    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(f"/talent/applications/{application.pk}/").status_code == 404
        assert client.get(f"/talent/materials/{material.pk}/").status_code == 404
        assert client.post(f"/talent/applications/{application.pk}/reveal/phone/").status_code == 404


def test_the_employer_downloads_a_material_as_an_attachment(client, round_2023):
    hr = factories.enterprise_user(factories.enterprise("pujiang"))
    application = filled(round_2023, hr)
    client.force_login(hr)

    response = client.get(f"/talent/materials/{application.materials.first().pk}/")

    assert_safe_download(response)


def test_an_upload_with_the_wrong_content_is_refused(client, round_2023):
    hr = factories.enterprise_user(factories.enterprise("pujiang"))
    application = filled(round_2023, hr, materials=False)
    client.force_login(hr)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/talent/applications/{application.pk}/materials/",
        {"item": "id_card", "file": SimpleUploadedFile("身份证.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        follow=True,
    )

    assert "不支持的文件类型" in response.content.decode()
    assert application.materials.count() == 0


def test_buttons_follow_the_role_and_the_state(client, round_2023, pujiang_officer):
    employer = factories.enterprise("pujiang")
    hr = factories.enterprise_user(employer)
    talent = talent_user()
    application = filled(round_2023, talent, employer=employer)
    url = f"/talent/applications/{application.pk}/"

    client.force_login(talent)
    assert 'value="send_to_employer"' in client.get(url).content.decode()
    client.post(f"{url}move/", {"action": "send_to_employer", "expected_status": "draft"})
    client.force_login(hr)
    page = client.get(url).content.decode()
    assert 'value="submit"' in page and 'value="send_to_employer"' not in page
    client.post(f"{url}move/", {"action": "submit", "expected_status": "employer_review"})
    client.force_login(pujiang_officer)
    assert 'value="town_approve"' in client.get(url).content.decode()
    not_theirs = client.post(f"{url}move/", {"action": "submit", "expected_status": "employer_review"})
    assert not_theirs.status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_reviewer_scores_on_the_sheet_and_sees_only_their_own_scores(client, round_2023, pujiang_officer,
                                                                      district_officer):  # fmt: skip
    hr = factories.enterprise_user(factories.enterprise("pujiang"))
    application = filled(round_2023, hr)
    move(application, hr, "submit")
    move(application, pujiang_officer, "town_approve")
    first, second = factories.district_officer(username="r1"), factories.district_officer(username="r2")
    a1 = reviews.review_assign(actor=district_officer, application=application, reviewer=first)
    reviews.review_assign(actor=district_officer, application=application, reviewer=second)
    client.force_login(first)

    over = client.post(f"/talent/reviews/{a1.pk}/", {"score_achievements": 45, "score_innovation": 20,
                                                     "score_potential": 10, "score_fit": 5})  # fmt: skip
    assert over.status_code == 400
    client.post(f"/talent/reviews/{a1.pk}/", {"score_achievements": 38, "score_innovation": 20,
                                              "score_potential": 10, "score_fit": 5})  # fmt: skip
    client.force_login(second)
    page = client.get(f"/talent/applications/{application.pk}/").content.decode()

    total_cell = "<td>73.00</td>"  # the reviews table's total (a bare "73" also matches ids such as 173)
    assert total_cell not in page  # the first reviewer's total stays hidden from the second
    client.force_login(district_officer)
    assert total_cell in client.get(f"/talent/applications/{application.pk}/").content.decode()


def test_a_tied_reviewer_is_refused_on_assignment(client, round_2023, pujiang_officer, district_officer):
    employer = factories.enterprise("pujiang")
    hr = factories.enterprise_user(employer)
    application = filled(round_2023, hr)
    move(application, hr, "submit")
    move(application, pujiang_officer, "town_approve")
    reviewer = factories.district_officer(username="tied")
    client.force_login(reviewer)
    client.post("/talent/ties/", {"uscc": employer.uscc, "reason": "曾任该公司顾问"})
    client.force_login(district_officer)

    response = client.post(f"/talent/applications/{application.pk}/assign/", {"reviewer": reviewer.pk}, follow=True)

    assert "存在关联,须回避" in response.content.decode()
    assert application.reviews.count() == 0


def test_a_talents_draft_stays_private_until_sent_to_the_employer(client, round_2023):
    employer = factories.enterprise("pujiang")
    hr = factories.enterprise_user(employer)
    talent = talent_user()
    application = filled(round_2023, talent, employer=employer)
    client.force_login(hr)

    assert client.get(f"/talent/applications/{application.pk}/").status_code == 404
    assert "张三丰" not in client.get("/talent/").content.decode()
    move(application, talent, "send_to_employer")
    assert client.get(f"/talent/applications/{application.pk}/").status_code == 200


def test_the_self_check_reads_in_words(client, round_2023):
    hr = factories.enterprise_user(factories.enterprise("pujiang"))
    application = filled(round_2023, hr, level="young")
    client.force_login(hr)

    page = client.get(f"/talent/applications/{application.pk}/").content.decode()

    assert "37 岁" in page and "&lt; 35 岁" in page and "博士" in page
    assert "True" not in page and "False" not in page and "== " not in page
