"""The related-articles engine: content similarity plus shared tags, with reasons; no Django."""

import pytest

from sanlian.engines.related import Doc, RelatedIndex, Weights

TALENT_WEEK = Doc(
    "opening", "浦江镇生物医药产业人才周开幕",
    "5月20日浦江镇举行人才赋能生物医药产业发展主题活动,人才周拉开帷幕,聘任首批全球引才大使。", ("人才", "活动"),
)  # fmt: skip
TALENT_SALON = Doc(
    "salon", "人才周第二场:生物医药人才沙龙",
    "浦江镇生物医药产业人才周继续举行,人才沙龙聚焦引才与产才融合。", ("人才",),
)  # fmt: skip
LOANS = Doc(
    "loans", "关于开展2025年度企业贷款贴息申报的通知",
    "符合条件的中小企业可申请银行贷款贴息,请于截止日前提交贷款合同与付息凭证。", ("融资",),
)  # fmt: skip


def test_two_reports_of_the_talent_week_relate_and_the_loans_notice_relates_to_neither():
    index = RelatedIndex.build([TALENT_WEEK, TALENT_SALON, LOANS])

    assert [r.doc_id for r in index.related("opening")] == ["salon"]
    assert [r.doc_id for r in index.related("salon")] == ["opening"]
    assert index.related("loans") == []


def test_the_reasons_name_shared_terms_and_shared_tags():
    index = RelatedIndex.build([TALENT_WEEK, TALENT_SALON, LOANS])

    found = index.related("opening")[0]

    assert found.tags == ["人才"]
    assert "生物医药" in found.terms and "引才" in found.terms


def test_a_shared_tag_alone_brings_an_article_above_the_threshold():
    a = Doc("a", "甲", "苹果香蕉", ("园区",))
    b = Doc("b", "乙", "火车飞机", ("园区",))
    index = RelatedIndex.build([a, b], weights=Weights(tag_weight=0.3, min_score=0.1))

    found = index.related("a")

    assert [(r.doc_id, r.text_score, r.tags) for r in found] == [("b", 0.0, ["园区"])]


def test_a_near_copy_scores_about_one_on_text_and_ties_are_broken_by_id():
    copy_b = Doc("b", TALENT_WEEK.title, TALENT_WEEK.text)
    copy_c = Doc("c", TALENT_WEEK.title, TALENT_WEEK.text)
    index = RelatedIndex.build([Doc("a", TALENT_WEEK.title, TALENT_WEEK.text), copy_c, copy_b])

    found = index.related("a")

    assert [r.doc_id for r in found] == ["b", "c"]
    assert found[0].text_score == pytest.approx(1.0)


def test_an_unknown_id_an_empty_index_and_duplicate_ids():
    assert RelatedIndex.build([]).related("x") == []
    assert RelatedIndex.build([TALENT_WEEK]).related("nope") == []
    with pytest.raises(ValueError, match="duplicate"):
        RelatedIndex.build([TALENT_WEEK, TALENT_WEEK])
