"""Interest in postings, the introductions officers broker, the recorded outcomes and the realised links."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanlian.chain import selectors
from sanlian.chain.models import Interest, Posting
from sanlian.chain.services import interests as services
from sanlian.chain.services.postings import posting_close, postings_expire
from sanlian.core.models import AuditEvent
from tests import factories

from .test_postings import NOW, TODAY, draft, inbox, pending, published

pytestmark = pytest.mark.django_db

I = Interest.Status  # noqa: E741


@pytest.fixture
def supplier(db):
    """A 浦江 enterprise on the device node, with its user."""
    enterprise = factories.enterprise("pujiang", name="浦江精密器械有限公司", chain_nodes=("M5", "U4"))
    return factories.enterprise_user(enterprise, username="pj_supplier")


@pytest.fixture
def stranger(xinzhuang_enterprise):
    return factories.enterprise_user(xinzhuang_enterprise, username="xz_staff")


@pytest.fixture
def request_posting(enterprise_admin, pujiang_officer):
    """浦江测试医疗器械 asks for syringes (a business request)."""
    return published(enterprise_admin.enterprise, officer=pujiang_officer)


def express(user, posting, note="我司可供应5ml、10ml注射器,具备二类注册证。", now=NOW) -> Interest:
    return services.interest_express(actor=user, posting=posting, note=note, now=now)


def broker(officer, interest, action, **kwargs) -> Interest:
    kwargs.setdefault("now", NOW)
    return services.interest_broker(actor=officer, interest=interest, action=action, **kwargs)


# Expressing interest ----------------------------------------------------------------------------------------


def test_an_enterprise_expresses_interest_and_the_owner_and_the_towns_officers_hear_of_it(
    request_posting, supplier, enterprise_admin, pujiang_officer, xinzhuang_officer
):
    interest = express(supplier, request_posting)

    assert interest.status == I.PENDING
    assert interest.enterprise_id == supplier.enterprise_id
    assert any("表达了对接意向" in title for title in inbox(enterprise_admin))
    assert any("待撮合" in title for title in inbox(pujiang_officer))
    assert inbox(xinzhuang_officer) == []


def test_an_enterprise_of_another_town_may_express_interest_too(request_posting, stranger):
    interest = express(stranger, request_posting)

    assert interest in selectors.interests_visible(user=stranger, side="mine")


def test_interest_in_ones_own_posting_is_refused_and_nothing_is_created(request_posting, enterprise_admin):
    with pytest.raises(ValidationError) as caught:
        express(enterprise_admin, request_posting)

    assert "本企业" in caught.value.message_dict["posting"][0]
    assert not Interest.objects.exists()


def test_a_second_interest_of_the_same_enterprise_is_refused(request_posting, supplier):
    express(supplier, request_posting)

    with pytest.raises(ValidationError) as caught:
        express(supplier, request_posting, note="再次表达")

    assert "已对该信息表达过意向" in caught.value.message_dict["posting"][0]
    assert Interest.objects.count() == 1


def test_interest_in_an_expired_posting_is_refused(request_posting, supplier):
    later = NOW + timedelta(days=100)
    postings_expire(now=later)

    with pytest.raises(ValidationError) as caught:
        express(supplier, request_posting, now=later)

    assert "过期" in caught.value.message_dict["posting"][0]
    assert not Interest.objects.exists()


def test_interest_in_a_posting_past_its_date_is_refused_before_the_job_has_run(request_posting, supplier):
    with pytest.raises(ValidationError) as caught:
        express(supplier, request_posting, now=NOW + timedelta(days=91))

    assert "过期" in caught.value.message_dict["posting"][0]


@pytest.mark.parametrize("make", [draft, pending])
def test_interest_in_an_unpublished_posting_is_refused(enterprise_admin, supplier, make):
    posting = make(enterprise_admin.enterprise)

    with pytest.raises(ValidationError):
        express(supplier, posting)

    assert not Interest.objects.exists()


def test_interest_in_a_closed_posting_is_refused(request_posting, supplier, enterprise_admin):
    posting_close(actor=enterprise_admin, posting=request_posting, no_local_partner=False, now=NOW)

    with pytest.raises(ValidationError):
        express(supplier, request_posting)


def test_an_oversized_note_is_refused(request_posting, supplier):
    with pytest.raises(ValidationError) as caught:
        express(supplier, request_posting, note="说" * 1001)

    assert "note" in caught.value.message_dict
    assert not Interest.objects.exists()


def test_an_officer_cannot_express_interest(request_posting, pujiang_officer):
    with pytest.raises(PermissionDenied):
        express(pujiang_officer, request_posting)


def test_a_pending_interest_is_withdrawn_and_may_be_expressed_again(request_posting, supplier):
    interest = express(supplier, request_posting)

    services.interest_withdraw(actor=supplier, interest=interest, now=NOW)
    interest.refresh_from_db()
    assert interest.status == I.WITHDRAWN

    again = express(supplier, request_posting, note="重新表达意向")
    assert again.pk == interest.pk
    assert again.status == I.PENDING


def test_only_the_interested_enterprise_withdraws_and_only_while_pending(
    request_posting, supplier, enterprise_admin, pujiang_officer
):
    interest = express(supplier, request_posting)

    with pytest.raises(PermissionDenied):
        services.interest_withdraw(actor=enterprise_admin, interest=interest, now=NOW)
    broker(pujiang_officer, interest, "introduce")
    with pytest.raises(ValidationError):
        services.interest_withdraw(actor=supplier, interest=interest, now=NOW)

    interest.refresh_from_db()
    assert interest.status == I.INTRODUCED


# Brokering ------------------------------------------------------------------------------------------------


def test_an_introduction_tells_both_sides(request_posting, supplier, enterprise_admin, pujiang_officer):
    interest = express(supplier, request_posting)

    broker(pujiang_officer, interest, "introduce")

    interest.refresh_from_db()
    assert interest.status == I.INTRODUCED
    assert interest.broker == pujiang_officer
    assert interest.introduced_at == NOW
    assert any("已为您引荐 浦江精密器械有限公司" in t for t in inbox(enterprise_admin))
    assert any("已为您引荐 浦江测试医疗器械有限公司" in t for t in inbox(supplier))


def test_the_whole_way_to_a_signed_cooperation_is_recorded(request_posting, supplier, pujiang_officer):
    interest = express(supplier, request_posting)
    broker(pujiang_officer, interest, "introduce")
    broker(pujiang_officer, interest, "meeting_held", meeting_date=date(2025, 6, 10))

    broker(pujiang_officer, interest, "signed", signed_date="2025-06-14", amount="1280000", note="年度框架协议")

    interest.refresh_from_db()
    assert interest.status == I.SIGNED
    assert interest.meeting_date == date(2025, 6, 10)
    assert interest.signed_date == date(2025, 6, 14)
    assert interest.amount == Decimal("1280000.00")
    assert interest.outcome_note == "年度框架协议"
    actions = set(AuditEvent.objects.filter(target_type="chain.interest").values_list("action", flat=True))
    assert {"interest.express", "interest.introduce", "interest.meeting_held", "interest.signed"} <= actions


def test_a_declined_introduction_needs_a_reason(request_posting, supplier, pujiang_officer):
    interest = express(supplier, request_posting)

    with pytest.raises(ValidationError) as caught:
        broker(pujiang_officer, interest, "decline")
    assert "note" in caught.value.message_dict

    broker(pujiang_officer, interest, "decline", note="对方资质不符合需求")
    interest.refresh_from_db()
    assert interest.status == I.DECLINED
    assert any("暂未引荐" in t for t in inbox(supplier))


def test_a_no_deal_outcome_after_a_meeting(request_posting, supplier, pujiang_officer):
    interest = express(supplier, request_posting)
    broker(pujiang_officer, interest, "introduce")
    broker(pujiang_officer, interest, "meeting_held", meeting_date=TODAY)

    broker(pujiang_officer, interest, "no_deal", note="价格未谈拢")

    interest.refresh_from_db()
    assert interest.status == I.NO_DEAL


BAD_OUTCOMES = [
    ("signed without a date", {"signed_date": None}, "signed_date"),
    ("signed in the future", {"signed_date": TODAY + timedelta(days=1)}, "signed_date"),
    ("negative amount", {"signed_date": TODAY, "amount": "-5"}, "amount"),
    ("amount not a number", {"signed_date": TODAY, "amount": "一百万"}, "amount"),
    ("signed before the meeting", {"signed_date": date(2025, 6, 1), "meeting_date": date(2025, 6, 5)}, "signed_date"),
]


@pytest.mark.parametrize(("case", "kwargs", "field"), BAD_OUTCOMES, ids=[c[0] for c in BAD_OUTCOMES])
def test_a_bad_signed_outcome_is_refused_and_nothing_changes(
    request_posting, supplier, pujiang_officer, case, kwargs, field
):
    interest = broker(pujiang_officer, express(supplier, request_posting), "introduce")

    with pytest.raises(ValidationError) as caught:
        broker(pujiang_officer, interest, "signed", **kwargs)

    assert field in caught.value.message_dict
    interest.refresh_from_db()
    assert interest.status == I.INTRODUCED
    assert interest.signed_date is None and interest.amount is None and interest.meeting_date is None


def test_a_meeting_in_the_future_is_refused(request_posting, supplier, pujiang_officer):
    interest = broker(pujiang_officer, express(supplier, request_posting), "introduce")

    with pytest.raises(ValidationError) as caught:
        broker(pujiang_officer, interest, "meeting_held", meeting_date=TODAY + timedelta(days=3))

    assert "meeting_date" in caught.value.message_dict


def test_steps_out_of_order_are_refused(request_posting, supplier, pujiang_officer):
    interest = express(supplier, request_posting)

    with pytest.raises(ValidationError) as caught:
        broker(pujiang_officer, interest, "signed", signed_date=TODAY)

    assert "status" in caught.value.message_dict
    interest.refresh_from_db()
    assert interest.status == I.PENDING


def test_another_towns_officer_cannot_broker(request_posting, supplier, xinzhuang_officer):
    interest = express(supplier, request_posting)

    with pytest.raises(PermissionDenied):
        broker(xinzhuang_officer, interest, "introduce")

    interest.refresh_from_db()
    assert interest.status == I.PENDING


def test_an_enterprise_user_cannot_broker(request_posting, supplier, enterprise_admin):
    interest = express(supplier, request_posting)

    with pytest.raises(PermissionDenied):
        broker(enterprise_admin, interest, "introduce")


# Who sees interests ----------------------------------------------------------------------------------------


def test_interests_are_seen_by_both_sides_and_the_officers_in_scope_only(
    request_posting, supplier, stranger, enterprise_admin, pujiang_officer, xinzhuang_officer
):
    interest = express(supplier, request_posting)

    assert interest in selectors.interests_visible(user=supplier, side="mine")
    assert interest in selectors.interests_visible(user=enterprise_admin, side="received")
    assert interest not in selectors.interests_visible(user=enterprise_admin, side="mine")
    assert interest in selectors.interests_visible(user=pujiang_officer, side="broker")
    assert not selectors.interests_visible(user=stranger).exists()
    assert not selectors.interests_visible(user=xinzhuang_officer).exists()


def test_an_officer_of_the_interested_enterprises_town_sees_but_does_not_broker(
    request_posting, stranger, xinzhuang_officer
):
    interest = express(stranger, request_posting)

    assert interest in selectors.interests_visible(user=xinzhuang_officer)
    assert interest not in selectors.interests_visible(user=xinzhuang_officer, side="broker")
    assert not selectors.can_broker(xinzhuang_officer, interest)


# Realised links --------------------------------------------------------------------------------------------


def sign(officer, interest, amount="500000", day=TODAY) -> Interest:
    broker(officer, interest, "introduce")
    return broker(officer, interest, "signed", signed_date=day, amount=amount)


def test_signed_interests_are_realised_links_from_supplier_to_customer(
    request_posting, supplier, stranger, enterprise_admin, pujiang_officer, xinzhuang_officer
):
    # A request: the interested enterprise supplies the poster.
    sign(pujiang_officer, express(supplier, request_posting), amount="1280000")
    # An offer: the poster supplies the interested enterprise.
    offer = published(supplier.enterprise, officer=pujiang_officer, kind="tech_offer", title="提供精密注塑技术",
                      nodes=["U4"])  # fmt: skip
    sign(pujiang_officer, express(stranger, offer), amount=None, day=date(2025, 6, 1))
    # Not signed: not a link.
    express(enterprise_admin, offer)

    links = selectors.realised_links()

    assert [(link["supplier_name"], link["customer_name"]) for link in links] == [
        ("浦江精密器械有限公司", "莘庄测试生物有限公司"),
        ("浦江精密器械有限公司", "浦江测试医疗器械有限公司"),
    ]
    assert links[0]["amount"] is None and links[0]["signed_date"] == date(2025, 6, 1)
    assert links[0]["nodes"] == ["U4"] and links[0]["customer_town"] == "xinzhuang"
    assert links[1]["amount"] == Decimal("1280000.00") and links[1]["kind"] == "business_request"


def test_realised_links_of_a_town_keep_the_links_with_a_side_in_it(
    request_posting, supplier, stranger, pujiang_officer, xinzhuang_officer, xinzhuang_enterprise
):
    sign(pujiang_officer, express(stranger, request_posting))
    xz_other = factories.enterprise("xinzhuang", name="莘庄另一家企业")
    xz_posting = published(xinzhuang_enterprise, officer=xinzhuang_officer, kind="business_offer")
    sign(xinzhuang_officer, express(factories.enterprise_user(xz_other), xz_posting))

    assert len(selectors.realised_links(town="pujiang")) == 1
    assert len(selectors.realised_links(town="xinzhuang")) == 2
    assert len(selectors.realised_links(town=factories.region("minhang"))) == 2


def test_a_withdrawn_or_declined_interest_is_no_link(request_posting, supplier, stranger, pujiang_officer):
    services.interest_withdraw(actor=supplier, interest=express(supplier, request_posting), now=NOW)
    broker(pujiang_officer, express(stranger, request_posting), "decline", note="不符合")

    assert selectors.realised_links() == []
    assert Posting.objects.get(pk=request_posting.pk).status == Posting.Status.PUBLISHED
