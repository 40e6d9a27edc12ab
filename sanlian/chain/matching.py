"""The matching engine fed from the database: partners for a posting, with the reasons worded.

Profiles (sanlian.engines.matching.Profile) come from
- published postings not expired on `as_of` ("posting:<id>", kind offer / request / rd), their own chain
  nodes (or their enterprise's when they have none), text = title + description;
- enterprises on at least one chain node ("enterprise:<id>", kind enterprise), text = description +
  business scope: their capability profile.
Both carry the enterprise's town, park, district and the certifications valid on `as_of`.

The index is built once per process and reused while a cheap stamp is unchanged: `as_of`, counts and
maximum ids / update times of postings, enterprises, certifications, edges and the two node link tables
(one SQL round trip), plus a counter bumped by this process's own saves and deletes of those models (a
test database rolled back and refilled can repeat the same counts and ids).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sanlian.engines.matching import MatchIndex, Profile, Query, Reason
from sanlian.enterprises.models import Certification, CertificationType, Enterprise, Park, Region

from .models import ChainEdge, Posting

K = Posting.Kind
OFFER = frozenset({K.BUSINESS_OFFER, K.TECH_OFFER})
REQUEST = frozenset({K.BUSINESS_REQUEST, K.TECH_REQUEST})

# Profile kinds of the index, and which of them answer a posting of each kind.
PROFILE_KIND = {K.BUSINESS_OFFER: "offer", K.TECH_OFFER: "offer", K.BUSINESS_REQUEST: "request"}
PROFILE_KIND |= {K.TECH_REQUEST: "request", K.RD_COOPERATION: "rd"}
ANSWERS = {
    "request": ("offer", "enterprise", "rd"),  # a request is answered by offers and capable enterprises
    "offer": ("request", "rd"),  # an offer by requests (and R&D cooperation sought)
    "rd": ("rd", "offer", "request", "enterprise"),
}
# Short names of certifications in reasons; others use the type's name.
CERT_SHORT = {"gmp": "GMP", "iso13485": "ISO 13485"}


@dataclass
class _Built:
    key: tuple
    index: MatchIndex
    by_enterprise: dict[int, list[str]] = field(default_factory=dict)
    owner: dict[str, int] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)


_lock = threading.Lock()
_cache: dict[str, _Built] = {}
_generation = [0]


def _bump(sender, **kwargs):
    _generation[0] += 1


_WATCHED = (Posting, Enterprise, Certification, ChainEdge)
for _model in _WATCHED:
    post_save.connect(_bump, sender=_model, weak=False, dispatch_uid=f"chain-matching-save-{_model.__name__}")
    post_delete.connect(_bump, sender=_model, weak=False, dispatch_uid=f"chain-matching-delete-{_model.__name__}")
for _through in (Posting.nodes.through, Enterprise.chain_nodes.through):
    m2m_changed.connect(_bump, sender=_through, weak=False, dispatch_uid=f"chain-matching-m2m-{_through.__name__}")


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _stamp() -> tuple:
    """Counts, maximum ids and update times of the tables the index reads, in one query."""
    qn = connection.ops.quote_name
    parts = []
    for model, updated in (
        (Posting, "updated_at"),
        (Enterprise, "updated_at"),
        (Certification, None),
        (ChainEdge, None),
        (Posting.nodes.through, None),
        (Enterprise.chain_nodes.through, None),
    ):
        table = qn(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # nosec B608  # names from model _meta, values as parameters
        parts.append(f"(SELECT MAX({qn('id')}) FROM {table})")  # nosec B608  # names from model _meta, values as parameters
        if updated:
            parts.append(f"(SELECT MAX({qn(updated)}) FROM {table})")  # nosec B608  # names from model _meta, values as parameters
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(str(value) for value in cursor.fetchone())


def _district_of(town: Region | None) -> str:
    parent = getattr(town, "parent", None)
    return parent.code if parent is not None and parent.level == Region.Level.DISTRICT else ""


def _build(as_of: date, key: tuple) -> _Built:
    regions = {r.pk: r for r in Region.objects.select_related("parent")}
    parks = {p.pk: p for p in Park.objects.all()}

    certs: dict[int, list[str]] = {}
    valid = Certification.objects.values_list("enterprise_id", "type__code", "valid_from_date", "valid_until_date")
    for enterprise_id, code, start, end in valid.order_by("enterprise_id", "type__code"):
        if (start is None or start <= as_of) and (end is None or end >= as_of):
            codes = certs.setdefault(enterprise_id, [])
            if code not in codes:
                codes.append(code)

    enterprise_nodes: dict[int, list[str]] = {}
    links = Enterprise.chain_nodes.through.objects.values_list("enterprise_id", "chainnode__code")
    for enterprise_id, code in links.order_by("enterprise_id", "chainnode__sort", "chainnode__code"):
        enterprise_nodes.setdefault(enterprise_id, []).append(code)

    def place(enterprise_town_id, enterprise_park_id) -> dict:
        town = regions.get(enterprise_town_id)
        park = parks.get(enterprise_park_id)
        return {
            "town": town.code if town else "",
            "park": park.code if park else "",
            "district": _district_of(town),
        }

    profiles: list[Profile] = []
    by_enterprise: dict[int, list[str]] = {}
    enterprises = Enterprise.objects.filter(pk__in=list(enterprise_nodes)).values_list(
        "pk", "name", "description", "business_scope", "town_id", "park_id", "updated_at"
    )
    enterprise_places: dict[int, dict] = {}
    for pk, name, description, scope, town_id, park_id, updated in enterprises.order_by("pk"):
        enterprise_places[pk] = place(town_id, park_id)
        pid = f"enterprise:{pk}"
        profiles.append(
            Profile(
                id=pid,
                name=name,
                description="\n".join(part for part in (description, scope) if part),
                nodes=tuple(enterprise_nodes[pk]),
                certifications=tuple(certs.get(pk, ())),
                kind="enterprise",
                updated=updated.date() if updated else None,
                **enterprise_places[pk],
            )
        )
        by_enterprise.setdefault(pk, []).append(pid)

    live = Posting.objects.filter(status=Posting.Status.PUBLISHED).exclude(expires_date__lt=as_of)
    posting_nodes: dict[int, list[str]] = {}
    node_links = Posting.nodes.through.objects.filter(posting__in=live).values_list("posting_id", "chainnode__code")
    for posting_id, code in node_links.order_by("posting_id", "chainnode__sort", "chainnode__code"):
        posting_nodes.setdefault(posting_id, []).append(code)
    rows = live.values_list(
        "pk",
        "kind",
        "title",
        "description",
        "enterprise_id",
        "enterprise__town_id",
        "enterprise__park_id",
        "published_at",
        "updated_at",
    )
    for pk, kind, title, description, enterprise_id, town_id, park_id, published, updated in rows.order_by("pk"):
        pid = f"posting:{pk}"
        stamp = published or updated
        profiles.append(
            Profile(
                id=pid,
                name=title,
                description=description,
                nodes=tuple(posting_nodes.get(pk) or enterprise_nodes.get(enterprise_id, ())),
                certifications=tuple(certs.get(enterprise_id, ())),
                kind=PROFILE_KIND.get(kind, "request"),
                updated=stamp.date() if stamp else None,
                **(enterprise_places.get(enterprise_id) or place(town_id, park_id)),
            )
        )
        by_enterprise.setdefault(enterprise_id, []).append(pid)

    edges = list(ChainEdge.objects.values_list("supplier__code", "customer__code").order_by("pk"))
    names = {
        "park": {p.code: p.name for p in parks.values()},
        "region": {r.code: r.name for r in regions.values()},
        "cert": {t.code: t.name for t in CertificationType.objects.all()},
    }
    owner = {pid: enterprise_id for enterprise_id, pids in by_enterprise.items() for pid in pids}
    index = MatchIndex.build(profiles, edges)
    return _Built(key=key, index=index, by_enterprise=by_enterprise, owner=owner, names=names)


def matching_index(*, as_of: date) -> _Built:
    """The process's index for `as_of`, rebuilt when the data changed."""
    key = (as_of.isoformat(), _generation[0], _stamp())
    built = _cache.get("index")
    if built is not None and built.key == key:
        return built
    with _lock:
        built = _cache.get("index")
        if built is None or built.key != key:
            built = _build(as_of, key)
            _cache["index"] = built
        return built


def reason_text(reason: Reason, names: dict[str, dict[str, str]] | None = None) -> str:
    """A reason as a sentence in the active language."""
    names = names or (_cache["index"].names if "index" in _cache else {})
    p = reason.params

    def name_of(kind: str, code: str) -> str:
        return names.get(kind, {}).get(code, code)

    code = reason.code
    if code == "text":
        return _("文本相关:%(terms)s") % {"terms": "、".join(p.get("terms", []))}
    if code == "upstream":
        return _("上游环节 %(node)s 供给 %(customer)s") % {"node": p.get("node", ""), "customer": p.get("for", "")}
    if code == "downstream":
        return _("下游环节 %(node)s 采购 %(supplier)s") % {"node": p.get("node", ""), "supplier": p.get("for", "")}
    if code == "same_node":
        return _("同处 %(node)s 环节") % {"node": p.get("node", "")}
    if code == "same_park":
        return _("同一园区:%(park)s") % {"park": name_of("park", p.get("park", ""))}
    if code == "same_town":
        return _("同一镇/街道:%(town)s") % {"town": name_of("region", p.get("town", ""))}
    if code == "same_district":
        return _("同一区:%(district)s") % {"district": name_of("region", p.get("district", ""))}
    if code == "certification":
        labels = [CERT_SHORT.get(c) or name_of("cert", c) for c in p.get("codes", [])]
        return _("持有 %(certs)s") % {"certs": "、".join(labels)}
    if code == "fresh":
        days = int(p.get("days", 0))
        if days == 0:
            return _("今日更新")
        return ngettext("%(days)s 天前更新", "%(days)s 天前更新", days) % {"days": days}
    return code


def query_for_posting(posting: Posting, *, as_of: date) -> Query:
    enterprise = posting.enterprise
    nodes = tuple(posting.nodes.order_by("sort", "code").values_list("code", flat=True))
    if not nodes:
        nodes = tuple(enterprise.chain_nodes.order_by("sort", "code").values_list("code", flat=True))
    town = enterprise.town
    return Query(
        text=f"{posting.title}\n{posting.description}",
        nodes=nodes,
        town=town.code if town else "",
        park=enterprise.park.code if enterprise.park_id else "",
        district=_district_of(town),
        kind="offer" if posting.kind in OFFER else "request",
        as_of=as_of,
    )


def matches_for_posting(posting: Posting, *, as_of: date, k: int = 10) -> list[dict]:
    """Partners for a posting, best first: the other side's live postings and (for requests) capable enterprises.

    Each dict: enterprise, posting (the matched posting or None for an enterprise profile), score,
    text_score, reasons (sentences) and reason_codes (the engine's Reasons). The posting's own enterprise
    is never proposed, and another enterprise once (its best-ranked posting or profile).
    """
    built = matching_index(as_of=as_of)
    query = query_for_posting(posting, as_of=as_of)
    own = set(built.by_enterprise.get(posting.enterprise_id, ()))
    own.add(f"posting:{posting.pk}")
    kinds = ANSWERS[PROFILE_KIND.get(posting.kind, "request")]
    # An enterprise shows once, with its best match (its posting, or its capability profile): ask for more.
    found, seen = [], set()
    for match in built.index.search(query, k=k * 3, exclude_ids=own, kinds=kinds):
        owner = built.owner.get(match.profile_id)
        if owner not in seen:
            seen.add(owner)
            found.append(match)
    found = found[:k]
    posting_ids = [int(m.profile_id.split(":", 1)[1]) for m in found if m.profile_id.startswith("posting:")]
    postings = Posting.objects.select_related("enterprise").in_bulk(posting_ids)
    enterprise_ids = [int(m.profile_id.split(":", 1)[1]) for m in found if m.profile_id.startswith("enterprise:")]
    enterprise_ids += [p.enterprise_id for p in postings.values()]
    enterprises = Enterprise.objects.select_related("town", "park").in_bulk(enterprise_ids)
    rows = []
    for match in found:
        prefix, raw = match.profile_id.split(":", 1)
        matched = postings.get(int(raw)) if prefix == "posting" else None
        enterprise = enterprises.get(matched.enterprise_id if matched else int(raw))
        if enterprise is None or enterprise.pk == posting.enterprise_id:
            continue  # deleted since the index was built
        rows.append(
            {
                "enterprise": enterprise,
                "posting": matched,
                "score": match.score,
                "text_score": match.text_score,
                "reasons": [reason_text(reason, built.names) for reason in match.reasons],
                "reason_codes": match.reasons,
            }
        )
    return rows
