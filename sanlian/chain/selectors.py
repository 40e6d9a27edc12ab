"""Reads of supply–demand postings and interests, narrowed by the permission layer.

Who sees a posting: every enterprise user and officer sees the published ones that have not expired;
the owner's users also see their own drafts, pending, rejected, expired and closed postings; officers see
every posting of the towns in their region. Who sees an interest: the posting's owner and the interested
enterprise; officers of either enterprise's town (those of the owner's town broker it).

Signed interests are the realised cooperation links of the chain map (`realised_links`).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sanlian.core.permissions import has_perm
from sanlian.enterprises.models import ChainNode, Region

from .models import Interest, Posting
from .services.postings import OFFER_KINDS

S = Posting.Status
I = Interest.Status  # noqa: E741
# Interests an officer still has to act on.
OPEN_INTERESTS = frozenset({I.PENDING, I.INTRODUCED, I.MEETING_HELD})
SEARCH_TERMS_MAX = 8


@dataclass
class PostingFilters:
    kind: str = ""
    node: str = ""  # chain node code
    status: str = ""
    q: str = ""  # words to find in the title, description or enterprise name
    mine: bool = False  # only the user's own enterprise's postings


def _region_path(user) -> str | None:
    return user.region.path if user.region_id else None


def _live(today: date) -> Q:
    return Q(status=S.PUBLISHED) & (Q(expires_date__isnull=True) | Q(expires_date__gte=today))


def _visible(user, today: date) -> Q | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Q()
    if not has_perm(user, "posting.view"):
        return None
    if user.is_officer:
        path = _region_path(user)
        return _live(today) | Q(enterprise__town__path__startswith=path) if path else _live(today)
    if user.is_enterprise_user and user.enterprise_id:
        return _live(today) | Q(enterprise_id=user.enterprise_id)
    return None


def clean_text_query(value: str) -> str:
    return (value or "").replace("\x00", "").strip()[:200]


def node_lookup(code: str) -> ChainNode | None:
    """The chain node of a filter's code; an unknown code is named in a ValidationError."""
    code = clean_text_query(code).upper()
    if not code:
        return None
    node = ChainNode.objects.filter(code=code).first()
    if node is None:
        raise ValidationError({"node": _("未知的产业链环节:%(codes)s") % {"codes": code}})
    return node


def postings_visible(*, user, today: date, filters: PostingFilters | None = None) -> QuerySet[Posting]:
    """The postings the user may see, filtered; ordered for the list (not yet published first, then newest)."""
    where = _visible(user, today)
    if where is None:
        return Posting.objects.none()
    postings = Posting.objects.filter(where)
    filters = filters or PostingFilters()
    if filters.kind:
        if filters.kind not in Posting.Kind.values:
            raise ValidationError({"kind": _("未知的信息类型:%(kind)s") % {"kind": filters.kind}})
        postings = postings.filter(kind=filters.kind)
    if filters.status:
        if filters.status == "live":
            postings = postings.filter(_live(today))
        elif filters.status in S.values:
            postings = postings.filter(status=filters.status)
        else:
            raise ValidationError({"status": _("未知的状态:%(status)s") % {"status": filters.status}})
    if filters.mine:
        postings = postings.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else postings.none()
    node = node_lookup(filters.node)
    if node is not None:
        postings = postings.filter(nodes=node)
    for term in clean_text_query(filters.q).split()[:SEARCH_TERMS_MAX]:
        postings = postings.filter(
            Q(title__icontains=term) | Q(description__icontains=term) | Q(enterprise__name__icontains=term)
        )
    return (
        postings.select_related("enterprise", "enterprise__town")
        .prefetch_related("nodes")
        .order_by(F("published_at").desc(nulls_first=True), "-id")
    )


def posting_visible(*, user, pk: int, today: date) -> Posting:
    """One posting the user may see; 404 otherwise (missing and out of sight look the same)."""
    where = _visible(user, today)
    posting = None
    if where is not None:
        posting = (
            Posting.objects.filter(where)
            .select_related("enterprise", "enterprise__town", "enterprise__park", "reviewed_by")
            .prefetch_related("nodes")
            .filter(pk=pk)
            .first()
        )
    if posting is None:
        raise Http404
    return posting


def review_queue(*, user) -> QuerySet[Posting]:
    """Pending postings of the towns in the officer's region, oldest first."""
    if not has_perm(user, "posting.review"):
        return Posting.objects.none()
    postings = Posting.objects.filter(status=S.PENDING)
    if not user.is_superuser:
        path = _region_path(user)
        if not path:
            return Posting.objects.none()
        postings = postings.filter(enterprise__town__path__startswith=path)
    return (
        postings.select_related("enterprise", "enterprise__town").prefetch_related("nodes").order_by("updated_at", "id")
    )


def is_owner(user, posting: Posting) -> bool:
    return has_perm(user, "posting.edit", posting)


def can_review(user, posting: Posting) -> bool:
    return has_perm(user, "posting.review", posting)


# Interests -------------------------------------------------------------------------------------------


def _interests_where(user) -> Q | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Q()
    if user.is_officer:
        path = _region_path(user)
        if not path:
            return None
        return Q(posting__enterprise__town__path__startswith=path) | Q(enterprise__town__path__startswith=path)
    if user.is_enterprise_user and user.enterprise_id:
        return Q(posting__enterprise_id=user.enterprise_id) | Q(enterprise_id=user.enterprise_id)
    return None


INTEREST_SIDES = ("mine", "received", "broker")


def interests_visible(*, user, side: str = "", status: str = "") -> QuerySet[Interest]:
    """Interests the user may see. side: "mine" (expressed by the user's enterprise), "received" (on its
    postings), "broker" (those an officer brokers: of postings of his towns, still open)."""
    where = _interests_where(user)
    if where is None:
        return Interest.objects.none()
    interests = Interest.objects.filter(where)
    if side == "mine":
        interests = interests.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else interests.none()
    elif side == "received":
        interests = (
            interests.filter(posting__enterprise_id=user.enterprise_id) if user.enterprise_id else interests.none()
        )
    elif side == "broker":
        if not has_perm(user, "interest.broker"):
            return Interest.objects.none()
        if not user.is_superuser:
            interests = interests.filter(posting__enterprise__town__path__startswith=_region_path(user))
        interests = interests.filter(status__in=OPEN_INTERESTS)
    if status:
        if status not in I.values:
            raise ValidationError({"status": _("未知的状态:%(status)s") % {"status": status}})
        interests = interests.filter(status=status)
    return interests.select_related(
        "posting", "posting__enterprise", "posting__enterprise__town", "enterprise", "enterprise__town", "broker"
    ).order_by("-updated_at", "-id")


def interest_visible(*, user, pk: int) -> Interest:
    interest = interests_visible(user=user).filter(pk=pk).first()
    if interest is None:
        raise Http404
    return interest


def interests_of_posting(*, user, posting: Posting) -> QuerySet[Interest]:
    """The interests in one posting that the user may see (the owner and officers see them all)."""
    return interests_visible(user=user).filter(posting=posting)


def interest_of_enterprise(*, posting: Posting, enterprise_id: int | None) -> Interest | None:
    if not enterprise_id:
        return None
    return Interest.objects.filter(posting=posting, enterprise_id=enterprise_id).first()


def can_broker(user, interest: Interest) -> bool:
    return has_perm(user, "interest.broker", interest)


def can_withdraw(user, interest: Interest) -> bool:
    return (
        interest.status == I.PENDING
        and has_perm(user, "interest.create")
        and (user.is_superuser or user.enterprise_id == interest.enterprise_id)
    )


# Realised links --------------------------------------------------------------------------------------


def _town(town) -> Region | None:
    if town is None or isinstance(town, Region):
        return town
    return Region.objects.get(code=town)


def supplier_and_customer(interest: Interest) -> tuple:
    """(supplier enterprise, customer enterprise) of an interest: the offer's poster supplies; for a
    request (or R&D cooperation sought), the enterprise that answered it supplies."""
    if interest.posting.kind in OFFER_KINDS:
        return interest.posting.enterprise, interest.enterprise
    return interest.enterprise, interest.posting.enterprise


def realised_links(*, town=None) -> list[dict]:
    """Signed cooperation between two enterprises, supplier → customer, for the chain map.

    `town` (a Region or its code) keeps the links with at least one side in that region (or below it).
    Each link: interest_id, posting_id, kind, title, nodes (codes), supplier_id, supplier_name,
    supplier_town, customer_id, customer_name, customer_town, amount (Decimal yuan or None), signed_date.
    """
    interests = Interest.objects.filter(status=I.SIGNED)
    region = _town(town)
    if region is not None:
        interests = interests.filter(
            Q(enterprise__town__path__startswith=region.path)
            | Q(posting__enterprise__town__path__startswith=region.path)
        )
    interests = (
        interests.select_related("posting", "posting__enterprise__town", "enterprise__town")
        .prefetch_related("posting__nodes")
        .order_by("signed_date", "id")
    )
    links = []
    for interest in interests:
        supplier, customer = supplier_and_customer(interest)
        links.append(
            {
                "interest_id": interest.pk,
                "posting_id": interest.posting_id,
                "kind": interest.posting.kind,
                "title": interest.posting.title,
                "nodes": [node.code for node in interest.posting.nodes.all()],
                "supplier_id": supplier.pk,
                "supplier_name": supplier.name,
                "supplier_town": supplier.town.code,
                "customer_id": customer.pk,
                "customer_name": customer.name,
                "customer_town": customer.town.code,
                "amount": interest.amount,
                "signed_date": interest.signed_date,
            }
        )
    return links
