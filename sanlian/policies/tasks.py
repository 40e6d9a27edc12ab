"""Background jobs of the policy module; each takes ids or names and is safe to run twice."""

from huey.contrib.djhuey import db_periodic_task, db_task

from sanlian.core.schedules import local_crontab


@db_task(retries=3, retry_delay=60)
def refresh_eligibility(*, enterprise_ids=None, policy_ids=None, changed_facts=None, parameter=None):
    """Re-evaluate after a change; a parameter change re-evaluates the policies that read it."""
    from .services.eligibility import eligibility_refresh

    if parameter is not None:
        policy_ids = _policies_reading(parameter)
        if not policy_ids:
            return None
    summary = eligibility_refresh(enterprise_ids=enterprise_ids, policy_ids=policy_ids, changed_facts=changed_facts)
    return summary.changed


def _policies_reading(parameter: str) -> list[int]:
    from django.utils import timezone

    from . import rules

    config = rules.config_as_of(timezone.localdate())
    return [v.policy_id for v, rule in zip(config.versions, config.compiled, strict=True) if parameter in rule.params]


@db_periodic_task(local_crontab(hour="2", minute="10"), retries=2, retry_delay=300)
def nightly_eligibility():
    """Dates move facts (years since founding, certificates expiring, policies coming into force)."""
    from .services.eligibility import eligibility_refresh

    return eligibility_refresh().changed
