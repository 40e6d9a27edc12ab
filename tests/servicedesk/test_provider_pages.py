"""Provider catalogue pages: who sees what and which buttons, requests through the desk, rating, moderation."""

from datetime import timedelta

import pytest
import time_machine

from sanlian.servicedesk.models import Provider, ProviderRating, ProviderService, ServiceRequest
from sanlian.servicedesk.services import providers as services
from tests import factories
from tests.servicedesk.provider_helpers import NOW, ask, closed, provider, service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def listed(pujiang_officer):
    created = provider(
        pujiang_officer, name="浦江演示知识产权代理有限公司", contact_name="李明", contact_mobile="13812345678"
    )
    service(pujiang_officer, created)
    return created


def page(client, user, url, status=200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_an_enterprise_sees_the_catalogue_and_the_request_button_but_no_edit_buttons(client, listed, enterprise_admin):
    catalogue = page(client, enterprise_admin, "/desk/providers/")
    detail = page(client, enterprise_admin, f"/desk/providers/{listed.pk}/")

    assert "浦江演示知识产权代理有限公司" in catalogue and "添加服务机构" not in catalogue
    assert "通过服务台委托 / 咨询" in detail and "发明专利申请代理" in detail and "5,000–12,000 元/件" in detail
    assert "编辑" not in detail and "暂停展示" not in detail
    assert "138****5678" in detail and "13812345678" not in detail  # personal mobile masked


def test_an_officer_sees_edit_and_suspend_but_not_the_request_button(client, listed, pujiang_officer):
    detail = page(client, pujiang_officer, f"/desk/providers/{listed.pk}/")

    assert "编辑" in detail and "暂停展示" in detail and "添加服务" in detail
    assert "通过服务台委托 / 咨询" not in detail
    assert "添加服务机构" in page(client, pujiang_officer, "/desk/providers/")


def test_the_navigation_and_the_desk_link_to_the_catalogue(client, enterprise_admin):
    assert 'href="/desk/providers/"' in page(client, enterprise_admin, "/desk/requests/")


def test_an_enterprise_user_cannot_open_the_edit_pages(client, listed, enterprise_admin):
    client.force_login(enterprise_admin)

    assert client.get(f"/desk/providers/{listed.pk}/edit/").status_code == 403
    assert client.get("/desk/providers/new/").status_code == 403
    assert client.post(f"/desk/providers/{listed.pk}/status/", {"action": "suspend", "reason": "x"}).status_code == 403
    assert Provider.objects.get().status == Provider.Status.LISTED


def test_another_towns_officer_gets_404_on_the_edit_pages_of_a_provider_it_does_not_manage(
    client, listed, xinzhuang_officer
):
    client.force_login(xinzhuang_officer)

    assert client.get(f"/desk/providers/{listed.pk}/").status_code == 200  # listed: visible to every officer
    assert client.get(f"/desk/providers/{listed.pk}/edit/").status_code == 404
    assert client.get(f"/desk/providers/services/{listed.services.get().pk}/edit/").status_code == 404


def test_a_suspended_provider_answers_404_to_enterprises(client, listed, pujiang_officer, enterprise_admin):
    services.provider_transition(actor=pujiang_officer, provider=listed, action="suspend", reason="核查", now=NOW)

    page(client, enterprise_admin, f"/desk/providers/{listed.pk}/", status=404)
    assert "已暂停" in page(client, pujiang_officer, f"/desk/providers/{listed.pk}/")


def test_anonymous_users_are_sent_to_log_in(client, listed):
    response = client.get("/desk/providers/")

    assert response.status_code in (302, 403)


def test_an_officer_adds_a_provider_and_a_service_through_the_forms(client, pujiang_officer):
    client.force_login(pujiang_officer)
    form = {
        "name": "浦江演示律师事务所", "kind": "law_firm", "region": factories.region("pujiang").pk,
        "regions_served": [factories.region("pujiang").pk], "description": "医药企业合规、合同与知识产权诉讼。",
        "switchboard": "021-64001234",
    }  # fmt: skip

    response = client.post("/desk/providers/new/", form)

    created = Provider.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/providers/{created.pk}/"
    bad = client.post(
        f"/desk/providers/{created.pk}/services/new/",
        {"name": "合规审查", "price_min": "9000", "price_max": "3000", "unit": "per_project"},
    )
    assert bad.status_code == 400 and "最高价(元):最高价不能低于最低价" in bad.content.decode()
    assert not ProviderService.objects.exists()
    good = client.post(
        f"/desk/providers/{created.pk}/services/new/",
        {"name": "合规审查", "price_min": "3000", "price_max": "9000", "unit": "per_project", "is_active": "on"},
    )
    assert good.status_code == 302 and ProviderService.objects.get().price_max == 9000


def test_a_bad_provider_form_keeps_the_input_and_names_the_field(client, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.post("/desk/providers/new/", {"name": "某机构", "kind": "cro", "contact_mobile": "123"})

    text = response.content.decode()
    assert response.status_code == 400 and "联系人手机:请输入11位手机号" in text and "某机构" in text
    assert not Provider.objects.exists()


def test_an_enterprise_asks_through_the_desk_and_the_request_page_names_the_provider(client, listed, enterprise_admin):
    client.force_login(enterprise_admin)
    svc = listed.services.get()

    response = client.post(
        f"/desk/providers/{listed.pk}/request/",
        {"provider_service": svc.pk, "title": "委托发明专利申请", "body": "我司一项核酸检测方法需申请发明专利。"},
    )

    created = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/requests/{created.pk}/"
    assert created.provider == listed and created.category.code == "ip"
    request_page = client.get(response["Location"]).content.decode()
    assert "委托服务机构" in request_page and "浦江演示知识产权代理有限公司" in request_page


def test_a_request_naming_another_providers_service_is_refused(client, listed, pujiang_officer, enterprise_admin):
    other = service(pujiang_officer, provider(pujiang_officer, name="另一家代理机构"), name="商标注册")
    client.force_login(enterprise_admin)

    form = {"provider_service": other.pk, "title": "委托商标注册", "body": "我司需要注册两个产品商标。"}
    client.post(f"/desk/providers/{listed.pk}/request/", form)

    assert not ServiceRequest.objects.exists()


def test_the_rating_form_appears_after_closure_and_rates_once(client, listed, pujiang_officer, enterprise_admin):
    svc = listed.services.get()
    open_request = ask(enterprise_admin, svc)
    assert "评价该机构" not in page(client, enterprise_admin, f"/desk/providers/{listed.pk}/")
    done = closed(enterprise_admin, pujiang_officer, svc)

    detail = page(client, enterprise_admin, f"/desk/providers/{listed.pk}/")
    assert "评价该机构" in detail
    assert f'name="request" value="{done.pk}"' in detail
    assert f'name="request" value="{open_request.pk}"' not in detail
    client.post(f"/desk/providers/{listed.pk}/rate/", {"request": done.pk, "score": "5", "comment": "专业高效"})
    again = client.post(f"/desk/providers/{listed.pk}/rate/", {"request": done.pk, "score": "1"}, follow=True)

    assert ProviderRating.objects.get().score == 5
    assert "不能重复评价" in again.content.decode()
    assert "★ 5.0" in page(client, enterprise_admin, "/desk/providers/")


def test_rating_another_enterprises_request_answers_404(client, listed, pujiang_officer, enterprise_admin):
    done = closed(enterprise_admin, pujiang_officer, listed.services.get())
    other = factories.enterprise_user(factories.enterprise("pujiang"), username="other_admin")
    client.force_login(other)

    response = client.post(f"/desk/providers/{listed.pk}/rate/", {"request": done.pk, "score": "1"})

    assert response.status_code == 404 and not ProviderRating.objects.exists()


def test_an_officer_hides_an_abusive_comment_from_the_page(client, listed, pujiang_officer, enterprise_admin):
    done = closed(enterprise_admin, pujiang_officer, listed.services.get())
    rating = services.provider_rate(
        actor=enterprise_admin, request=done, score=1, comment="一群骗子", now=NOW + timedelta(days=4)
    )
    client.force_login(pujiang_officer)

    client.post(f"/desk/providers/ratings/{rating.pk}/hide/", {"reason": "含侮辱性言辞"})

    text = page(client, enterprise_admin, f"/desk/providers/{listed.pk}/")
    assert "一群骗子" not in text and "该评价内容已被管理员隐藏" in text and "1★" in text


def test_the_catalogue_filters_from_the_query_string(client, listed, pujiang_officer, enterprise_admin):
    provider(pujiang_officer, name="浦江演示检测技术有限公司", kind="testing_lab")

    text = page(client, enterprise_admin, "/desk/providers/?kind=testing_lab&sort=name")

    assert "浦江演示检测技术有限公司" in text and "浦江演示知识产权代理有限公司" not in text


def test_the_catalogue_pages_in_english(client, listed, enterprise_admin):
    client.force_login(enterprise_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    text = client.get(f"/desk/providers/{listed.pk}/").content.decode()

    assert "Request or ask through the service desk" in text


def test_prices_read_as_a_range_a_from_price_or_free(client, pujiang_officer, enterprise_admin):
    bank = provider(pujiang_officer, name="浦江演示银行科技支行", kind="financing")
    service(pujiang_officer, bank, name="科创企业信用贷款", price_min="0", price_max="0", unit="per_project")
    service(pujiang_officer, bank, name="融资路演辅导", price_min="5000", price_max="", unit="per_project")

    text = page(client, enterprise_admin, f"/desk/providers/{bank.pk}/")

    assert "不收费" in text and "5,000 元起/项目" in text


def test_a_closed_request_through_a_provider_links_to_its_rating_until_rated(
    client, listed, pujiang_officer, enterprise_admin
):
    done = closed(enterprise_admin, pujiang_officer, listed.services.get())
    assert "评价该机构" in page(client, enterprise_admin, f"/desk/requests/{done.pk}/")
    assert "评价该机构" not in page(client, pujiang_officer, f"/desk/requests/{done.pk}/")

    services.provider_rate(actor=enterprise_admin, request=done, score=4, now=NOW + timedelta(days=4))

    assert "评价该机构" not in page(client, enterprise_admin, f"/desk/requests/{done.pk}/")
