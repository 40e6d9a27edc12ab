"""Evaluate published policies over enterprises and store what changed (政策找企业, 免申即享)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sanlian.core.services import notification_send
from sanlian.engines.rules import OUTCOME_NAMES, TRUE, UNKNOWN, estimate_benefit, evaluate

from .. import facts, rules
from ..models import EligibilityResult, Grant, Outcome, PolicyVersion

# Rows per statement when a full refresh stores many results (keeps statements within parameter limits).
BATCH = 2000


@dataclass
class RefreshSummary:
    enterprises: int = 0
    policies: int = 0
    changed: int = 0
    newly_eligible: dict[int, list[int]] = field(default_factory=dict)  # enterprise id → policy ids


def _benefit_yuan(amounts: np.ndarray, row: int) -> Decimal | None:
    value = amounts[row]
    if np.isnan(value):
        return None
    return Decimal(str(round(float(value), 2)))


def evaluate_versions(*, versions: list[PolicyVersion], as_of: date, enterprise_ids=None, explain=True, compiled=None):
    """(table, evaluation, benefits) of the given published versions over the enterprises on `as_of`."""
    config = rules.config_as_of(as_of)
    if compiled is None:
        compiled = [rules.compiled_version(v, config.catalogue) for v in versions]
    table = facts.fact_table(as_of=as_of, catalogue=config.catalogue, enterprise_ids=enterprise_ids)
    evaluation = evaluate(compiled, table, config.params, explain=explain)
    benefits = [estimate_benefit(v.benefit, table, config.params) if v.benefit else None for v in versions]
    return table, evaluation, benefits


@transaction.atomic
def eligibility_refresh(
    *, enterprise_ids=None, policy_ids=None, changed_facts=None, now: datetime | None = None, notify: bool = True
) -> RefreshSummary:
    """Re-evaluate the affected (enterprise, policy) pairs and store the results that changed.

    Only published versions in force today are evaluated; with `changed_facts`, only the rules that
    read one of them. A pair whose outcome, version or explanation changed gets a new result row
    (the old one is superseded, never overwritten); newly eligible pairs notify the enterprise and,
    for 免申即享 policies, enter the officers' confirmation list.
    """
    now = now or timezone.now()
    as_of = timezone.localdate(now)
    config = rules.config_as_of(as_of)
    wanted = set(policy_ids) if policy_ids is not None else None
    selected = [
        (v, rule)
        for v, rule in zip(config.versions, config.compiled, strict=True)
        if (wanted is None or v.policy_id in wanted) and (changed_facts is None or rule.facts & set(changed_facts))
    ]
    summary = RefreshSummary(policies=len(selected))
    if not selected:
        return summary
    versions = [v for v, _ in selected]
    table, evaluation, benefits = evaluate_versions(
        versions=versions, as_of=as_of, enterprise_ids=enterprise_ids, compiled=[rule for _, rule in selected]
    )
    summary.enterprises = table.n
    current = _current_results(ids=table.ids, policy_ids=[v.policy_id for v in versions], restrict=enterprise_ids)
    stale, fresh = [], []
    for i, version in enumerate(versions):
        outcomes = evaluation.outcomes[i]
        for row, enterprise_id in enumerate(table.ids):
            outcome = OUTCOME_NAMES[int(outcomes[row])]
            explanation = evaluation.compact(i, row)
            old = current.get((enterprise_id, version.policy_id))
            if old and old.version_id == version.pk and old.outcome == outcome and old.explanation == explanation:
                continue
            if old:
                stale.append(old.pk)
            amount = _benefit_yuan(benefits[i], row) if benefits[i] is not None else None
            fresh.append(
                EligibilityResult(
                    enterprise_id=enterprise_id,
                    policy_id=version.policy_id,
                    version=version,
                    outcome=outcome,
                    explanation=explanation,
                    benefit_estimate=amount if outcome == Outcome.ELIGIBLE else None,
                    facts_as_of=as_of,
                    evaluated_at=now,
                )
            )
            if outcome == Outcome.ELIGIBLE and (old is None or old.outcome != Outcome.ELIGIBLE):
                summary.newly_eligible.setdefault(enterprise_id, []).append(version.policy_id)
    for start in range(0, len(stale), BATCH):
        EligibilityResult.objects.filter(pk__in=stale[start : start + BATCH]).update(superseded_at=now)
    EligibilityResult.objects.bulk_create(fresh, batch_size=BATCH)
    summary.changed = len(fresh)
    _grant_no_application(versions=versions, fresh=fresh, summary=summary, now=now)
    if notify and summary.newly_eligible:
        transaction.on_commit(lambda: _notify_newly_eligible(summary.newly_eligible, now))
    return summary


def _current_results(*, ids, policy_ids, restrict) -> dict:
    current = EligibilityResult.objects.filter(policy_id__in=policy_ids, superseded_at__isnull=True)
    if restrict is not None:
        current = current.filter(enterprise_id__in=list(ids))
    fields = ("pk", "enterprise_id", "policy_id", "version_id", "outcome", "explanation")
    return {(r.enterprise_id, r.policy_id): r for r in current.values_list(*fields, named=True)}


def _grant_no_application(*, versions, fresh, summary, now) -> None:
    """Newly eligible enterprises of 免申即享 policies wait for an officer's confirmation."""
    by_policy = {v.policy_id: v for v in versions if v.no_application}
    if not by_policy:
        return
    wanted = [
        (enterprise_id, policy_id)
        for enterprise_id, policy_ids in summary.newly_eligible.items()
        for policy_id in policy_ids
        if policy_id in by_policy
    ]
    amounts = {(r.enterprise_id, r.policy_id): r.benefit_estimate for r in fresh}
    existing = set(
        Grant.objects.filter(policy_id__in=list(by_policy)).values_list("enterprise_id", "policy_id", "version_id")
    )
    Grant.objects.bulk_create(
        [
            Grant(
                policy_id=policy_id,
                version=by_policy[policy_id],
                enterprise_id=enterprise_id,
                origin=Grant.Origin.AUTO,
                amount=amounts.get((enterprise_id, policy_id)),
                created_at=now,
            )
            for enterprise_id, policy_id in wanted
            if (enterprise_id, policy_id, by_policy[policy_id].pk) not in existing
        ],
        batch_size=BATCH,
    )


def _notify_newly_eligible(newly_eligible: dict[int, list[int]], now) -> None:
    from sanlian.core.models import User

    titles = dict(
        PolicyVersion.objects.filter(
            policy_id__in={p for ids in newly_eligible.values() for p in ids}, status=PolicyVersion.Status.PUBLISHED
        ).values_list("policy_id", "title")
    )
    users = User.objects.filter(enterprise_id__in=list(newly_eligible), is_active=True)
    by_enterprise: dict[int, list] = {}
    for user in users:
        by_enterprise.setdefault(user.enterprise_id, []).append(user)
    url = reverse("policies:mine")
    for enterprise_id, recipients in by_enterprise.items():
        names = "、".join(titles.get(p, "") for p in newly_eligible[enterprise_id])
        with override("zh-hans"):
            title = _("新符合政策:%(names)s") % {"names": names}
            body = _("根据企业档案中的最新数据,贵企业新符合上述政策的条件,请查看「我的政策」了解依据和办理方式。")
        notification_send(recipients=recipients, title=title, body=body, url=url, now=now)


@dataclass
class Preview:
    gained: list[dict]  # eligible under the draft, not under the published version
    lost: list[dict]  # eligible under the published version, not under the draft
    unknown: list[dict]  # unknown under the draft and not before
    counts: dict[str, dict[str, int]]  # "draft" / "published" → outcome counts


def draft_preview(*, draft: PolicyVersion, as_of: date) -> Preview:
    """Who becomes eligible and who drops out if the draft replaces the published version."""
    from sanlian.enterprises.models import Enterprise

    config = rules.config_as_of(as_of)
    published = draft.policy.versions.filter(status=PolicyVersion.Status.PUBLISHED).first()
    trees = [draft.rule, published.rule if published else None]
    compiled = [rules.compile_or_error(t, config.catalogue) for t in trees if t is not None]
    table = facts.fact_table(as_of=as_of, catalogue=config.catalogue)
    evaluation = evaluate(compiled, table, config.params, explain=False)
    new = evaluation.outcomes[0]
    old = evaluation.outcomes[1] if published else np.zeros_like(new)
    names = dict(Enterprise.objects.filter(pk__in=table.ids).values_list("pk", "name"))

    def rows(mask):
        return [{"id": table.ids[i], "name": names[table.ids[i]]} for i in np.flatnonzero(mask)]

    return Preview(
        gained=rows((new == TRUE) & (old != TRUE)),
        lost=rows((old == TRUE) & (new != TRUE)),
        unknown=rows((new == UNKNOWN) & (old != UNKNOWN)),
        counts={
            "draft": evaluation.counts(0),
            "published": evaluation.counts(1) if published else {},
        },
    )
