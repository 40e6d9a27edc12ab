"""Pages of the provider catalogue (服务机构). Parse → one service or selector call → render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text, flash_outcome
from sanlian.core.masking import mask_phone
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import has_perm, require
from sanlian.core.reveals import revealed

from . import exports
from . import provider_selectors as selectors
from .provider_forms import CatalogueFilterForm, ProviderForm, ProviderRequestForm, RateForm, ReasonForm, ServiceForm
from .services import providers as services
from .services.requests import request_submit

PER_PAGE = 20


def catalogue(request):
    user = request.user
    require(user, "provider.view")
    officer = has_perm(user, "provider.edit")
    form = CatalogueFilterForm(request.GET or None, officer=officer)
    providers = selectors.catalogue(user, **form.filters())
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="servicedesk.providers", title=_("服务机构"), filename=_("服务机构") + ".xlsx",
            columns=exports.providers_columns(), rows=providers,
        )  # fmt: skip
    page = IdsFirstPaginator(providers, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "servicedesk/providers/catalogue.html", {
        "form": form, "page": page, "querystring": query_without_page(request), "can_edit": officer,
    })  # fmt: skip


def detail(request, pk):
    user = request.user
    require(user, "provider.view")
    provider = selectors.provider_for(user, pk)
    can_edit = has_perm(user, "provider.edit", provider)
    services_ = list(selectors.provider_services(provider, include_inactive=can_edit))
    can_request = has_perm(user, "request.submit") and provider.status == provider.Status.LISTED
    on_sale = [s for s in services_ if s.is_active]
    chosen = request.GET.get("service", "")
    return render(request, "servicedesk/providers/detail.html", {
        "provider": provider, "services": services_, "can_edit": can_edit,
        "ratings": selectors.provider_ratings(provider)[:50],
        "distribution": selectors.score_distribution(provider),
        "mobile": mask_phone(provider.contact_mobile or ""),
        "request_form": ProviderRequestForm(initial={"provider_service": chosen}, services=on_sale)
        if can_request and on_sale else None,
        "rateable": list(selectors.rateable_requests(user, provider)),
    })  # fmt: skip


@require_POST
def request_provider(request, pk):
    """An enterprise asks the desk to introduce the provider for one of its services: a normal desk request."""
    user = request.user
    require(user, "request.submit")
    provider = selectors.provider_for(user, pk)
    form = ProviderRequestForm(request.POST, services=selectors.provider_services(provider))
    form.is_valid()
    data = {"title": form.data.get("title", ""), "body": form.data.get("body", "")}
    service_id = form.data.get("provider_service") or ""
    if not selectors.provider_services(provider).filter(pk=service_id if service_id.isdigit() else 0).exists():
        messages.error(request, _("请选择该机构的在售服务"))
        return redirect("servicedesk:provider", pk=pk)
    try:
        created = request_submit(actor=user, data=data, provider_service=int(service_id), now=timezone.now())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("servicedesk:provider", pk=pk)
    messages.success(request, _("已提交服务台,服务专员将为您对接该机构"))
    return redirect("servicedesk:request", pk=created.pk)


def provider_new(request):
    user = request.user
    require(user, "provider.edit")
    form = ProviderForm(request.POST or None, initial={"region": user.region})
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(actor=user, data=form.cleaned_data, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("服务机构已添加"))
            return redirect("servicedesk:provider", pk=provider.pk)
    return _form_page(request, form, _("添加服务机构"), None)


def provider_edit(request, pk):
    user = request.user
    provider = selectors.provider_to_edit(user, pk)
    form = ProviderForm(request.POST or None, initial=ProviderForm.initial_for(provider))
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(actor=user, provider=provider, data=form.cleaned_data, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("servicedesk:provider", pk=provider.pk)
    return _form_page(request, form, _("编辑服务机构"), provider)


def service_new(request, pk):
    user = request.user
    provider = selectors.provider_to_edit(user, pk)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_service_create(actor=user, provider=provider, data=form.cleaned_data, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("服务已添加"))
            return redirect("servicedesk:provider", pk=provider.pk)
    return _form_page(request, form, _("添加服务"), provider)


def service_edit(request, pk):
    user = request.user
    service = selectors.service_to_edit(user, pk)
    form = ServiceForm(request.POST or None, initial=ServiceForm.initial_for(service))
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_service_update(actor=user, service=service, data=form.cleaned_data, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("servicedesk:provider", pk=service.provider_id)
    return _form_page(request, form, _("编辑服务"), service.provider)


def _form_page(request, form, title, provider):
    status = 400 if form.errors else 200
    context = {"form": form, "title": title, "provider": provider}
    return render(request, "servicedesk/providers/form.html", context, status=status)


@require_POST
def provider_status(request, pk):
    user = request.user
    provider = selectors.provider_to_edit(user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.provider_transition(
            actor=user, provider=provider, action=form.cleaned_data.get("action", ""),
            reason=form.cleaned_data.get("reason", ""), now=timezone.now(),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("操作成功"))
    return redirect("servicedesk:provider", pk=pk)


@require_POST
def rate(request, pk):
    user = request.user
    require(user, "provider.rate")
    provider = selectors.provider_for(user, pk)
    form = RateForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    target = selectors.request_to_rate(user, provider, data.get("request"))
    with flash_outcome(request, success=_("感谢您的评价")):
        services.provider_rate(
            actor=user, request=target, score=data.get("score"), comment=data.get("comment", ""), now=timezone.now()
        )
    return redirect("servicedesk:provider", pk=pk)


@require_POST
def rating_hide(request, pk):
    user = request.user
    rating = selectors.rating_to_moderate(user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.provider_rating_hide(
            actor=user, rating=rating, reason=form.cleaned_data.get("reason", ""), now=timezone.now()
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("评价内容已隐藏"))
    return redirect("servicedesk:provider", pk=rating.provider_id)


@require_POST
def reveal(request, pk):
    provider = selectors.provider_for(request.user, pk)
    value = services.provider_reveal(actor=request.user, provider=provider)
    return revealed(value)
