"""Policy pages: parse input → one service or selector call → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanlian.core.downloads import YAML, download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors
from sanlian.core.pagination import query_without_page
from sanlian.core.permissions import get_scoped, has_perm, require
from sanlian.engines.rules import dump_yaml

from . import exports, presentation, rules, selectors, services
from .facts import FACTS
from .forms import (
    GrantDecisionForm,
    ImportForm,
    LibraryFilterForm,
    NewPolicyForm,
    ParameterForm,
    ParameterValueForm,
    PolicyVersionForm,
    QuickApplyForm,
)
from .models import Grant, Policy, PolicyAttachment, PolicyVersion

# Public library ------------------------------------------------------------------------------------


@login_not_required
def library(request):
    issuers, tags = selectors.library_choices()
    form = LibraryFilterForm(request.GET or None, issuers=issuers, tags=tags)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.LibraryFilters(
        q=(data.get("q") or "").strip(), issuer=data.get("issuer") or "", tag=data.get("tag") or "",
        status=data.get("status") or "",
    )  # fmt: skip
    versions = selectors.policy_library(filters=filters, as_of=timezone.localdate())
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="policies.library", title=_("惠企政策库"), filename=_("政策库") + ".xlsx",
            columns=exports.library_columns(), rows=versions,
        )  # fmt: skip
    page = Paginator(versions, 20).get_page(request.GET.get("page"))
    return render(request, "policies/library.html", {
        "form": form, "page": page, "today": timezone.localdate(), "querystring": query_without_page(request),
    })  # fmt: skip


@login_not_required
def detail(request, code):
    number = request.GET.get("v")
    version = selectors.policy_public(code=code, number=int(number) if number and number.isdigit() else None)
    if version is None:
        raise Http404
    today = timezone.localdate()
    params = rules.params_as_of(today)
    names = presentation.code_names()
    context = {
        "version": version,
        "today": today,
        "criteria": presentation.rule_rows(version.rule, params, names=names),
        "history": selectors.published_history(version.policy),
        "attachments": version.policy.attachments.all(),
        "can_edit": has_perm(request.user, "policy.edit", version.policy),
    }
    user = request.user
    if getattr(user, "is_enterprise_user", False) and user.enterprise_id:
        results = selectors.enterprise_results(enterprise_id=user.enterprise_id, as_of=today)
        result = next((r for r in results if r.policy_id == version.policy_id), None)
        context["result"] = result
        tree = selectors.explained([result])[0][1] if result else None
        context["rows"] = presentation.explanation_rows(tree, names=names) if tree else []
    return render(request, "policies/detail.html", context)


@login_not_required
def attachment(request, pk):
    item = get_object_or_404(PolicyAttachment.objects.select_related("policy"), pk=pk)
    if not item.policy.versions.filter(status=PolicyVersion.Status.PUBLISHED).exists():
        require(request.user, "policy.edit", item.policy)
    return download(item.file.open("rb"), filename=item.name)


# 我的政策 (enterprise) ------------------------------------------------------------------------------


def mine(request):
    user = request.user
    require(user, "policy.results")
    if not user.is_enterprise_user or not user.enterprise_id:
        return redirect("policies:manage")
    try:
        on = parse_date(request.GET.get("on") or "")
    except ValueError:  # well formed but not a real date
        on = None
    if on:
        moment = timezone.make_aware(timezone.datetime.combine(on, timezone.datetime.max.time()))
        results = selectors.enterprise_results_on(enterprise_id=user.enterprise_id, moment=moment)
    else:
        results = selectors.enterprise_results(enterprise_id=user.enterprise_id, as_of=timezone.localdate())
    grants = {g.policy_id: g for g in Grant.objects.filter(enterprise_id=user.enterprise_id)}
    names = presentation.code_names()
    items = [
        {
            "result": r,
            "rows": presentation.explanation_rows(tree, names=names),
            "missing": presentation.missing_facts(tree),
            "grant": grants.get(r.policy_id),
        }
        for r, tree in selectors.explained(results)
    ]
    counts = {o: sum(1 for r in results if r.outcome == o) for o in ("eligible", "unknown", "not_eligible")}
    return render(request, "policies/mine.html", {"items": items, "counts": counts, "on": on,
                                                   "quick_form": QuickApplyForm()})  # fmt: skip


@require_POST
def quick_apply(request, code):
    user = request.user
    require(user, "policy.quick_apply")
    version = selectors.policy_public(code=code)
    if version is None or not user.enterprise_id:
        raise Http404
    form = QuickApplyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.grant_request_quick(actor=user, enterprise=user.enterprise, version=version,
                                     note=form.cleaned_data["note"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        messages.success(request, _("已提交快申快享,专员核实后会通知您"))
    return redirect("policies:mine")


# Officers: policies, drafts, preview, publish --------------------------------------------------------


def manage(request):
    require(request.user, "policy.edit")
    policies = selectors.policies_for_officer(request.user)
    counts = selectors.policy_counts(user=request.user, policy_ids=[p.pk for p in policies])
    rows = []
    for policy in policies:
        versions = list(policy.versions.all())
        rows.append({
            "policy": policy,
            "published": next((v for v in versions if v.status == PolicyVersion.Status.PUBLISHED), None),
            "draft": next((v for v in versions if v.status == PolicyVersion.Status.DRAFT), None),
            "counts": counts.get(policy.pk, {}),
        })  # fmt: skip
    regions = _regions(request.user)
    return render(request, "policies/manage.html", {
        "rows": rows, "import_form": ImportForm(), "new_form": NewPolicyForm(regions=regions),
        "pending_grants": selectors.grants_for_officer(user=request.user).count(),
    })  # fmt: skip


def _regions(user):
    from sanlian.enterprises.selectors import regions_scoped

    return regions_scoped(user=user).filter(level__in=["district", "town", "street"])


def new_policy(request):
    require(request.user, "policy.edit")
    new_form = NewPolicyForm(request.POST or None, regions=_regions(request.user))
    form = PolicyVersionForm(request.POST or None)
    if request.method == "POST" and new_form.is_valid() and form.is_valid():
        try:
            version = services.policy_create(
                actor=request.user,
                code=new_form.cleaned_data["code"],
                region=new_form.cleaned_data["region"],
                data=form.version_data(),
            )
        except ValidationError as exc:  # fmt: skip
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("草稿已保存"))
            return redirect("policies:edit", code=version.policy.code)
    return render(request, "policies/edit.html", {"form": form, "new_form": new_form, "facts": FACTS})


def edit(request, code):
    policy = get_scoped(request.user, "policy.edit", Policy.objects.all(), code=code)
    draft = selectors.draft_of(policy)
    base = draft or selectors.published_of(policy)
    form = PolicyVersionForm(request.POST or None, instance=_copy(base))
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_draft_save(actor=request.user, policy=policy, data=form.version_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("草稿已保存"))
            return redirect("policies:edit", code=code)
    return render(request, "policies/edit.html", {
        "form": form, "policy": policy, "draft": draft, "published": selectors.published_of(policy), "facts": FACTS,
        "parameters": selectors.parameters_with_values(as_of=timezone.localdate()),
        "tests": services.tests_report(draft) if draft and request.method == "GET" else None,
    })  # fmt: skip


def _copy(version: PolicyVersion | None) -> PolicyVersion:
    """An unsaved copy for the form, so binding it never touches a published version."""
    if version is None:
        return PolicyVersion()
    copy = PolicyVersion()
    for name in services.VERSION_FIELDS:
        setattr(copy, name, getattr(version, name))
    return copy


def preview(request, code):
    policy = get_scoped(request.user, "policy.edit", Policy.objects.all(), code=code)
    draft = selectors.draft_of(policy)
    if draft is None:
        messages.info(request, _("没有草稿:请先编辑并保存"))
        return redirect("policies:edit", code=code)
    result = services.draft_preview(draft=draft, as_of=timezone.localdate())
    return render(request, "policies/preview.html", {"policy": policy, "draft": draft, "preview": result,
                                                      "tests": services.tests_report(draft)})  # fmt: skip


@require_POST
def publish(request, code):
    policy = get_scoped(request.user, "policy.publish", Policy.objects.all(), code=code)
    try:
        version = services.policy_publish(actor=request.user, policy=policy)
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
        return redirect("policies:preview", code=code)
    messages.success(request, _("已发布第 %(n)s 版,正在重新匹配企业") % {"n": version.number})
    return redirect("policies:detail", code=code)


def export_yaml(request, code):
    policy = get_scoped(request.user, "policy.edit", Policy.objects.all(), code=code)
    version = selectors.draft_of(policy) or selectors.published_of(policy)
    text = dump_yaml(services.version_document(version))
    return download(text, filename=f"{code}-v{version.number}.yaml", content_type=YAML)


@require_POST
def import_yaml(request):
    require(request.user, "policy.edit")
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        default_region = request.user.region
        try:
            version = services.policy_import_yaml(actor=request.user, text=form.cleaned_data["text"],
                                                  default_region=default_region)  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已导入为草稿"))
            return redirect("policies:edit", code=version.policy.code)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("policies:manage")


@require_POST
def upload_attachment(request, code):
    policy = get_scoped(request.user, "policy.edit", Policy.objects.all(), code=code)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError({"file": _("请选择文件")})
        services.policy_attachment_add(actor=request.user, policy=policy, upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        messages.success(request, _("附件已上传"))
    return redirect("policies:edit", code=code)


# Parameters and grants ---------------------------------------------------------------------------------


def parameters(request):
    require(request.user, "policy.edit")
    value_form = ParameterValueForm(request.POST or None, prefix="v")
    if request.method == "POST" and value_form.is_valid():
        data = value_form.cleaned_data
        try:
            services.parameter_value_record(actor=request.user, parameter=data["parameter"], key=data["key"],
                                            value=data["value"], effective_date=data["effective_date"],
                                            note=data["note"])  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(value_form, exc)
        else:
            messages.success(request, _("参数取值已记录(历史保留)"))
            return redirect("policies:parameters")
    return render(request, "policies/parameters.html", {
        "rows": selectors.parameters_with_values(as_of=timezone.localdate()),
        "value_form": value_form, "parameter_form": ParameterForm(prefix="p"),
    })  # fmt: skip


@require_POST
def parameter_new(request):
    require(request.user, "policy.edit")
    form = ParameterForm(request.POST, prefix="p")
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.parameter_create(actor=request.user, data=form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(f"{k}: {m}" for k, msgs in exc.message_dict.items() for m in msgs))
    else:
        messages.success(request, _("参数已创建"))
    return redirect("policies:parameters")


def grants(request):
    require(request.user, "grant.view")
    status = request.GET.get("status") or Grant.Status.PENDING
    if status not in Grant.Status.values:
        status = Grant.Status.PENDING
    grants_ = selectors.grants_for_officer(user=request.user, status=status)
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="policies.grants", title=_("免申即享"), filename=_("免申即享") + ".xlsx",
            columns=exports.grants_columns(), rows=grants_,
        )  # fmt: skip
    page = Paginator(grants_, 25).get_page(request.GET.get("page"))
    return render(request, "policies/grants.html", {
        "page": page, "status": status, "statuses": Grant.Status.choices, "form": GrantDecisionForm(),
        "querystring": f"status={status}",
    })  # fmt: skip


@require_POST
def grant_decide(request, pk):
    grant = get_scoped(request.user, "grant.decide", Grant.objects.all(), pk=pk)
    form = GrantDecisionForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    try:
        services.grant_decide(actor=request.user, grant=grant, confirm=form.cleaned_data["decision"] == "confirm",
                              note=form.cleaned_data["decision_note"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        messages.success(request, _("已处理"))
    return redirect("policies:grants")
