"""Pages of officers' visits (走访): the list in scope, recording a visit and one visit.

Parse input → one service or selector call → render.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import has_perm, require

from . import exports
from . import visit_selectors as selectors
from .models import Visit
from .services import visits as services
from .visit_forms import VisitFilterForm, VisitForm

PER_PAGE = 50


def _is_recent_warning(exc: ValidationError) -> bool:
    errors = getattr(exc, "error_dict", {}).get("visited_date", [])
    return any(error.code == "recent_visit" for error in errors)


def _flag_labels(visit: Visit) -> list[str]:
    return [Visit.Flag(flag).label for flag in visit.flags if flag in Visit.Flag.values]


def visit_list(request):
    user = request.user
    require(user, "visit.view")
    form = VisitFilterForm(
        request.GET or None, officers=selectors.visit_officers(user), years=selectors.visit_years(user)
    )
    visits = selectors.visits_visible(user, **form.filters())
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="servicedesk.visits", title=_("走访记录"), filename=_("走访记录") + ".xlsx",
            columns=exports.visits_columns(), rows=visits,
        )  # fmt: skip
    page = IdsFirstPaginator(visits, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "servicedesk/visits/list.html", {
        "form": form, "page": page, "rows": [(v, _flag_labels(v)) for v in page],
        "querystring": query_without_page(request),
        "can_record": has_perm(user, "visit.record"),
    })  # fmt: skip


def visit_new(request):
    user = request.user
    require(user, "visit.record")
    enterprise_id = request.POST.get("enterprise") or request.GET.get("enterprise")
    if not enterprise_id:
        search = request.GET.get("q", "")
        return render(request, "servicedesk/visits/choose.html", {
            "search": search, "candidates": selectors.enterprises_to_visit(user, search),
        })  # fmt: skip
    if not str(enterprise_id).isdigit():
        return render(request, "servicedesk/visits/choose.html", {"search": "", "candidates": []}, status=400)
    enterprise = selectors.enterprise_for_visit(user, int(enterprise_id))
    # The checkbox stays once shown: it is posted only when ticked, so a ticked box keeps the field.
    warned = request.method == "POST" and "acknowledge_recent" in request.POST
    form = VisitForm(request.POST or None, initial={"visited_date": timezone.localdate()}, show_acknowledge=warned)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_record(
                actor=user, enterprise=enterprise, data=form.service_data(), now=timezone.now(),
                acknowledge_recent=form.acknowledged,
            )  # fmt: skip
        except ValidationError as exc:
            if _is_recent_warning(exc):
                # Show the warning with the "仍要记录" checkbox, keeping what was typed.
                form = VisitForm(request.POST, show_acknowledge=True)
                form.is_valid()
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已记录走访"))
            return redirect("servicedesk:visit", pk=visit.pk)
    return render(request, "servicedesk/visits/new.html", {
        "form": form, "enterprise": enterprise, "latest": selectors.latest_visit(enterprise),
    }, status=400 if form.errors else 200)  # fmt: skip


def visit_detail(request, pk):
    visit = selectors.visit_for(request.user, pk)
    flags = _flag_labels(visit)
    return render(request, "servicedesk/visits/detail.html", {
        "visit": visit, "flags": flags, "can_record": has_perm(request.user, "visit.record", visit.enterprise),
    })  # fmt: skip
