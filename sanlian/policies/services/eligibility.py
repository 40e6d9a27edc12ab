"""Evaluate published policies over enterprises and store what changed (政策找企业, 免申即享)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.services import notification_send
from sanlian.core.sql import run_batch, run_in_one_transaction
from sanlian.engines.rules import OUTCOME_NAMES, TRUE, UNKNOWN, FactTable, estimate_benefit, evaluate

from .. import facts, rules
from ..models import Grant, Outcome, PolicyVersion
from . import result_store
from .result_store import NewResult

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
    return table, evaluation, _benefits(versions, table, config.params)


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
    ids = None if enterprise_ids is None else list(enterprise_ids)
    if ids is not None and not ids:
        return RefreshSummary()
    # One round trip reads everything the refresh needs; see result_store for why it is plain SQL.
    stamp, *fact_rows, current_rows = run_batch(
        [
            rules.stamp_statement(),
            *facts.fact_statements(as_of=as_of, enterprise_ids=ids),
            result_store.current_statement(enterprise_ids=ids, policy_ids=policy_ids),
        ]
    )
    config = rules.config_as_of(as_of, stamp)
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
    table_ids, records = facts.fact_records(fact_rows, as_of)
    table = FactTable.from_records(records, config.catalogue, ids=table_ids)
    evaluation = evaluate([rule for _, rule in selected], table, config.params, explain=True)
    benefits = _benefits(versions, table, config.params)
    summary.enterprises = table.n
    current = result_store.current_results(current_rows)
    stale, fresh = [], []
    by_row = evaluation.outcomes.T
    for row, enterprise_id in enumerate(table.ids):  # row by row: each fact value is read once per row
        outcomes = by_row[row].tolist()
        for i, version in enumerate(versions):
            outcome = OUTCOME_NAMES[outcomes[i]]
            explanation = evaluation.compact(i, row)
            old = current.get((enterprise_id, version.policy_id))
            if old and old.version_id == version.pk and old.outcome == outcome and old.explanation == explanation:
                continue
            if old:
                stale.append(old.pk)
            eligible = outcome == Outcome.ELIGIBLE
            amount = _benefit_yuan(benefits[i], row) if eligible and benefits[i] is not None else None
            fresh.append(
                NewResult(enterprise_id, version.policy_id, version.pk, outcome, explanation, amount, as_of, now)
            )
            if eligible and (old is None or old.outcome != Outcome.ELIGIBLE):
                summary.newly_eligible.setdefault(enterprise_id, []).append(version.policy_id)
    _store(versions=versions, stale=stale, fresh=fresh, summary=summary, now=now)
    summary.changed = len(fresh)
    if notify and summary.newly_eligible:
        transaction.on_commit(lambda: _notify_newly_eligible(summary.newly_eligible, now))
    return summary


def _store(*, versions, stale, fresh, summary, now) -> None:
    """Supersede and insert the changed results, with any 免申即享 grants, in one transaction.

    The reads before ran outside it: two refreshes of one enterprise racing each other make the
    second insert break the one-current-result constraint, and the task retries with fresh reads.
    """
    writes = result_store.write_statements(stale=stale, fresh=fresh, now=now, batch=BATCH)
    if not writes:
        return
    if not any(v.no_application for v in versions):
        run_in_one_transaction(writes)
        return
    with transaction.atomic():
        run_batch(writes)
        _grant_no_application(versions=versions, fresh=fresh, summary=summary, now=now)


def _benefits(versions, table, params) -> list:
    return [estimate_benefit(v.benefit, table, params) if v.benefit else None for v in versions]


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
        names = [titles.get(p, "") for p in newly_eligible[enterprise_id]]  # joined in the reader's language
        title = Text(gettext_lazy("新符合政策:%(names)s"), {"names": names})
        body = gettext_lazy(
            "根据企业档案中的最新数据,贵企业新符合上述政策的条件,请查看「我的政策」了解依据和办理方式。"
        )
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
