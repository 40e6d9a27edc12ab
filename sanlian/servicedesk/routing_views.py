"""The routing rules page (/desk/routing/): officers name who receives each town's requests, by category."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text
from sanlian.core.permissions import has_perm, require
from sanlian.enterprises.selectors import towns_for

from . import exports, selectors
from .models import Category
from .routing_forms import RoutingRuleForm
from .services import routing as services


def routing(request):
    user = request.user
    require(user, "routing.edit")
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="servicedesk.routing", title=_("分派规则"), filename=_("分派规则") + ".xlsx",
            columns=exports.routing_columns(), rows=selectors.routing_rules(user),
        )  # fmt: skip
    towns = list(towns_for(user=user))
    categories = list(selectors.categories())
    officers = list(selectors.routable_officers(user))
    form = RoutingRuleForm(request.POST or None, towns=towns, categories=categories, officers=officers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.routing_rule_set(
                actor=user, town=next(t for t in towns if t.pk == data["town"]),
                category=next((c for c in categories if c.code == data["category"]), None),
                officer=next(o for o in officers if o.pk == data["officer"]), now=timezone.now(),
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("分派规则已保存"))
            return redirect("servicedesk:routing")
    context = {
        "form": form,
        "rules": selectors.routing_rules(user),
        "categories": categories,
        "can_edit_sla": has_perm(user, "sla.edit"),
    }
    return render(request, "servicedesk/routing.html", context, status=400 if form.errors else 200)


@require_POST
def routing_remove(request, pk):
    rule = selectors.routing_rule_for(request.user, pk)
    try:
        services.routing_rule_remove(actor=request.user, rule=rule, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("分派规则已删除"))
    return redirect("servicedesk:routing")


@require_POST
def category_sla(request, code):
    require(request.user, "sla.edit")
    category = get_object_or_404(Category, code=code)
    try:
        services.category_sla_set(
            actor=request.user, category=category, ack_working_days=request.POST.get("ack_working_days"),
            resolve_working_days=request.POST.get("resolve_working_days"), now=timezone.now(),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, f"{category}:{error_text(exc)}")
    else:
        messages.success(request, _("%(category)s的办理时限已保存,适用于此后提交的诉求") % {"category": category})
    return redirect("servicedesk:routing")
