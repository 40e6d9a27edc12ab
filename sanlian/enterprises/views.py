"""Registry pages: parse input → one service or selector call → render."""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanlian.core.exports import CHUNK, wants_xlsx, xlsx_response
from sanlian.core.masking import mask_email, mask_phone
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import get_scoped, has_perm, require

from . import exports, selectors, services
from .forms import (
    AnnualReportForm,
    CertificationForm,
    ChainNodeForm,
    ContactForm,
    DirectoryFilterForm,
    EnterpriseForm,
    ReviewForm,
    apply_service_errors,
)
from .models import AnnualReport, ChainNode, Contact


def _filters_from(form: DirectoryFilterForm) -> selectors.DirectoryFilters:
    data = form.cleaned_data if form.is_valid() else {}
    code = lambda key: data[key].code if data.get(key) else ""  # noqa: E731
    return selectors.DirectoryFilters(
        q=(data.get("q") or "").strip(),
        town=code("town"),
        park=code("park"),
        cluster=code("cluster"),
        chain_node=code("chain_node"),
        certification=code("certification"),
        revenue_band=data.get("revenue_band") or "",
        revenue_year=data.get("revenue_year"),
        key_year=data.get("key_year"),
        biomedical=data.get("biomedical"),
    )


def directory(request):
    require(request.user, "enterprise.view")
    if request.user.is_enterprise_user:
        return redirect("enterprises:detail", pk=request.user.enterprise_id)
    form = DirectoryFilterForm(
        request.GET or None,
        towns=selectors.towns_for(user=request.user),
        parks=selectors.parks_scoped(user=request.user),
    )
    filters = _filters_from(form)
    revenue_year = filters.revenue_year or selectors.latest_report_year()
    filters = replace(filters, revenue_year=revenue_year)
    enterprises = selectors.enterprise_directory(user=request.user, filters=filters)
    if wants_xlsx(request):
        require(request.user, "enterprise.export")
        return xlsx_response(
            request,
            list_name="enterprises.directory",
            title=_("企业名录"),
            filename=_("企业名录") + ".xlsx",
            columns=exports.directory_columns(revenue_year=revenue_year),
            rows=selectors.with_revenue(enterprises, year=revenue_year, chunk_size=CHUNK),
        )
    page = IdsFirstPaginator(enterprises, 25).get_page(request.GET.get("page"))
    page.object_list = list(selectors.with_revenue(page.object_list, year=revenue_year))
    return render(
        request,
        "enterprises/directory.html",
        {
            "form": form,
            "page": page,
            "querystring": query_without_page(request),
            "revenue_year": revenue_year,
            "can_create": has_perm(request.user, "enterprise.create"),
        },
    )


def detail(request, pk):
    enterprise = selectors.enterprise_profile(user=request.user, pk=pk)
    user = request.user
    reports = list(enterprise.annual_reports.all())
    contacts = [
        {"contact": c, "phone": mask_phone(c.phone or ""), "email": mask_email(c.email or "")}
        for c in enterprise.contacts.all()
    ]
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "reports": reports,
            "contacts": contacts,
            "certifications": enterprise.certifications.all(),
            "history": selectors.enterprise_history(enterprise=enterprise),
            "can_edit": has_perm(user, "enterprise.edit", enterprise),
            "can_submit": has_perm(user, "report.submit", enterprise),
            "can_review": has_perm(user, "report.review", enterprise),
            "can_reveal": has_perm(user, "contact.reveal", enterprise),
            "can_certify": has_perm(user, "certification.edit", enterprise),
            "today": timezone.localdate(),
        },
    )


def _render_form(request, template, form, **context):
    return render(request, template, {"form": form, **context}, status=400 if form.is_bound else 200)


def create(request):
    require(request.user, "enterprise.create")
    towns = selectors.towns_for(user=request.user)
    form = EnterpriseForm(request.POST or None, towns=towns, officer=True)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(
                actor=request.user,
                uscc=form.cleaned_data["uscc"],
                data=form.service_data(),
                chain_nodes=list(form.cleaned_data["chain_nodes"]),
                uscc_override_reason=form.cleaned_data["uscc_override_reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("企业已登记"))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return _render_form(request, "enterprises/form.html", form, title=_("登记企业"))


def edit(request, pk):
    enterprise = selectors.enterprise_profile(user=request.user, pk=pk)
    require(request.user, "enterprise.edit", enterprise)
    officer = has_perm(request.user, "enterprise.create")
    # An enterprise sees its own town only (read-only); an officer may move it within his scope.
    towns = selectors.towns_for(user=request.user) if officer else selectors.town_of(enterprise=enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise, towns=towns, officer=officer)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.enterprise_update(
                actor=request.user,
                enterprise=enterprise,
                data=form.service_data(),
                chain_nodes=list(form.cleaned_data["chain_nodes"]),
                uscc=form.cleaned_data["uscc"] if officer else None,
                uscc_override_reason=form.cleaned_data.get("uscc_override_reason") or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(n)s 项变更") % {"n": len(changes)} if changes else _("没有变更"))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return _render_form(request, "enterprises/form.html", form, enterprise=enterprise, title=_("编辑企业档案"))


def report_edit(request, pk, year=None):
    enterprise = selectors.enterprise_profile(user=request.user, pk=pk)
    require(request.user, "report.submit", enterprise)
    report = enterprise.annual_reports.filter(year=year).first() if year else None
    # A new report is usually for the year just closed.
    initial = None if report else {"year": timezone.localdate().year - 1}
    form = AnnualReportForm(request.POST or None, instance=report, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        try:
            with transaction.atomic():
                report = services.annual_report_save(
                    actor=request.user, enterprise=enterprise, year=form.cleaned_data["year"], data=data
                )
                if "submit" in request.POST:
                    services.annual_report_transition(actor=request.user, report=report, action="submit")
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("年报已提交,等待审核") if "submit" in request.POST else _("年报草稿已保存"))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return _render_form(request, "enterprises/report_form.html", form, enterprise=enterprise, report=report)


@require_POST
def report_transition(request, report_id):
    report = get_scoped(request.user, "report.view", AnnualReport.objects.all(), pk=report_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无效的操作"))
        return redirect("enterprises:detail", pk=report.enterprise_id)
    try:
        services.annual_report_transition(
            actor=request.user, report=report, action=form.cleaned_data["action"], comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        for field, msgs in exc.message_dict.items():
            label = _("审核意见") if field == "comment" else field
            messages.error(request, f"{label}: {' '.join(msgs)}")
    else:
        messages.success(request, _("操作成功"))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("enterprises:detail", pk=report.enterprise_id)


def review_queue(request):
    reports = selectors.reports_for_review(user=request.user)
    if wants_xlsx(request):
        return xlsx_response(
            request,
            list_name="enterprises.review_queue",
            title=_("年报审核"),
            filename=_("年报审核") + ".xlsx",
            columns=exports.review_queue_columns(),
            rows=reports,
        )
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(request, "enterprises/review_queue.html", {"page": page, "form": ReviewForm()})


@require_POST
def contact_reveal(request, contact_id):
    contact = get_scoped(request.user, "contact.reveal", Contact.objects.all(), pk=contact_id)
    values = services.contact_reveal(actor=request.user, contact=contact)
    return render(request, "enterprises/_contact_revealed.html", {"contact": contact, **values})


@require_POST
def contact_remove(request, contact_id):
    contact = get_scoped(request.user, "contact.edit", Contact.objects.all(), pk=contact_id)
    enterprise_id = contact.enterprise_id
    services.contact_remove(actor=request.user, contact=contact)
    messages.success(request, _("联系人已删除,其个人信息已一并删除"))
    return redirect("enterprises:detail", pk=enterprise_id)


def _add_to_profile(request, pk, *, action: str, form_class, save, done: str, title: str):
    """A small form on a profile (contact, certification): permission, form, service, back to the profile."""
    enterprise = selectors.enterprise_profile(user=request.user, pk=pk)
    require(request.user, action, enterprise)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, enterprise=enterprise, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("enterprises:detail", pk=enterprise.pk)
    return _render_form(request, "enterprises/form.html", form, enterprise=enterprise, title=title)


def contact_add(request, pk):
    return _add_to_profile(
        request,
        pk,
        action="contact.edit",
        form_class=ContactForm,
        save=services.contact_save,
        done=_("联系人已保存"),
        title=_("添加联系人"),
    )


def certification_add(request, pk):
    return _add_to_profile(
        request,
        pk,
        action="certification.edit",
        form_class=CertificationForm,
        save=services.certification_add,
        done=_("资质已添加"),
        title=_("添加资质"),
    )


def chain_nodes(request):
    require(request.user, "enterprise.view")
    return render(
        request,
        "enterprises/chain_nodes.html",
        {
            "nodes": selectors.chain_nodes_with_counts(user=request.user),
            "can_edit": has_perm(request.user, "chain.edit"),
        },
    )


def chain_node_edit(request, code):
    require(request.user, "chain.edit")
    node = get_object_or_404(ChainNode, code=code)
    form = ChainNodeForm(request.POST or None, instance=node)
    if request.method == "POST" and form.is_valid():
        services.chain_node_update(actor=request.user, node=node, data=form.cleaned_data)
        messages.success(request, _("产业链环节已更新"))
        return redirect("enterprises:chain-nodes")
    return _render_form(
        request, "enterprises/form.html", form, title=_("编辑产业链环节 %(code)s") % {"code": node.code}
    )
