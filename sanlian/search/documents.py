"""The registry of searchable kinds: for each, how its objects are loaded and what document one makes.

This is the only place that knows what a search document of each kind holds and who may see it; the
writing services of the six apps only say "this object changed" (`services.document_refresh`), and the
reindex command walks the same registry. Who sees what follows each module's own pages:

- enterprise  officers of its town (and above), the enterprise's own users; never the public.
- policy      the published version for everyone; a policy with only a draft for the officers of its region.
- posting     live published postings (published, not past expiry) for every officer and enterprise user;
              any other status for the owner's users and the officers of its town (chain.selectors).
- listing     published listings for everyone; any other status for the landlord and officers in scope.
- article     published articles for everyone; drafts and withdrawn ones for officers of its region.
- event       published, finished and cancelled events for everyone; drafts for officers of its region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Visibility

BODY_CHARS = 4000  # body text kept for snippets (the tokens cover the whole body up to the tokeniser's cap)


@dataclass(frozen=True)
class Doc:
    title: str
    url: str
    visibility: str
    body: str = ""
    title_extra: str = ""  # indexed with the title but not shown (English name, USCC, document number)
    region_path: str = ""
    enterprise_id: int | None = None
    visible_until_date: date | None = None


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    queryset: Callable[[], QuerySet]
    document: Callable[[object], Doc | None]
    # The action a user's role needs for MEMBERS documents of this kind (None: the kind has none).
    members_action: str | None = None
    prefetch: tuple[str, ...] = field(default=())


@lru_cache(maxsize=16)
def _url_template(name: str) -> str:
    # reverse() costs about as much as a document's other fields together: resolve each page's URL once.
    return reverse(name, kwargs={"pk": 987654321}).replace("987654321", "{pk}")


def _url(name: str, pk: int) -> str:
    return _url_template(name).format(pk=int(pk))


def _join(*parts) -> str:
    return "\n".join(str(part) for part in parts if part)


# ---------------------------------------------------------------- enterprises


def _enterprises():
    from sanlian.enterprises.models import Enterprise

    return Enterprise.objects.select_related("town", "park")


def enterprise_document(enterprise) -> Doc:
    return Doc(
        title=enterprise.name,
        title_extra=_join(enterprise.name_en, enterprise.uscc),
        body=_join(enterprise.description, enterprise.business_scope, enterprise.address),
        url=_url("enterprises:detail", enterprise.pk),
        visibility=Visibility.SCOPED,
        region_path=enterprise.town.path,
        enterprise_id=enterprise.pk,
    )


# ---------------------------------------------------------------- policies


def _policies():
    from sanlian.policies.models import Policy

    return Policy.objects.select_related("region")


def policy_document(policy) -> Doc | None:
    from sanlian.policies.selectors import draft_of, published_of

    version = published_of(policy)
    visibility = Visibility.PUBLIC
    if version is None:
        version, visibility = draft_of(policy), Visibility.SCOPED
    if version is None:
        return None
    return Doc(
        title=version.title,
        title_extra=_join(version.title_en, version.doc_number, policy.code),
        body=_join(version.summary, version.issuer, version.benefit_text, version.handbook_target,
                   version.handbook_conditions, " ".join(version.tags or [])),
        url=reverse("policies:detail", kwargs={"code": policy.code}),
        visibility=visibility,
        region_path=policy.region.path,
    )  # fmt: skip


# ---------------------------------------------------------------- chain postings


def _postings():
    from sanlian.chain.models import Posting

    return Posting.objects.select_related("enterprise", "enterprise__town")


def posting_document(posting) -> Doc:
    live = posting.status == posting.Status.PUBLISHED
    return Doc(
        title=posting.title,
        body=_join(posting.description, posting.enterprise.name, posting.quantity),
        url=_url("chain:posting", posting.pk),
        visibility=Visibility.MEMBERS if live else Visibility.SCOPED,
        region_path=posting.enterprise.town.path,
        enterprise_id=posting.enterprise_id,
        visible_until_date=posting.expires_date if live else None,
    )


# ---------------------------------------------------------------- space listings


def _listings():
    from sanlian.space.models import Listing

    return Listing.objects.select_related("park", "park__town", "landlord")


def listing_document(listing) -> Doc:
    public = listing.status == listing.Status.PUBLISHED
    return Doc(
        title=listing.title,
        title_extra=_join(listing.park.name, listing.park.name_en),
        body=_join(listing.description, listing.get_kind_display(), listing.building, listing.landlord.name),
        url=_url("space:listing", listing.pk),
        visibility=Visibility.PUBLIC if public else Visibility.SCOPED,
        region_path=listing.park.town.path,
        enterprise_id=listing.landlord_id,
    )


# ---------------------------------------------------------------- news


def _articles():
    from sanlian.community.models import Article

    return Article.objects.select_related("region")


def article_document(article) -> Doc:
    public = article.status == article.Status.PUBLISHED
    return Doc(
        title=article.title,
        body=_join(article.summary, article.body, " ".join(tag.name for tag in article.tags.all())),
        url=_url("news:detail", article.pk),
        visibility=Visibility.PUBLIC if public else Visibility.SCOPED,
        region_path=article.region.path,
    )


# ---------------------------------------------------------------- events


def _events():
    from sanlian.community.models import Event

    return Event.objects.select_related("region", "organisation")


def event_document(event) -> Doc:
    from sanlian.community.event_selectors import VISIBLE

    return Doc(
        title=event.title,
        body=_join(event.description, event.venue, event.organisation.name if event.organisation else ""),
        url=_url("events:detail", event.pk),
        visibility=Visibility.PUBLIC if event.status in VISIBLE else Visibility.SCOPED,
        region_path=event.region.path,
    )


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind("enterprise", _("企业"), _enterprises, enterprise_document),
        Kind("policy", _("政策"), _policies, policy_document),
        Kind("posting", _("供需信息"), _postings, posting_document, members_action="posting.view"),
        Kind("listing", _("空间房源"), _listings, listing_document),
        Kind("article", _("新闻"), _articles, article_document, prefetch=("tags",)),
        Kind("event", _("活动"), _events, event_document),
    )
}
