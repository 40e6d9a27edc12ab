"""Articles for the news tests, written and published through the real services."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sanlian.community.services.news import article_create, article_transition

NOW = datetime(2024, 5, 21, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# A 1×1 PNG.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def article_data(**overrides) -> dict:
    return {
        "title": "浦江镇生物医药产业人才周开幕",
        "summary": "人才赋能生物医药产业发展主题活动举行",
        "body": "5月20日下午,浦江镇人才赋能生物医药产业发展主题活动举行。\n\n活动聘任了首批全球引才大使。",
        "kind": "activity",
        **overrides,
    }


def draft(author, *, tags=("人才",), now=NOW, **overrides):
    return article_create(actor=author, data=article_data(**overrides), region=author.region, tags=tags, now=now)


def published(author, reviewer, *, tags=("人才",), now=NOW, **overrides):
    article = draft(author, tags=tags, now=now, **overrides)
    article_transition(actor=author, article=article, action="submit", now=now)
    return article_transition(actor=reviewer, article=article, action="publish", now=now + timedelta(hours=1))
