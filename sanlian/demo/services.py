"""Writes the demo plan to the database (`sanlian loaddemo`) and takes it out again.

Loading is keyed by USCC and username and safe to run twice: an enterprise that already exists is
left as it is (with its reports, certifications and contacts), accounts are brought back to their
demo settings, and the story told through the registry services runs only when its enterprise is
new. The mass rows go in with `bulk_create`; the story's rows go through the real services, so the
showcase enterprise has a change history, reviews and inbox messages like any other.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sanlian.chain.models import MatchEvent
from sanlian.core import audit
from sanlian.core.account_services import otp_device_install
from sanlian.core.models import AuditEvent, Role, User
from sanlian.core.services import audit_record
from sanlian.core.validators import uscc_from_serial
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import (
    AnnualReport,
    Certification,
    CertificationType,
    ChainNode,
    Cluster,
    Contact,
    Enterprise,
    Park,
    Region,
)
from sanlian.enterprises.signals import facts_announcements_paused
from sanlian.search import services as search_services

from . import (
    audit_trail,
    chain_events,
    chain_postings,
    community,
    community_events,
    community_news,
    desk,
    desk_providers,
    story,
)
from . import community_orgs as orgs_demo
from . import imports as imports_demo
from . import ip_portfolio as ip_demo
from . import policies as policy_demo
from . import space as space_demo
from . import talent as talent_demo
from .accounts import DEMO_ACCOUNTS, DEMO_OTP_KEY_HEX, DEMO_PASSWORD, DEMO_USERNAMES, DemoAccount
from .generator import IMPORTED_AT, SEED, DemoPlan, EnterpriseSpec, build_plan
from .generator.specs import SERIAL_BASE
from .generator.vocab import NAMED_ENTERPRISES

BATCH = 500


@dataclass
class LoadResult:
    enterprises: int = 0
    reports: int = 0
    certifications: int = 0
    contacts: int = 0
    users_created: list[str] = field(default_factory=list)
    users_updated: list[str] = field(default_factory=list)
    story: bool = False
    policies: policy_demo.PolicyLoadResult = field(default_factory=policy_demo.PolicyLoadResult)
    talent: talent_demo.TalentLoadResult = field(default_factory=talent_demo.TalentLoadResult)
    chain: dict = field(default_factory=dict)  # counts of the supply–demand and matchmaking demo
    community: dict = field(default_factory=dict)  # counts of the organisations, events and news demo
    imports: dict = field(default_factory=dict)  # the import demo's dry-run job
    desk: dict = field(default_factory=dict)  # counts of the service-desk and visits demo
    providers: dict = field(default_factory=dict)  # counts of the service-provider catalogue demo
    ip: dict = field(default_factory=dict)  # counts of the IP portfolio demo
    space: dict = field(default_factory=dict)  # counts of the space-service demo
    search: dict = field(default_factory=dict)  # search documents per kind, after the load

    @property
    def changed(self) -> bool:
        return bool(
            self.enterprises
            or self.users_created
            or self.users_updated
            or self.policies.changed
            or self.talent.changed
            or any(self.chain.values())
            or any(self.desk.values())
            or any(self.providers.values())
            or any(self.community.values())
            or self.ip.get("ip_assets")
        )


@dataclass(frozen=True)
class References:
    regions: dict[str, Region]
    parks: dict[str, Park]
    clusters: dict[str, Cluster]
    nodes: dict[str, ChainNode]
    certification_types: dict[str, CertificationType]

    @classmethod
    def load(cls) -> "References":
        return cls(
            regions={r.code: r for r in Region.objects.all()},
            parks={p.code: p for p in Park.objects.all()},
            clusters={c.code: c for c in Cluster.objects.all()},
            nodes={n.code: n for n in ChainNode.objects.all()},
            certification_types={t.code: t for t in CertificationType.objects.all()},
        )


def _enterprise_data(spec: EnterpriseSpec, refs: References) -> dict:
    """The registry fields of a spec, as `enterprise_create` takes them."""
    return {
        "name": spec.name,
        "name_en": spec.name_en,
        "industry_code": spec.industry_code,
        "is_biomedical": spec.is_biomedical,
        "cluster": refs.clusters[spec.cluster] if spec.cluster else None,
        "is_gene_related": spec.is_gene_related,
        "town": refs.regions[spec.town],
        "park": refs.parks[spec.park] if spec.park else None,
        "founded_date": spec.founded_date,
        "registered_capital": spec.registered_capital,
        "legal_representative": spec.legal_representative,
        "address": spec.address,
        "business_scope": spec.business_scope,
        "description": spec.description,
        "is_demo": spec.is_demo,
    }


def _account_ensure(
    account: DemoAccount, *, refs: References, enterprise: Enterprise | None, password: str, result: LoadResult
) -> User:
    """Create the account, or bring it back to its demo role, scope and password."""
    user = User.objects.filter(username=account.username).first()
    created = user is None
    if created:
        user = User(username=account.username, date_joined=IMPORTED_AT)
    wanted = {
        "role": account.role,
        "display_name": account.display_name,
        "email": account.email,
        "region": refs.regions[account.region] if account.region else None,
        "enterprise": enterprise if account.enterprise or account.landlord else None,
        "is_superuser": account.is_superuser,
        "is_staff": account.is_superuser,  # officers work in the platform, not in Django's admin
        "is_active": True,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name, value in wanted.items():
        setattr(user, name, value)
    if created or not user.check_password(password):
        user.set_password(password)
        changed.append("password")
    if changed:
        user.save()
        (result.users_created if created else result.users_updated).append(account.username)
    # The demo's passwords count as set at load time, so the 90-day rotation starts from the load; not a change
    # of the account (a second load reports nothing updated).
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
    if account.second_factor:
        otp_device_install(user=user, key_hex=DEMO_OTP_KEY_HEX)
    return user


def _showcase_ensure(plan: DemoPlan, *, refs: References, officer: User) -> tuple[Enterprise, bool]:
    spec = plan.showcase
    existing = Enterprise.objects.filter(uscc=spec.uscc).first()
    if existing is not None:
        return existing, False
    enterprise = registry.enterprise_create(
        actor=officer,
        uscc=spec.uscc,
        data=_enterprise_data(spec, refs),
        chain_nodes=[refs.nodes[code] for code in spec.chain_nodes],
        now=story.SHOWCASE_REGISTERED_AT,
    )
    return enterprise, True


def _enterprises_bulk(plan: DemoPlan, *, refs: References, skip: set[str]) -> dict[str, int]:
    """Insert the enterprises not in the database yet; returns uscc → id of the ones inserted."""
    existing = set(
        Enterprise.objects.filter(uscc__in=[e.uscc for e in plan.enterprises]).values_list("uscc", flat=True)
    )
    specs = [e for e in plan.enterprises if e.uscc not in existing and e.uscc not in skip]
    rows = [
        Enterprise(uscc=e.uscc, created_at=e.registered_at, updated_at=e.registered_at, **_enterprise_data(e, refs))
        for e in specs
    ]
    Enterprise.objects.bulk_create(rows, batch_size=BATCH)
    through = Enterprise.chain_nodes.through
    through.objects.bulk_create(
        [
            through(enterprise_id=row.pk, chainnode_id=refs.nodes[code].pk)
            for spec, row in zip(specs, rows, strict=True)
            for code in spec.chain_nodes
        ],
        batch_size=BATCH,
    )
    return {row.uscc: row.pk for row in rows}


def _children_bulk(plan: DemoPlan, *, refs: References, ids: dict[str, int], reviewers: dict[str, User]) -> tuple:
    """Contacts, annual reports and certifications of the enterprises inserted in this run."""
    contacts = [
        Contact(
            enterprise_id=ids[e.uscc], name=c.name, title=c.title, phone=c.phone, email=c.email, is_primary=c.is_primary
        )
        for e in plan.enterprises
        if e.uscc in ids
        for c in e.contacts
    ]
    reports = [
        AnnualReport(
            enterprise_id=ids[r.uscc],
            year=r.year,
            **r.data(),
            status=r.status,
            review_comment=r.review_comment,
            submitted_at=r.submitted_at,
            reviewed_at=r.reviewed_at,
            reviewed_by=reviewers.get(r.reviewer_town) if r.reviewer_town else None,
        )
        for r in plan.reports
        if r.uscc in ids and not r.via_story
    ]
    types = refs.certification_types
    certifications = [
        Certification(
            enterprise_id=ids[c.uscc],
            type=types[c.type],
            issuer=c.issuer or types[c.type].default_issuer,
            number=c.number,
            year=c.year,
            valid_from_date=c.valid_from_date,
            valid_until_date=c.valid_until_date,
            source_document=c.source_document,
        )
        for c in plan.certifications
        if c.uscc in ids
    ]
    Contact.objects.bulk_create(contacts, batch_size=BATCH)
    AnnualReport.objects.bulk_create(reports, batch_size=BATCH)
    Certification.objects.bulk_create(certifications, batch_size=BATCH)
    return len(contacts), len(reports), len(certifications)


@transaction.atomic
def demo_load(*, seed: int = SEED, scale: float = 1.0, password: str = DEMO_PASSWORD) -> LoadResult:
    """Load the demo of 浦江镇 / 闵行区; a second run changes nothing.

    Registry changes do not queue a re-evaluation each: the policy loader evaluates everything once at the end.
    """
    # Much of the demo is bulk-created (not through the services): the search index is rebuilt once, at the end,
    # and the services' per-object refreshes (which would run after that, at commit) are skipped.
    # The audit trail's safety net is paused too: the bulk rows are the demo's, not anyone's edits; the load
    # writes one summary event instead (and the story's services audit their own writes as usual).
    with facts_announcements_paused(), search_services.refresh_paused(), audit.net_paused():
        result = _demo_load(seed=seed, scale=scale, password=password)
    result.search = search_services.reindex()
    if result.changed:
        audit_record(
            actor=None, action="demo.load", target=None, target_type="demo", target_id=str(seed),
            changes={"enterprises": result.enterprises, "reports": result.reports, "users": result.users_created},
        )  # fmt: skip
    return result


def _demo_load(*, seed: int, scale: float, password: str) -> LoadResult:
    plan = build_plan(seed=seed, scale=scale)
    refs = References.load()
    result = LoadResult()
    by_role = {a.username: a for a in DEMO_ACCOUNTS}
    users = {
        a.username: _account_ensure(a, refs=refs, enterprise=None, password=password, result=result)
        for a in DEMO_ACCOUNTS
        if not a.enterprise and not a.landlord
    }
    showcase, showcase_created = _showcase_ensure(plan, refs=refs, officer=users["pj_officer"])
    for name in ("ent_admin", "ent_staff"):
        users[name] = _account_ensure(by_role[name], refs=refs, enterprise=showcase, password=password, result=result)

    ids = _enterprises_bulk(plan, refs=refs, skip={plan.showcase.uscc})
    if showcase_created:
        ids[showcase.uscc] = showcase.pk
    reviewers = {a.region: users[a.username] for a in DEMO_ACCOUNTS if a.region and a.role == Role.TOWN_OFFICER}
    result.contacts, result.reports, result.certifications = _children_bulk(
        plan, refs=refs, ids=ids, reviewers=reviewers
    )
    result.enterprises = len(ids)
    if showcase_created:
        result.reports += story.tell(plan=plan, enterprise=showcase, users=users)
        result.story = True
        day = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
        audit_trail.load(users=users, now=day)
    if result.users_created:
        story.welcome([users[name] for name in result.users_created])
    # Before the policies: their first evaluation reads the portfolios' facts.
    result.ip = ip_demo.load(plan=plan, users=users, today=timezone.localdate(), rng=random.Random(seed + 7))
    # The story is told up to the start of the load day, so two loads on one day write the same rows.
    now = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))

    def landlord_account(enterprise: Enterprise) -> User:
        account = by_role["landlord"]
        return _account_ensure(account, refs=refs, enterprise=enterprise, password=password, result=result)

    # The space demo's landlords are enterprises too: told before the policies evaluate every enterprise.
    result.space = space_demo.load(now=now, rng=random.Random(seed + 8), users=users,
                                   ensure_landlord_account=landlord_account)  # fmt: skip
    result.policies = policy_demo.load(users=users)
    result.talent = talent_demo.load(users=users, seed=seed, scale=scale)
    result.chain = {
        **chain_postings.load(now=now, rng=random.Random(seed + 5)),
        **chain_events.load(now=now, rng=random.Random(seed + 6)),
    }
    result.desk = desk.load(now=now, rng=random.Random(seed + 7), users=users, showcase=showcase)
    result.providers = desk_providers.load(users=users, now=now)
    before = community.Organisation.objects.count()
    community.ensure_organisations(users=users)
    result.community = {"organisations": community.Organisation.objects.count() - before}
    result.community.update(orgs_demo.load(users=users, today=now.date()))
    result.community.update(community_news.load(users=users, today=timezone.localdate()))
    result.community["preferences"] = community.set_preferences(users=users, now=now)
    result.community.update(community_events.load(users=users, now=now, rng=random.Random(seed + 9)))
    result.imports = imports_demo.load(users=users)
    return result


def named_usccs() -> list[str]:
    return [uscc_from_serial(SERIAL_BASE + i) for i in range(len(NAMED_ENTERPRISES))]


@transaction.atomic
def demo_unload() -> dict[str, int]:
    """Remove the demo: its accounts and its enterprises (with everything they own). The audit trail stays: it
    is append-only (the accounts' usernames stay on their events), and the unload records itself."""
    with audit.net_paused():
        removed = _demo_unload()
    audit_record(actor=None, action="demo.unload", target=None, target_type="demo", target_id="", changes=removed)
    return removed


def _demo_unload() -> dict[str, int]:
    enterprises = Enterprise.objects.filter(Q(is_demo=True) | Q(uscc__in=named_usccs()))
    ids = list(enterprises.values_list("pk", flat=True))
    talent_demo.unload()  # its applications hold on to the enterprises, its assignments to the accounts
    policy_demo.unload()
    chain_postings.unload()
    desk_providers.unload()
    space_demo.unload()
    orgs_demo.unload()  # the charters' files; the rows go with the organisations
    community_news.unload()  # before the accounts: articles hold on to their authors
    community_events.unload()  # its events hold on to the organisations, its guests to the enterprises
    community.unload()
    MatchEvent.objects.filter(organiser__username__in=DEMO_USERNAMES).delete()
    imports_demo.unload(DEMO_USERNAMES)
    users = User.objects.filter(username__in=DEMO_USERNAMES)
    kept = AuditEvent.objects.filter(Q(enterprise_id__in=ids) | Q(actor__in=users)).count()
    user_count = users.count()
    users.delete()
    enterprises.delete()
    search_services.reindex()  # drop the documents of what was removed
    return {"enterprises": len(ids), "users": user_count, "audit_events_kept": kept}
