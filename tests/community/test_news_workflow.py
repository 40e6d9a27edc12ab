"""The editorial workflow: draft → review → published → withdrawn, four eyes, scope, audit and notices."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanlian.community.models import Article
from sanlian.community.services.news import article_transition, article_update
from sanlian.core.models import AuditEvent, Notification
from tests import factories

from .news_helpers import NOW, article_data, draft, published

pytestmark = pytest.mark.django_db
S = Article.Status


@pytest.fixture
def colleague(db):
    return factories.officer("pujiang", username="pj_colleague")


def test_an_officer_submits_a_draft_and_a_colleague_publishes_it_and_the_author_is_told(pujiang_officer, colleague):
    article = draft(pujiang_officer)

    article_transition(actor=pujiang_officer, article=article, action="submit", now=NOW)
    article = article_transition(actor=colleague, article=article, action="publish", now=NOW)

    assert (article.status, article.reviewer, article.published_at) == (S.PUBLISHED, colleague, NOW)
    actions = set(AuditEvent.objects.filter(target_id=str(article.pk)).values_list("action", flat=True))
    assert {"article.create", "article.submit", "article.publish"} <= actions
    assert Notification.objects.filter(recipient=pujiang_officer, title__contains=article.title).exists()


def test_an_author_cannot_publish_their_own_article(pujiang_officer):
    article = draft(pujiang_officer)
    article_transition(actor=pujiang_officer, article=article, action="submit", now=NOW)

    with pytest.raises(ValidationError) as refused:
        article_transition(actor=pujiang_officer, article=article, action="publish", now=NOW)

    assert "reviewer" in refused.value.message_dict
    assert Article.objects.get(pk=article.pk).status == S.REVIEW


def test_a_district_officer_publishes_a_towns_article(pujiang_officer, district_officer):
    article = draft(pujiang_officer)
    article_transition(actor=pujiang_officer, article=article, action="submit", now=NOW)

    article = article_transition(actor=district_officer, article=article, action="publish", now=NOW)

    assert article.status == S.PUBLISHED


def test_returning_needs_a_comment_and_sends_the_draft_back_with_it(pujiang_officer, colleague):
    article = draft(pujiang_officer)
    article_transition(actor=pujiang_officer, article=article, action="submit", now=NOW)

    with pytest.raises(ValidationError) as refused:
        article_transition(actor=colleague, article=article, action="return", comment=" ", now=NOW)
    article = article_transition(actor=colleague, article=article, action="return", comment="请补充活动照片", now=NOW)

    assert "comment" in refused.value.message_dict
    assert (article.status, article.review_comment) == (S.DRAFT, "请补充活动照片")


def test_a_published_article_is_withdrawn_and_reopened_as_a_draft(pujiang_officer, colleague):
    article = published(pujiang_officer, colleague)

    article = article_transition(actor=colleague, article=article, action="withdraw", now=NOW)
    assert article.status == S.WITHDRAWN
    article = article_transition(actor=pujiang_officer, article=article, action="reopen", now=NOW)

    assert article.status == S.DRAFT


def test_a_transition_from_the_wrong_status_is_refused(pujiang_officer, colleague):
    article = draft(pujiang_officer)

    with pytest.raises(ValidationError) as refused:
        article_transition(actor=colleague, article=article, action="publish", now=NOW)

    assert "status" in refused.value.message_dict


def test_an_officer_of_another_town_and_an_enterprise_cannot_act_on_the_article(
    pujiang_officer, xinzhuang_officer, enterprise_admin
):
    article = draft(pujiang_officer)
    article_transition(actor=pujiang_officer, article=article, action="submit", now=NOW)

    for outsider in (xinzhuang_officer, enterprise_admin):
        with pytest.raises(PermissionDenied):
            article_transition(actor=outsider, article=article, action="publish", now=NOW)

    assert Article.objects.get(pk=article.pk).status == S.REVIEW


def test_editing_a_published_article_keeps_it_published_and_audits_the_change(pujiang_officer, colleague):
    article = published(pujiang_officer, colleague)
    later = NOW.replace(day=25)

    article = article_update(
        actor=pujiang_officer, article=article, data=article_data(title="浦江镇生物医药产业人才周开幕(更正)"),
        tags=["人才", "更正"], now=later,
    )  # fmt: skip

    assert (article.status, article.updated_at) == (S.PUBLISHED, later)
    event = AuditEvent.objects.get(action="article.update", target_id=str(article.pk))
    assert event.changes["title"] == "浦江镇生物医药产业人才周开幕(更正)"
    assert event.changes["tags"] == ["人才", "更正"]
