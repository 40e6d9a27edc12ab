"""The supply–demand pages for each role: what they show, what they refuse, and the forms' bad input."""

import sys

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanlian.chain.models import Interest, Posting
from sanlian.chain.services import interests as interest_services
from sanlian.chain.services.postings import postings_expire
from tests import factories

from .test_postings import DESCRIPTION, NOW, draft, pending, published

pytestmark = pytest.mark.django_db

S = Posting.Status


@pytest.fixture(autouse=True)
def _on_the_demo_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def other_user(xinzhuang_enterprise):
    return factories.enterprise_user(xinzhuang_enterprise, username="xz_user")


def get(client, user, name, status=200, query=None, **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs), query or {})
    assert response.status_code == status, response.content[:800]
    return response.content.decode()


def post(client, user, name, data, **kwargs):
    client.force_login(user)
    return client.post(reverse(name, kwargs=kwargs), data)


def messages_of(client, user, response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def form_data(**overrides) -> dict:
    data = {
        "kind": "business_request",
        "title": "采购一次性无菌注射器",
        "description": DESCRIPTION,
        "nodes": ["M5"],
        "quantity": "50万支/年",
        "budget": "300000",
        "deadline_date": "",
    }
    data.update(overrides)
    return data


# The list ---------------------------------------------------------------------------------------------------


def test_the_list_shows_published_postings_to_another_towns_enterprise_but_not_drafts(
    client, enterprise_admin, pujiang_officer, other_user
):
    published(enterprise_admin.enterprise, officer=pujiang_officer, title="采购無菌注射器(已發佈)")
    draft(enterprise_admin.enterprise, title="浦江的草稿信息")

    html = get(client, other_user, "chain:postings")

    assert "采购無菌注射器(已發佈)" in html
    assert "浦江的草稿信息" not in html


def test_the_list_filters_by_kind_node_and_words(client, enterprise_admin, pujiang_officer):
    published(enterprise_admin.enterprise, officer=pujiang_officer, title="寻找制药装备供应商", nodes=["U3"])
    published(enterprise_admin.enterprise, officer=pujiang_officer, title="提供精密注塑加工", kind="business_offer",
              nodes=["U4"])  # fmt: skip

    by_node = get(client, pujiang_officer, "chain:postings", query={"node": "U3"})
    by_kind = get(client, pujiang_officer, "chain:postings", query={"kind": "business_offer"})
    by_words = get(client, pujiang_officer, "chain:postings", query={"q": "注塑"})

    assert "寻找制药装备供应商" in by_node and "提供精密注塑加工" not in by_node
    assert "提供精密注塑加工" in by_kind and "寻找制药装备供应商" not in by_kind
    assert "提供精密注塑加工" in by_words and "寻找制药装备供应商" not in by_words


def test_the_list_reads_the_same_number_of_queries_for_3_or_15_postings(client, enterprise_admin, pujiang_officer):
    def count() -> int:
        client.force_login(pujiang_officer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("chain:postings")).status_code == 200
        return len(queries)

    for i in range(3):
        published(enterprise_admin.enterprise, officer=pujiang_officer, title=f"第{i}条供需信息")
    few = count()
    for i in range(3, 15):
        published(enterprise_admin.enterprise, officer=pujiang_officer, title=f"第{i}条供需信息")

    assert count() == few


def test_talent_users_may_not_open_the_list(client):
    get(client, factories.UserFactory(role="talent"), "chain:postings", status=403)


# Writing ----------------------------------------------------------------------------------------------------


def test_an_enterprise_user_writes_and_submits_a_posting(client, enterprise_admin, pujiang_officer):
    response = post(client, enterprise_admin, "chain:posting-new", {**form_data(nodes=["M5", "U4"]), "submit": "1"})

    posting = Posting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("chain:posting", kwargs={"pk": posting.pk})
    assert posting.status == S.PENDING
    assert sorted(n.code for n in posting.nodes.all()) == ["M5", "U4"]


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"nodes": ["M5", "Q9"]}, "Q9"),
        ({"description": ""}, "请填写描述"),
        ({"description": "需" * 4001}, "不能超过 4000 个字"),
        ({"budget": "-100"}, "负数"),
    ],
)
def test_bad_input_on_the_form_is_shown_and_nothing_is_saved(client, enterprise_admin, overrides, words):
    response = post(client, enterprise_admin, "chain:posting-new", {**form_data(**overrides), "submit": "1"})

    assert response.status_code == 400
    html = response.content.decode()
    assert words in html and 'role="alert"' in html
    assert not Posting.objects.exists()


def test_an_officer_cannot_open_the_new_posting_form(client, pujiang_officer):
    get(client, pujiang_officer, "chain:posting-new", status=403)


def test_the_owner_edits_a_draft(client, enterprise_admin):
    posting = draft(enterprise_admin.enterprise)

    response = post(client, enterprise_admin, "chain:posting-edit", form_data(title="采购一次性无菌注射器(加急)"),
                    pk=posting.pk)  # fmt: skip

    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.title == "采购一次性无菌注射器(加急)"
    assert posting.status == S.DRAFT


def test_another_enterprise_can_neither_see_nor_edit_a_draft(client, enterprise_admin, other_user):
    posting = draft(enterprise_admin.enterprise)

    get(client, other_user, "chain:posting", status=404, pk=posting.pk)
    get(client, other_user, "chain:posting-edit", status=404, pk=posting.pk)
    response = post(client, other_user, "chain:posting-edit", form_data(title="被他人修改"), pk=posting.pk)

    assert response.status_code == 404
    posting.refresh_from_db()
    assert posting.title == "采购一次性无菌注射器"


# Review -----------------------------------------------------------------------------------------------------


def test_the_towns_officer_publishes_from_the_review_queue(client, enterprise_admin, pujiang_officer):
    posting = pending(enterprise_admin.enterprise, title="待审核的注射器采购")

    queue = get(client, pujiang_officer, "chain:review-queue")
    response = post(client, pujiang_officer, "chain:posting-review", {"action": "publish", "back": "queue"},
                    pk=posting.pk)  # fmt: skip

    assert "待审核的注射器采购" in queue
    assert response["Location"] == reverse("chain:review-queue")
    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED


def test_another_towns_officer_cannot_review(client, enterprise_admin, xinzhuang_officer):
    posting = pending(enterprise_admin.enterprise, title="待审核的注射器采购")

    queue = get(client, xinzhuang_officer, "chain:review-queue")
    response = post(client, xinzhuang_officer, "chain:posting-review", {"action": "publish"}, pk=posting.pk)

    assert "待审核的注射器采购" not in queue
    assert response.status_code == 404
    posting.refresh_from_db()
    assert posting.status == S.PENDING


def test_a_rejection_without_a_comment_is_refused_with_a_message(client, enterprise_admin, pujiang_officer):
    posting = pending(enterprise_admin.enterprise)

    response = post(client, pujiang_officer, "chain:posting-review", {"action": "reject", "comment": ""}, pk=posting.pk)

    assert "请填写不通过的原因" in messages_of(client, pujiang_officer, response)
    posting.refresh_from_db()
    assert posting.status == S.PENDING


def test_an_enterprise_user_cannot_post_a_review(client, enterprise_admin):
    posting = pending(enterprise_admin.enterprise)

    response = post(client, enterprise_admin, "chain:posting-review", {"action": "publish"}, pk=posting.pk)

    assert response.status_code == 403


# One posting ------------------------------------------------------------------------------------------------


def test_another_enterprise_expresses_interest_from_the_detail_page(client, enterprise_admin, pujiang_officer,
                                                                     other_user):  # fmt: skip
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)

    html = get(client, other_user, "chain:posting", pk=posting.pk)
    response = post(client, other_user, "chain:interest", {"note": "我司可供货"}, pk=posting.pk)

    assert "我有意向" in html
    assert response.status_code == 302
    assert Interest.objects.get().enterprise_id == other_user.enterprise_id


def test_interest_in_ones_own_posting_is_refused_on_the_page(client, enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)

    html = get(client, enterprise_admin, "chain:posting", pk=posting.pk)
    response = post(client, enterprise_admin, "chain:interest", {"note": ""}, pk=posting.pk)

    assert "我有意向" not in html
    assert "不能对本企业发布的信息表达意向" in messages_of(client, enterprise_admin, response)
    assert not Interest.objects.exists()


def test_interest_in_an_expired_posting_is_refused_on_the_page(client, enterprise_admin, pujiang_officer, other_user):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)
    postings_expire(now=NOW.replace(year=2026))

    response = post(client, other_user, "chain:interest", {"note": ""}, pk=posting.pk)

    assert response.status_code == 404  # an expired posting is out of sight of other enterprises
    assert not Interest.objects.exists()


def test_the_owner_renews_and_closes_a_request_without_a_local_partner(client, enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer, nodes=["U3"])
    postings_expire(now=NOW.replace(month=10))

    with time_machine.travel(NOW.replace(month=10), tick=False):
        html = get(client, enterprise_admin, "chain:posting", pk=posting.pk)
        post(client, enterprise_admin, "chain:posting-move", {"action": "renew"}, pk=posting.pk)
        posting.refresh_from_db()
        assert posting.status == S.PUBLISHED and posting.renewals == 1
        post(client, enterprise_admin, "chain:posting-move", {"action": "close", "no_local_partner": "on"},
             pk=posting.pk)  # fmt: skip

    assert "续期" in html
    posting.refresh_from_db()
    assert posting.status == S.CLOSED and posting.no_local_partner


def test_the_owner_sees_the_matchers_suggestions_and_another_enterprise_does_not(
    client, enterprise_admin, pujiang_officer, other_user
):
    request = published(enterprise_admin.enterprise, officer=pujiang_officer, title="采购一次性无菌注射器")
    offer = "本公司可稳定供应一次性使用无菌注射器(5ml、10ml),具备第二类医疗器械注册证,年产能2亿支,支持小批量试样。"
    published(other_user.enterprise, kind="business_offer", title="供应一次性无菌注射器", description=offer)

    owner_page = get(client, enterprise_admin, "chain:posting", pk=request.pk)
    stranger_page = get(client, other_user, "chain:posting", pk=request.pk)

    assert "推荐对接伙伴" in owner_page and "供应一次性无菌注射器" in owner_page
    assert "推荐对接伙伴" not in stranger_page


def test_the_detail_page_renders_without_the_matcher(client, enterprise_admin, pujiang_officer, monkeypatch):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer, title="采购一次性无菌注射器")
    monkeypatch.setitem(sys.modules, "sanlian.chain.matching", None)  # importing it raises ImportError

    html = get(client, enterprise_admin, "chain:posting", pk=posting.pk)

    assert "采购一次性无菌注射器" in html


# Interests --------------------------------------------------------------------------------------------------


def test_the_officer_brokers_from_the_interests_list_to_a_signed_cooperation(
    client, enterprise_admin, pujiang_officer, other_user
):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer, title="寻找注射器供应商")
    interest = interest_services.interest_express(actor=other_user, posting=posting, note="", now=NOW)

    listing = get(client, pujiang_officer, "chain:interests")
    post(client, pujiang_officer, "chain:interest-move", {"action": "introduce"}, pk=interest.pk)
    post(client, pujiang_officer, "chain:interest-move",
         {"action": "signed", "signed_date": "2025-06-16", "amount": "880000.00"}, pk=interest.pk)  # fmt: skip

    assert "寻找注射器供应商" in listing and "引荐双方" in listing
    interest.refresh_from_db()
    assert interest.status == Interest.Status.SIGNED
    assert str(interest.amount) == "880000.00"


def test_a_signed_outcome_in_the_future_is_refused_on_the_page(client, enterprise_admin, pujiang_officer, other_user):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)
    interest = interest_services.interest_express(actor=other_user, posting=posting, note="", now=NOW)
    interest_services.interest_broker(actor=pujiang_officer, interest=interest, action="introduce", now=NOW)

    response = post(client, pujiang_officer, "chain:interest-move", {"action": "signed", "signed_date": "2025-12-31"},
                    pk=interest.pk)  # fmt: skip

    assert "不能晚于今天" in messages_of(client, pujiang_officer, response)
    interest.refresh_from_db()
    assert interest.status == Interest.Status.INTRODUCED


def test_the_interested_enterprise_sees_and_withdraws_its_interest(
    client, enterprise_admin, pujiang_officer, other_user
):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer, title="寻找注射器供应商")
    interest = interest_services.interest_express(actor=other_user, posting=posting, note="", now=NOW)

    mine = get(client, other_user, "chain:interests", query={"side": "mine"})
    received = get(client, enterprise_admin, "chain:interests", query={"side": "received"})
    post(client, other_user, "chain:interest-move", {"action": "withdraw"}, pk=interest.pk)

    assert "寻找注射器供应商" in mine and "撤回意向" in mine
    assert "莘庄测试生物有限公司" in received
    interest.refresh_from_db()
    assert interest.status == Interest.Status.WITHDRAWN


def test_an_enterprise_cannot_broker_from_the_page(client, enterprise_admin, pujiang_officer, other_user):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)
    interest = interest_services.interest_express(actor=other_user, posting=posting, note="", now=NOW)

    response = post(client, enterprise_admin, "chain:interest-move", {"action": "introduce"}, pk=interest.pk)

    assert response.status_code == 403
    interest.refresh_from_db()
    assert interest.status == Interest.Status.PENDING
