"""Supply–demand postings: writing, review, publication, expiry, renewal and closing, with bad input refused.

The helpers at the top (posting_data, draft, pending, published, user_of) are shared by the other
posting tests of this folder.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from sanlian.chain import selectors
from sanlian.chain.models import Posting
from sanlian.chain.services import postings as services
from sanlian.chain.tasks import expire_postings
from sanlian.core.models import AuditEvent, Notification
from tests import factories

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
NOW = datetime(2025, 6, 16, 10, 0, tzinfo=TZ)
TODAY = NOW.date()
S = Posting.Status

DESCRIPTION = (
    "本公司需采购一次性使用无菌注射器(5ml、10ml),年用量约50万支,要求供应商具备第二类医疗器械注册证,可提供小批量试样。"
)


def posting_data(**overrides) -> dict:
    data = {
        "kind": "business_request",
        "title": "采购一次性无菌注射器",
        "description": DESCRIPTION,
        "nodes": ["M5"],
        "quantity": "50万支/年",
        "budget": "300000.00",
        "deadline_date": None,
    }
    data.update(overrides)
    return data


def user_of(enterprise):
    return enterprise.users.order_by("pk").first() or factories.enterprise_user(enterprise)


def draft(enterprise, *, now=NOW, **overrides) -> Posting:
    return services.posting_create(actor=user_of(enterprise), enterprise=enterprise, data=posting_data(**overrides),
                                   now=now)  # fmt: skip


def pending(enterprise, *, now=NOW, **overrides) -> Posting:
    return services.posting_submit(actor=user_of(enterprise), posting=draft(enterprise, now=now, **overrides), now=now)


def published(enterprise, *, officer=None, now=NOW, **overrides) -> Posting:
    officer = officer or factories.officer(enterprise.town.code)
    return services.posting_review(
        actor=officer, posting=pending(enterprise, now=now, **overrides), action="publish", now=now
    )


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


# Writing ------------------------------------------------------------------------------------------------


def test_an_enterprise_user_writes_a_draft_of_its_own_enterprise(enterprise_admin, pujiang_enterprise):
    posting = services.posting_create(
        actor=enterprise_admin,
        enterprise=pujiang_enterprise,
        data=posting_data(nodes=["m5", "U4"], deadline_date="2025-09-30"),
        now=NOW,
    )

    assert posting.status == S.DRAFT
    assert sorted(n.code for n in posting.nodes.all()) == ["M5", "U4"]
    assert posting.budget == Decimal("300000.00")
    assert posting.deadline_date == date(2025, 9, 30)
    assert AuditEvent.objects.filter(action="posting.create", target_id=str(posting.pk)).exists()


def test_traditional_characters_full_width_punctuation_and_english_are_kept_as_typed(enterprise_admin):
    description = "本公司提供GMP級別的無菌灌裝(Aseptic Filling)服務:西林瓶、預灌封注射器,年產能2,000萬支;歡迎洽談!"

    posting = draft(enterprise_admin.enterprise, kind="business_offer", title="無菌灌裝CDMO服務",
                    description=description)  # fmt: skip

    posting.refresh_from_db()
    assert posting.title == "無菌灌裝CDMO服務"
    assert posting.description == description


def test_an_enterprise_cannot_post_for_another_enterprise(enterprise_admin, xinzhuang_enterprise):
    with pytest.raises(PermissionDenied):
        services.posting_create(actor=enterprise_admin, enterprise=xinzhuang_enterprise, data=posting_data(), now=NOW)

    assert not Posting.objects.exists()


def test_an_officer_cannot_write_a_posting(pujiang_officer, pujiang_enterprise):
    with pytest.raises(PermissionDenied):
        services.posting_create(actor=pujiang_officer, enterprise=pujiang_enterprise, data=posting_data(), now=NOW)


BAD_INPUT = [
    ("empty description", {"description": ""}, "description", "请填写描述"),
    ("blank description", {"description": "   \n\u3000 "}, "description", "请填写描述"),
    ("short description", {"description": "需要注射器。"}, "description", "至少 20 个字"),
    ("oversized description", {"description": "需" * 4001}, "description", "不能超过 4000 个字"),
    ("short title", {"title": "采购"}, "title", "至少 4 个字"),
    ("long title", {"title": "标" * 101}, "title", "不能超过 100 个字"),
    ("unknown node", {"nodes": ["M5", "X9"]}, "nodes", "X9"),
    ("no node", {"nodes": []}, "nodes", "至少选择一个"),
    ("six nodes", {"nodes": ["U1", "U2", "U3", "U4", "U5", "M1"]}, "nodes", "最多选择 5 个"),
    ("unknown kind", {"kind": "lottery"}, "kind", "lottery"),
    ("negative budget", {"budget": "-1"}, "budget", "负数"),
    ("budget not a number", {"budget": "三十万"}, "budget", "有效的金额"),
    ("float budget", {"budget": 0.1}, "budget", "浮点数"),
    ("deadline in the past", {"deadline_date": "2025-06-15"}, "deadline_date", "不能早于今天"),
    ("deadline not a date", {"deadline_date": "下个月"}, "deadline_date", "有效日期"),
]


@pytest.mark.parametrize(("case", "overrides", "field", "words"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(enterprise_admin, case, overrides, field, words):
    with pytest.raises(ValidationError) as caught:
        draft(enterprise_admin.enterprise, **overrides)

    assert field in caught.value.message_dict
    assert words in " ".join(caught.value.message_dict[field])
    assert not Posting.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="posting.").exists()


def test_a_description_of_exactly_4000_characters_is_accepted(enterprise_admin):
    posting = draft(enterprise_admin.enterprise, description="需" * 4000)

    assert len(posting.description) == 4000


def test_every_bad_field_is_named_at_once(enterprise_admin):
    with pytest.raises(ValidationError) as caught:
        draft(enterprise_admin.enterprise, title="", description="", nodes=["Z1"])

    assert {"title", "description", "nodes"} <= set(caught.value.message_dict)


def test_an_edit_with_an_unknown_node_changes_nothing(enterprise_admin):
    posting = draft(enterprise_admin.enterprise)

    with pytest.raises(ValidationError) as caught:
        services.posting_save(actor=enterprise_admin, posting=posting, data={"title": "新的标题内容", "nodes": ["M7"]},
                              now=NOW)  # fmt: skip

    assert "M7" in caught.value.message_dict["nodes"][0]
    posting.refresh_from_db()
    assert posting.title == "采购一次性无菌注射器"
    assert [n.code for n in posting.nodes.all()] == ["M5"]


def test_the_owner_edits_a_draft_and_the_change_is_recorded(enterprise_admin):
    posting = draft(enterprise_admin.enterprise)

    services.posting_save(actor=enterprise_admin, posting=posting, data={"nodes": ["M5", "D2"], "budget": ""}, now=NOW)

    posting.refresh_from_db()
    assert sorted(n.code for n in posting.nodes.all()) == ["D2", "M5"]
    assert posting.budget is None
    event = AuditEvent.objects.get(action="posting.update")
    assert event.changes["nodes"] == [["M5"], ["M5", "D2"]]


def test_another_enterprise_can_neither_edit_nor_see_a_draft(enterprise_admin, xinzhuang_enterprise):
    posting = draft(enterprise_admin.enterprise)
    other = factories.enterprise_user(xinzhuang_enterprise)

    with pytest.raises(PermissionDenied):
        services.posting_save(actor=other, posting=posting, data={"title": "被他人修改的标题"}, now=NOW)
    with pytest.raises(Http404):
        selectors.posting_visible(user=other, pk=posting.pk, today=TODAY)

    assert not selectors.postings_visible(user=other, today=TODAY).exists()
    posting.refresh_from_db()
    assert posting.title == "采购一次性无菌注射器"


def test_a_pending_posting_cannot_be_edited(enterprise_admin):
    posting = pending(enterprise_admin.enterprise)

    with pytest.raises(ValidationError) as caught:
        services.posting_save(actor=enterprise_admin, posting=posting, data={"title": "提交后再改标题"}, now=NOW)

    assert "status" in caught.value.message_dict


# Review -------------------------------------------------------------------------------------------------


def test_submitting_tells_the_towns_officers_and_not_another_towns(
    enterprise_admin, pujiang_officer, xinzhuang_officer
):
    posting = pending(enterprise_admin.enterprise)

    assert posting.status == S.PENDING
    assert any("待审核" in title for title in inbox(pujiang_officer))
    assert inbox(xinzhuang_officer) == []


def test_an_officer_of_the_town_publishes_for_90_days_and_the_owner_is_told(enterprise_admin, pujiang_officer):
    posting = pending(enterprise_admin.enterprise)

    services.posting_review(actor=pujiang_officer, posting=posting, action="publish", now=NOW)

    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED
    assert posting.published_at == NOW
    assert posting.expires_date == TODAY + timedelta(days=services.POSTING_DAYS)
    assert posting.reviewed_by == pujiang_officer
    assert any("已审核发布" in title for title in inbox(enterprise_admin))


def test_a_posting_with_a_deadline_is_listed_until_its_deadline(enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer, deadline_date=date(2025, 7, 31))

    assert posting.expires_date == date(2025, 7, 31)


def test_a_rejection_needs_a_comment_and_without_one_nothing_changes(enterprise_admin, pujiang_officer):
    posting = pending(enterprise_admin.enterprise)

    with pytest.raises(ValidationError) as caught:
        services.posting_review(actor=pujiang_officer, posting=posting, action="reject", comment="  ", now=NOW)

    assert "comment" in caught.value.message_dict
    posting.refresh_from_db()
    assert posting.status == S.PENDING


def test_a_rejected_posting_is_edited_and_submitted_again(enterprise_admin, pujiang_officer):
    posting = pending(enterprise_admin.enterprise)
    services.posting_review(actor=pujiang_officer, posting=posting, action="reject", comment="请补充规格", now=NOW)
    assert any("未通过审核" in title for title in inbox(enterprise_admin))

    services.posting_save(actor=enterprise_admin, posting=posting, data={"quantity": "5ml 30万支;10ml 20万支"}, now=NOW)
    services.posting_submit(actor=enterprise_admin, posting=posting, now=NOW)

    posting.refresh_from_db()
    assert posting.status == S.PENDING
    assert posting.review_comment == "请补充规格"


def test_another_towns_officer_cannot_review(enterprise_admin, xinzhuang_officer):
    posting = pending(enterprise_admin.enterprise)

    with pytest.raises(PermissionDenied):
        services.posting_review(actor=xinzhuang_officer, posting=posting, action="publish", now=NOW)

    posting.refresh_from_db()
    assert posting.status == S.PENDING
    assert posting not in selectors.review_queue(user=xinzhuang_officer)


def test_a_district_officer_reviews_the_towns_of_the_district(enterprise_admin, district_officer):
    posting = pending(enterprise_admin.enterprise)

    assert posting in selectors.review_queue(user=district_officer)
    services.posting_review(actor=district_officer, posting=posting, action="publish", now=NOW)

    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED


def test_an_enterprise_user_cannot_review_its_own_posting(enterprise_admin):
    posting = pending(enterprise_admin.enterprise)

    with pytest.raises(PermissionDenied):
        services.posting_review(actor=enterprise_admin, posting=posting, action="publish", now=NOW)


def test_a_draft_cannot_be_published_without_submission(enterprise_admin, pujiang_officer):
    posting = draft(enterprise_admin.enterprise)

    with pytest.raises(ValidationError) as caught:
        services.posting_review(actor=pujiang_officer, posting=posting, action="publish", now=NOW)

    assert "status" in caught.value.message_dict


def test_a_deadline_that_passed_while_waiting_for_review_blocks_publication(enterprise_admin, pujiang_officer):
    posting = pending(enterprise_admin.enterprise, deadline_date=date(2025, 6, 20))

    with pytest.raises(ValidationError) as caught:
        services.posting_review(actor=pujiang_officer, posting=posting, action="publish", now=NOW + timedelta(days=5))

    assert "deadline_date" in caught.value.message_dict
    posting.refresh_from_db()
    assert posting.status == S.PENDING


# Expiry and renewal ---------------------------------------------------------------------------------------


def test_the_expiry_job_expires_postings_past_their_date_once(enterprise_admin, pujiang_officer):
    old = published(enterprise_admin.enterprise, officer=pujiang_officer, title="九十天前发布的信息")
    fresh = published(enterprise_admin.enterprise, officer=pujiang_officer, title="今天发布的信息",
                      now=NOW + timedelta(days=60))  # fmt: skip
    last_day = NOW + timedelta(days=services.POSTING_DAYS)

    assert services.postings_expire(now=last_day) == 0  # the expiry date itself is still valid
    assert services.postings_expire(now=last_day + timedelta(days=1)) == 1
    assert services.postings_expire(now=last_day + timedelta(days=1)) == 0

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == S.EXPIRED
    assert fresh.status == S.PUBLISHED
    assert any("已过期" in title for title in inbox(enterprise_admin))


def test_the_nightly_task_runs_the_expiry(enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)

    with time_machine.travel(NOW + timedelta(days=services.POSTING_DAYS + 1), tick=False):
        expire_postings()  # Huey runs tasks in-process under test

    posting.refresh_from_db()
    assert posting.status == S.EXPIRED


def test_the_task_runs_every_night_at_twenty_past_midnight_local_time():
    due = lambda moment: "expire_postings" in [t.name for t in HUEY.read_periodic(moment)]  # noqa: E731
    # Huey's clock is naive UTC by default; 16:20 UTC is 00:20 the next day in Shanghai.
    local_night = datetime(2026, 6, 1, 16, 20) if HUEY.utc else datetime(2026, 6, 2, 0, 20)

    assert due(local_night)
    assert not due(local_night + timedelta(hours=8))


def test_an_expired_posting_is_no_longer_shown_to_others_even_before_the_job_runs(
    enterprise_admin, pujiang_officer, xinzhuang_enterprise
):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)
    other = factories.enterprise_user(xinzhuang_enterprise)
    later = TODAY + timedelta(days=services.POSTING_DAYS + 1)

    assert posting in selectors.postings_visible(user=other, today=TODAY)
    assert posting not in selectors.postings_visible(user=other, today=later)
    assert posting in selectors.postings_visible(user=enterprise_admin, today=later)


def test_the_owner_renews_an_expired_posting_for_another_90_days(enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)
    later = NOW + timedelta(days=100)
    services.postings_expire(now=later)

    services.posting_renew(actor=enterprise_admin, posting=posting, now=later)

    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED
    assert posting.expires_date == later.date() + timedelta(days=90)
    assert posting.renewals == 1


def test_a_soon_expiring_posting_gets_90_days_added_to_its_expiry(enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)
    expires = posting.expires_date
    ten_days_before = NOW + timedelta(days=services.POSTING_DAYS - 10)

    services.posting_renew(actor=enterprise_admin, posting=posting, now=ten_days_before)
    services.posting_renew(actor=enterprise_admin, posting=posting, now=NOW + timedelta(days=170))

    posting.refresh_from_db()
    assert posting.expires_date == expires + timedelta(days=180)
    assert posting.renewals == 2


def test_a_posting_far_from_its_expiry_cannot_be_renewed_yet(enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)

    with pytest.raises(ValidationError) as caught:
        services.posting_renew(actor=enterprise_admin, posting=posting, now=NOW + timedelta(days=30))

    assert "status" in caught.value.message_dict
    posting.refresh_from_db()
    assert posting.renewals == 0


def test_a_posting_is_not_renewed_past_its_own_deadline(enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer, deadline_date=date(2025, 7, 1))

    with pytest.raises(ValidationError) as caught:
        services.posting_renew(actor=enterprise_admin, posting=posting, now=NOW + timedelta(days=10))

    assert "deadline_date" in caught.value.message_dict


def test_another_enterprise_cannot_renew(enterprise_admin, pujiang_officer, xinzhuang_enterprise):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)
    services.postings_expire(now=NOW + timedelta(days=100))

    with pytest.raises(PermissionDenied):
        services.posting_renew(actor=factories.enterprise_user(xinzhuang_enterprise), posting=posting,
                               now=NOW + timedelta(days=100))  # fmt: skip


# Closing ------------------------------------------------------------------------------------------------


def test_a_request_closed_without_a_local_partner_is_marked_for_the_gap_analysis(enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer, nodes=["U3"], title="寻找制药装备供应商")

    services.posting_close(actor=enterprise_admin, posting=posting, no_local_partner=True, now=NOW)

    posting.refresh_from_db()
    assert posting.status == S.CLOSED
    assert posting.no_local_partner is True


def test_an_offer_cannot_be_closed_as_without_local_partner(enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer, kind="tech_offer")

    with pytest.raises(ValidationError) as caught:
        services.posting_close(actor=enterprise_admin, posting=posting, no_local_partner=True, now=NOW)

    assert "no_local_partner" in caught.value.message_dict
    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED


def test_an_officer_of_the_town_closes_a_posting_and_the_owner_is_told(enterprise_admin, pujiang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)

    services.posting_close(actor=pujiang_officer, posting=posting, no_local_partner=False, now=NOW)

    posting.refresh_from_db()
    assert posting.status == S.CLOSED
    assert any("已由工作人员关闭" in title for title in inbox(enterprise_admin))


def test_another_towns_officer_cannot_close(enterprise_admin, pujiang_officer, xinzhuang_officer):
    posting = published(enterprise_admin.enterprise, officer=pujiang_officer)

    with pytest.raises(PermissionDenied):
        services.posting_close(actor=xinzhuang_officer, posting=posting, no_local_partner=False, now=NOW)

    posting.refresh_from_db()
    assert posting.status == S.PUBLISHED


# Reading ------------------------------------------------------------------------------------------------


@pytest.fixture
def market(pujiang_officer, xinzhuang_officer, enterprise_admin, xinzhuang_enterprise):
    """Published postings in two towns, a draft and a pending one of 浦江."""
    pj = enterprise_admin.enterprise
    published(pj, officer=pujiang_officer, title="採購無菌注射器", nodes=["M5"])
    offer = "提供无血清细胞培养基及定制开发服务,适用于CHO、HEK293等细胞系,质量体系符合GMP要求。"
    published(pj, officer=pujiang_officer, title="提供细胞培养基", kind="business_offer", nodes=["U2", "M3"],
              description=offer)  # fmt: skip
    published(xinzhuang_enterprise, officer=xinzhuang_officer, title="寻求抗体药CDMO合作", kind="tech_request",
              nodes=["M1", "M3"])  # fmt: skip
    draft(pj, title="浦江的草稿信息")
    pending(pj, title="浦江待审核信息")


def test_every_enterprise_and_officer_sees_published_postings_and_only_the_owner_its_drafts(
    market, enterprise_admin, xinzhuang_enterprise, xinzhuang_officer, pujiang_officer
):
    stranger = factories.enterprise_user(xinzhuang_enterprise)

    seen_by_stranger = titles(selectors.postings_visible(user=stranger, today=TODAY))
    seen_by_owner = titles(selectors.postings_visible(user=enterprise_admin, today=TODAY))
    seen_by_other_officer = titles(selectors.postings_visible(user=xinzhuang_officer, today=TODAY))
    seen_by_town_officer = titles(selectors.postings_visible(user=pujiang_officer, today=TODAY))

    published_titles = {"採購無菌注射器", "提供细胞培养基", "寻求抗体药CDMO合作"}
    assert seen_by_stranger == published_titles
    assert seen_by_owner == published_titles | {"浦江的草稿信息", "浦江待审核信息"}
    assert seen_by_other_officer == published_titles
    assert seen_by_town_officer == published_titles | {"浦江的草稿信息", "浦江待审核信息"}


def test_talent_users_see_no_postings(market):
    talent = factories.UserFactory(role="talent")

    assert not selectors.postings_visible(user=talent, today=TODAY).exists()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "business_offer"}, {"提供细胞培养基"}),
        ({"node": "m3"}, {"提供细胞培养基", "寻求抗体药CDMO合作"}),
        ({"q": "無菌"}, {"採購無菌注射器"}),
        ({"q": "cdmo 抗体"}, {"寻求抗体药CDMO合作"}),
        ({"q": "CHO"}, {"提供细胞培养基"}),
        ({"status": "pending"}, {"浦江待审核信息"}),
        ({"status": "live", "node": "M5"}, {"採購無菌注射器"}),
    ],
)
def test_filters_narrow_the_list(market, pujiang_officer, filters, expected):
    found = selectors.postings_visible(user=pujiang_officer, today=TODAY, filters=selectors.PostingFilters(**filters))

    assert titles(found) == expected


def test_an_unknown_node_in_a_filter_is_named(market, pujiang_officer):
    with pytest.raises(ValidationError) as caught:
        selectors.postings_visible(user=pujiang_officer, today=TODAY, filters=selectors.PostingFilters(node="Q7"))

    assert "Q7" in caught.value.message_dict["node"][0]
