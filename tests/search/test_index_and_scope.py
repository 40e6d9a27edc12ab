"""Each kind is indexed by the services that write it, and search results obey the permission layer.

Given objects made through the real services (their after-commit refresh run), when users of different
roles and places search, then each sees what its pages show it — in the results and in the counts.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanlian.chain.services import postings as posting_services
from sanlian.community.services import events as event_services
from sanlian.community.services import news as news_services
from sanlian.enterprises import services as enterprise_services
from sanlian.policies import services as policy_services
from sanlian.search.models import SearchDocument
from sanlian.space.services import listings as listing_services
from tests import factories
from tests.chain.test_postings import posting_data
from tests.community.event_helpers import NOW as EVENT_NOW
from tests.community.event_helpers import event_data
from tests.community.news_helpers import NOW as NEWS_NOW
from tests.community.news_helpers import article_data
from tests.policies.helpers import number_parameter, version_data
from tests.space.conftest import NOW as SPACE_NOW
from tests.space.conftest import listing_data

from .conftest import committed, find, titles

pytestmark = pytest.mark.django_db


def enterprise(town="pujiang", **data):
    with committed():
        return factories.enterprise(town, **data)


# Enterprises ----------------------------------------------------------------------------------------------


def test_an_enterprise_is_found_by_full_name_part_of_its_name_english_name_and_uscc(pujiang_officer):
    firm = enterprise(name="上海复宏汉霖生物技术股份有限公司", name_en="Shanghai Henlius Biotech")

    for q in ("复宏汉霖", "汉霖", "Henlius", "henl", firm.uscc, "上海复宏汉霖生物"):
        assert titles(pujiang_officer, q) == ["上海复宏汉霖生物技术股份有限公司"], q


def test_an_enterprise_edit_refreshes_its_document(pujiang_officer):
    firm = enterprise(name="浦江旧名医疗器械有限公司")

    with committed():
        enterprise_services.enterprise_update(
            actor=pujiang_officer, enterprise=firm, data={"name": "浦江新名细胞科技有限公司"}
        )

    assert titles(pujiang_officer, "旧名") == []
    assert titles(pujiang_officer, "新名") == ["浦江新名细胞科技有限公司"]


def test_enterprises_are_seen_by_officers_of_their_town_and_their_own_users_only(
    pujiang_officer, xinzhuang_officer, district_officer, anonymous
):
    ours = enterprise("pujiang", name="浦江抗体药物有限公司")
    theirs = enterprise("xinzhuang", name="莘庄抗体药物有限公司")
    our_user = factories.enterprise_user(ours)

    assert titles(pujiang_officer, "抗体药物") == ["浦江抗体药物有限公司"]
    assert find(pujiang_officer, "抗体药物").counts["enterprise"] == 1
    assert titles(xinzhuang_officer, "抗体药物") == ["莘庄抗体药物有限公司"]
    assert sorted(titles(district_officer, "抗体药物")) == sorted([ours.name, theirs.name])
    assert titles(our_user, "抗体药物") == ["浦江抗体药物有限公司"]
    assert find(our_user, "抗体药物").total == 1
    assert find(anonymous, "抗体药物").total == 0


def test_a_title_match_ranks_above_a_body_match(pujiang_officer):
    enterprise(name="浦江甲公司有限公司", description="我们也做细胞治疗相关的检测服务。")
    enterprise(name="浦江细胞治疗有限公司", description="主要产品为试剂。")

    assert titles(pujiang_officer, "细胞治疗")[0] == "浦江细胞治疗有限公司"


# Policies -------------------------------------------------------------------------------------------------


def test_a_draft_policy_is_seen_by_officers_only_and_by_everyone_once_published(pujiang_officer, anonymous):
    number_parameter(pujiang_officer)
    with committed():
        version = policy_services.policy_create(
            actor=pujiang_officer,
            code="pj-search",
            region=pujiang_officer.region,
            data=version_data(title="浦江镇研发投入奖励"),
        )
    assert titles(pujiang_officer, "研发投入", "policy") == ["浦江镇研发投入奖励"]
    assert titles(anonymous, "研发投入") == []

    with committed():
        policy_services.policy_publish(actor=pujiang_officer, policy=version.policy)

    assert titles(anonymous, "研发投入", "policy") == ["浦江镇研发投入奖励"]
    document = SearchDocument.objects.get(kind="policy", object_id=version.policy_id)
    assert document.visibility == "public"


# Chain postings -------------------------------------------------------------------------------------------


def test_a_posting_is_seen_by_other_enterprises_only_while_published(pujiang_officer, xinzhuang_officer, anonymous):
    owner = enterprise("pujiang", name="浦江需求方有限公司")
    other = enterprise("xinzhuang", name="莘庄供应方有限公司")
    owner_user, other_user = factories.enterprise_user(owner), factories.enterprise_user(other)
    now = timezone.now()
    with committed():
        posting = posting_services.posting_create(
            actor=owner_user, enterprise=owner, data=posting_data(title="采购冻干机"), now=now
        )
    assert titles(owner_user, "冻干机") == ["采购冻干机"]
    assert titles(other_user, "冻干机") == []
    assert titles(xinzhuang_officer, "冻干机") == []
    assert titles(pujiang_officer, "冻干机") == ["采购冻干机"]

    with committed():
        posting_services.posting_submit(actor=owner_user, posting=posting, now=now)
        posting_services.posting_review(actor=pujiang_officer, posting=posting, action="publish", now=now)
    assert titles(other_user, "冻干机") == ["采购冻干机"]
    assert titles(xinzhuang_officer, "冻干机") == ["采购冻干机"]
    assert titles(anonymous, "冻干机") == []
    expiry = SearchDocument.objects.get(kind="posting", object_id=posting.pk).visible_until_date
    assert expiry is not None and titles(other_user, "冻干机", today=expiry + timedelta(days=1)) == []

    with committed():
        posting_services.posting_close(actor=owner_user, posting=posting, now=now)
    assert titles(other_user, "冻干机") == []
    assert titles(owner_user, "冻干机") == ["采购冻干机"]


# Space listings -------------------------------------------------------------------------------------------


def test_a_listing_is_public_only_while_published(pujiang_officer, xinzhuang_officer, anonymous):
    landlord = enterprise("pujiang", name="浦江园区运营有限公司")
    landlord_user = factories.enterprise_user(landlord)
    with committed():
        listing = listing_services.listing_create(
            actor=landlord_user, data=listing_data(title="C栋洁净厂房出租", landlord=landlord), now=SPACE_NOW
        )
    assert titles(anonymous, "洁净厂房") == []
    assert titles(xinzhuang_officer, "洁净厂房") == []
    assert titles(landlord_user, "洁净厂房") == ["C栋洁净厂房出租"]

    with committed():
        listing_services.listing_transition(actor=landlord_user, listing=listing, action="submit", now=SPACE_NOW)
        listing_services.listing_transition(actor=pujiang_officer, listing=listing, action="publish", now=SPACE_NOW)
    assert titles(anonymous, "洁净厂房", "listing") == ["C栋洁净厂房出租"]

    with committed():
        listing_services.listing_transition(actor=landlord_user, listing=listing, action="withdraw", now=SPACE_NOW)
    assert titles(anonymous, "洁净厂房") == []
    assert titles(pujiang_officer, "洁净厂房") == ["C栋洁净厂房出租"]


# News and events ------------------------------------------------------------------------------------------


def test_an_article_is_public_once_published_and_leaves_the_public_results_when_withdrawn(
    pujiang_officer, xinzhuang_officer, anonymous
):
    reviewer = factories.officer("pujiang")
    with committed():
        article = news_services.article_create(
            actor=pujiang_officer, data=article_data(title="浦江镇举办合成生物学沙龙"), region=pujiang_officer.region,
            tags=("合成生物",), now=NEWS_NOW,
        )  # fmt: skip
    assert titles(anonymous, "合成生物学") == []
    assert titles(xinzhuang_officer, "合成生物学") == []
    assert titles(pujiang_officer, "合成生物学") == ["浦江镇举办合成生物学沙龙"]

    with committed():
        news_services.article_transition(actor=pujiang_officer, article=article, action="submit", now=NEWS_NOW)
        news_services.article_transition(actor=reviewer, article=article, action="publish", now=NEWS_NOW)
    assert titles(anonymous, "合成生物学", "article") == ["浦江镇举办合成生物学沙龙"]

    with committed():
        news_services.article_transition(
            actor=reviewer, article=article, action="withdraw", comment="过时", now=NEWS_NOW
        )
    assert titles(anonymous, "合成生物学") == []


def test_an_event_is_public_once_published_and_its_edits_are_indexed(pujiang_officer, anonymous):
    with committed():
        event = event_services.event_create(
            actor=pujiang_officer, data=event_data(title="浦江镇细胞治疗路演"), sessions=(), now=EVENT_NOW
        )
    assert titles(anonymous, "路演") == []

    with committed():
        event_services.event_transition(actor=pujiang_officer, event=event, action="publish", now=EVENT_NOW)
        event_services.event_update(
            actor=pujiang_officer, event=event, data=event_data(title="浦江镇基因治疗路演"), now=EVENT_NOW
        )
    assert titles(anonymous, "路演", "event") == ["浦江镇基因治疗路演"]
    assert titles(anonymous, "细胞治疗") == []


# Counts and types -----------------------------------------------------------------------------------------


def test_counts_per_type_include_only_what_the_user_may_see_and_a_type_filter_narrows_the_page(pujiang_officer):
    enterprise("pujiang", name="浦江基因编辑有限公司")
    enterprise("xinzhuang", name="莘庄基因编辑有限公司")
    reviewer = factories.officer("pujiang")
    with committed():
        article = news_services.article_create(
            actor=pujiang_officer,
            data=article_data(title="基因编辑产业观察"),
            region=pujiang_officer.region,
            now=NEWS_NOW,
        )
        news_services.article_transition(actor=pujiang_officer, article=article, action="submit", now=NEWS_NOW)
        news_services.article_transition(actor=reviewer, article=article, action="publish", now=NEWS_NOW)

    results = find(pujiang_officer, "基因编辑")
    only_news = find(pujiang_officer, "基因编辑", "article")

    assert results.counts["enterprise"] == 1 and results.counts["article"] == 1 and results.total == 2
    assert [d.kind for d in only_news.page.object_list] == ["article"]
    assert only_news.page.paginator.count == 1


def test_the_results_are_paginated_in_rank_order_without_repeats(pujiang_officer):
    for i in range(5):
        enterprise("pujiang", name=f"浦江疫苗{i}号有限公司")

    first = find(pujiang_officer, "疫苗", per_page=2)
    pages = [find(pujiang_officer, "疫苗", per_page=2, page=n).page.object_list for n in (1, 2, 3)]

    assert first.page.paginator.num_pages == 3
    ids = [d.pk for page in pages for d in page]
    assert len(ids) == len(set(ids)) == 5


def test_an_unknown_type_is_refused_naming_the_field(pujiang_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        find(pujiang_officer, "疫苗", "patents")

    assert "type" in error.value.message_dict


def test_the_reindex_rebuilds_documents_lost_or_stale(pujiang_officer):
    from django.core.management import call_command

    enterprise("pujiang", name="浦江重建索引有限公司")
    SearchDocument.objects.all().delete()
    assert titles(pujiang_officer, "重建索引") == []

    call_command("search_reindex", "--kind", "enterprise", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert titles(pujiang_officer, "重建索引") == ["浦江重建索引有限公司"]


def test_a_broad_word_is_counted_up_to_the_cap_and_only_those_matches_are_ranked(pujiang_officer, monkeypatch):
    from sanlian.search import selectors

    for i in range(4):
        enterprise("pujiang", name=f"浦江多肽{i}号有限公司")
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)

    results = find(pujiang_officer, "多肽", per_page=2)

    assert results.counts["enterprise"] == 2 and results.capped == {"enterprise"}
    assert results.page.paginator.count == 2
    assert len(results.page.object_list) == 2
