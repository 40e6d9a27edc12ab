"""Registry changes queue an incremental re-evaluation of the policies that read the moved facts."""

from django.dispatch import receiver

from sanlian.core.jobs import enqueue
from sanlian.enterprises.signals import facts_changed

from .facts import facts_for_changes
from .tasks import refresh_eligibility


@receiver(facts_changed, dispatch_uid="policies.refresh_on_facts_changed")
def queue_refresh(sender, enterprise_ids, fields, **kwargs):
    changed = facts_for_changes(fields)
    if changed:
        enqueue(refresh_eligibility, enterprise_ids=list(enterprise_ids), changed_facts=sorted(changed))
