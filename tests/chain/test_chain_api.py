"""Supply–demand postings in /api/v1: scoped like the pages, bad input answered 422 naming the field.

The router (`sanlian.chain.api.router`) is mounted at the API root by sanlian/config/api.py.
"""

import pytest
import time_machine

from sanlian.chain.models import Interest, Posting
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
def owner_api(api_as, enterprise_admin):
    return api_as(enterprise_admin)


@pytest.fixture
def other_user(xinzhuang_enterprise):
    return factories.enterprise_user(xinzhuang_enterprise, username="xz_user")


def body(**overrides) -> dict:
    data = {
        "kind": "business_request",
        "title": "采购一次性无菌注射器",
        "description": DESCRIPTION,
        "nodes": ["M5"],
        "quantity": "50万支/年",
        "budget": "300000.00",
        "deadline_date": "2025-08-31",
    }
    data.update(overrides)
    return data


# Reading ----------------------------------------------------------------------------------------------------


def test_the_list_holds_published_postings_and_the_callers_own_drafts(
    api_as, enterprise_admin, pujiang_officer, other_user
):
    published(enterprise_admin.enterprise, officer=pujiang_officer, title="已发布的注射器采购")
    draft(enterprise_admin.enterprise, title="浦江的草稿信息")

    mine = api_as(enterprise_admin).get("/chain/postings")
    theirs = api_as(other_user).get("/chain/postings")

    assert mine.status_code == 200 and theirs.status_code == 200
    assert {p["title"] for p in mine.json()["items"]} == {"已发布的注射器采购", "浦江的草稿信息"}
    assert [p["title"] for p in theirs.json()["items"]] == ["已发布的注射器采购"]
    row = theirs.json()["items"][0]
    assert row["nodes"] == ["M5"] and row["budget"] == "300000.00" and row["enterprise"]["town"] == "pujiang"


def test_the_list_filters_and_names_an_unknown_node(api_as, enterprise_admin, pujiang_officer):
    published(enterprise_admin.enterprise, officer=pujiang_officer, title="寻找制药装备供应商", nodes=["U3"])
    published(enterprise_admin.enterprise, officer=pujiang_officer, title="提供精密注塑加工", kind="business_offer",
              nodes=["U4"])  # fmt: skip
    api = api_as(pujiang_officer)

    by_node = api.get("/chain/postings", node="U3").json()["items"]
    by_kind = api.get("/chain/postings", kind="business_offer").json()["items"]
    by_words = api.get("/chain/postings", q="制药装备").json()["items"]
    unknown = api.get("/chain/postings", node="Z9")

    assert [p["title"] for p in by_node] == ["寻找制药装备供应商"]
    assert [p["title"] for p in by_kind] == ["提供精密注塑加工"]
    assert [p["title"] for p in by_words] == ["寻找制药装备供应商"]
    assert unknown.status_code == 422 and "Z9" in unknown.json()["errors"]["node"][0]


def test_another_enterprises_draft_is_not_found(api_as, enterprise_admin, other_user):
    posting = draft(enterprise_admin.enterprise)

    assert api_as(other_user).get(f"/chain/postings/{posting.pk}").status_code == 404
    assert api_as(enterprise_admin).get(f"/chain/postings/{posting.pk}").status_code == 200


def test_the_review_comment_is_for_the_owner_and_officers_only(api_as, enterprise_admin, pujiang_officer, other_user):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)
    Posting.objects.filter(pk=posting.pk).update(review_comment="内部意见")

    assert api_as(enterprise_admin).get(f"/chain/postings/{posting.pk}").json()["review_comment"] == "内部意见"
    assert api_as(other_user).get(f"/chain/postings/{posting.pk}").json()["review_comment"] == ""


def test_anonymous_callers_get_401(anonymous_api):
    assert anonymous_api.get("/chain/postings").status_code == 401


# Writing ----------------------------------------------------------------------------------------------------


def test_an_enterprise_user_creates_a_draft_then_submits_it(owner_api, pujiang_officer):
    created = owner_api.post("/chain/postings", body(nodes=["M5", "u4"]))

    assert created.status_code == 201, created.content
    posting = created.json()
    assert posting["status"] == "draft" and posting["nodes"] == ["U4", "M5"]  # in the taxonomy's order
    submitted = owner_api.post(f"/chain/postings/{posting['id']}/transition", {"action": "submit"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending"


BAD_BODIES = [
    ("empty description", {"description": ""}, "description", "请填写描述"),
    ("oversized description", {"description": "需" * 4001}, "description", "4000"),
    ("unknown node", {"nodes": ["M5", "X9"]}, "nodes", "X9"),
    ("no node", {"nodes": []}, "nodes", "至少选择一个"),
    ("negative budget", {"budget": "-1"}, "budget", "负数"),
    ("float budget", {"budget": 0.5}, "budget", "浮点数"),
    ("past deadline", {"deadline_date": "2025-06-01"}, "deadline_date", "不能早于今天"),
    ("unknown kind", {"kind": "gift"}, "kind", "可选值"),
]


@pytest.mark.parametrize(("case", "overrides", "field", "words"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
def test_bad_input_answers_422_naming_the_field_and_creates_nothing(owner_api, case, overrides, field, words):
    response = owner_api.post("/chain/postings", body(**overrides))

    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in errors and words in " ".join(errors[field])
    assert not Posting.objects.exists()


def test_traditional_characters_and_mixed_english_are_accepted(owner_api):
    description = "需要符合ISO 13485的精密注塑件,材料為PC/ABS;月需求約10萬件,歡迎聯繫!"

    response = owner_api.post("/chain/postings", body(title="尋求ISO 13485認證的注塑件供應商", description=description))

    assert response.status_code == 201
    assert response.json()["title"] == "尋求ISO 13485認證的注塑件供應商"


def test_an_officer_may_not_create_a_posting(api_as, pujiang_officer):
    assert api_as(pujiang_officer).post("/chain/postings", body()).status_code == 403


def test_the_owner_patches_a_draft_and_another_enterprise_may_not(api_as, enterprise_admin, other_user):
    posting = draft(enterprise_admin.enterprise)

    refused = api_as(other_user).patch(f"/chain/postings/{posting.pk}", {"title": "被他人修改"})
    patched = api_as(enterprise_admin).patch(f"/chain/postings/{posting.pk}", {"nodes": ["M5", "D2"], "budget": None})

    assert refused.status_code == 404
    assert patched.status_code == 200
    assert patched.json()["nodes"] == ["M5", "D2"] and patched.json()["budget"] is None
    assert patched.json()["title"] == "采购一次性无菌注射器"


def test_a_patch_with_an_unknown_node_changes_nothing(owner_api, enterprise_admin):
    posting = draft(enterprise_admin.enterprise)

    response = owner_api.patch(f"/chain/postings/{posting.pk}", {"title": "新的标题内容", "nodes": ["M8"]})

    assert response.status_code == 422 and "M8" in response.json()["errors"]["nodes"][0]
    posting.refresh_from_db()
    assert posting.title == "采购一次性无菌注射器"


# Transitions ------------------------------------------------------------------------------------------------


def test_the_towns_officer_publishes_and_another_towns_officer_gets_404(
    api_as, enterprise_admin, pujiang_officer, xinzhuang_officer
):
    posting = pending(enterprise_admin.enterprise)

    other = api_as(xinzhuang_officer).post(f"/chain/postings/{posting.pk}/transition", {"action": "publish"})
    own = api_as(pujiang_officer).post(f"/chain/postings/{posting.pk}/transition", {"action": "publish"})

    assert other.status_code == 404
    assert own.status_code == 200
    assert own.json()["status"] == "published" and own.json()["expires_date"] == "2025-09-14"


def test_a_rejection_without_a_comment_answers_422(api_as, enterprise_admin, pujiang_officer):
    posting = pending(enterprise_admin.enterprise)

    response = api_as(pujiang_officer).post(f"/chain/postings/{posting.pk}/transition", {"action": "reject"})

    assert response.status_code == 422 and "comment" in response.json()["errors"]
    posting.refresh_from_db()
    assert posting.status == S.PENDING


def test_the_owner_may_not_publish_its_own_posting(owner_api, enterprise_admin):
    posting = pending(enterprise_admin.enterprise)

    assert owner_api.post(f"/chain/postings/{posting.pk}/transition", {"action": "publish"}).status_code == 403


def test_the_owner_renews_an_expired_posting_and_closes_it_without_a_local_partner(
    api_as, enterprise_admin, pujiang_officer
):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer, nodes=["M4"])
    autumn = NOW.replace(month=10)
    postings_expire(now=autumn)

    with time_machine.travel(autumn, tick=False):
        api = api_as(enterprise_admin)
        renewed = api.post(f"/chain/postings/{posting.pk}/transition", {"action": "renew"})
        closed = api.post(f"/chain/postings/{posting.pk}/transition", {"action": "close", "no_local_partner": True})

    assert renewed.status_code == 200 and renewed.json()["renewals"] == 1
    assert closed.json()["status"] == "closed" and closed.json()["no_local_partner"] is True


# Interests --------------------------------------------------------------------------------------------------


def test_an_enterprise_expresses_interest_once(api_as, enterprise_admin, pujiang_officer, other_user):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)
    api = api_as(other_user)

    first = api.post(f"/chain/postings/{posting.pk}/interests", {"note": "我司可供货"})
    second = api.post(f"/chain/postings/{posting.pk}/interests", {"note": "再来一次"})

    assert first.status_code == 201 and first.json()["status"] == "pending"
    assert first.json()["enterprise"]["name"] == "莘庄测试生物有限公司"
    assert second.status_code == 422 and "posting" in second.json()["errors"]
    assert Interest.objects.count() == 1
    detail = api_as(enterprise_admin).get(f"/chain/postings/{posting.pk}").json()
    assert [i["note"] for i in detail["interests"]] == ["我司可供货"]


def test_interest_in_ones_own_posting_answers_422(owner_api, enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)

    response = owner_api.post(f"/chain/postings/{posting.pk}/interests", {"note": ""})

    assert response.status_code == 422 and "本企业" in response.json()["errors"]["posting"][0]
    assert not Interest.objects.exists()


def test_interest_in_an_expired_posting_is_refused(api_as, enterprise_admin, pujiang_officer, other_user):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)

    with time_machine.travel(NOW.replace(month=10), tick=False):
        response = api_as(other_user).post(f"/chain/postings/{posting.pk}/interests", {"note": ""})

    assert response.status_code == 404  # out of sight once past its expiry date
    assert not Interest.objects.exists()
