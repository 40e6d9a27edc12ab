"""`{% ip_summary enterprise %}`: the IP block of the enterprise profile, without the registry importing the desk."""

from django import template
from django.utils import timezone

from sanlian.core.permissions import has_perm

from ..ip_selectors import portfolio_summary

register = template.Library()


@register.inclusion_tag("servicedesk/ip/_profile_block.html", takes_context=True)
def ip_summary(context, enterprise):
    user = context["request"].user
    if not has_perm(user, "ip.view", enterprise):
        return {"visible": False}
    return {
        "visible": True,
        "enterprise": enterprise,
        "summary": portfolio_summary(enterprise.pk, as_of=timezone.localdate()),
        "can_edit": has_perm(user, "ip.edit", enterprise),
    }
