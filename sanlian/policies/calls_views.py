"""Declaration pages (技术申报): parse input → one service or selector call → render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text
from sanlian.core.pagination import query_without_page
from sanlian.core.permissions import get_scoped, has_perm, require
from sanlian.enterprises.selectors import regions_scoped

from . import call_exports, exports, presentation, rules
from . import call_selectors as selectors
from .calls_forms import ApplicationForm, CallForm, MaterialForm, QueueFilterForm, TransitionForm
from .facts import FACTS
from .models import Application, ApplicationMaterial, Call
from .services import calls as services

STATUS_ORDER = [s.value for s in Application.Status]


def _enterprise_of(user):
    return user.enterprise if getattr(user, "is_enterprise_user", False) and user.enterprise_id else None


# Calls ---------------------------------------------------------------------------------------------


def call_list(request):
    user = request.user
    status = request.GET.get("status") if request.GET.get("status") in Call.Status.values else ""
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="policies.calls", title=_("申报通知"), filename=_("申报通知") + ".xlsx",
            columns=exports.calls_columns(), rows=selectors.calls_visible(user=user, status=status),
        )  # fmt: skip
    page = Paginator(selectors.calls_visible(user=user, status=status), 20).get_page(request.GET.get("page"))
    calls = list(page.object_list)
    today = timezone.localdate()
    enterprise = _enterprise_of(user)
    rows = [{"call": call, "is_open": call.is_open_on(today)} for call in calls]
    if enterprise is not None:
        answers = services.calls_eligibility(calls=calls, enterprise_id=enterprise.pk, as_of=today)
        mine = selectors.applications_of_enterprise(enterprise_id=enterprise.pk, call_ids=[c.pk for c in calls])
        for row in rows:
            row["outcome"] = answers[row["call"].pk][0]
            row["application"] = mine.get(row["call"].pk)
    else:
        counts = selectors.application_counts(user=user, call_ids=[c.pk for c in calls])
        for row in rows:
            by_status = counts.get(row["call"].pk, {})
            row["counts"] = [(s, Application.Status(s).label, by_status[s]) for s in STATUS_ORDER if s in by_status]
            row["total"] = sum(by_status.values())
    return render(request, "policies/calls/list.html", {
        "page": page, "rows": rows, "enterprise": enterprise, "status": status, "statuses": Call.Status.choices,
        "can_create": has_perm(user, "call.edit"), "can_queue": selectors.can_work_queue(user), "today": today,
        "querystring": f"status={status}" if status else "",
    })  # fmt: skip


def call_detail(request, pk):
    user = request.user
    call = selectors.call_visible(user=user, pk=pk)
    enterprise = _enterprise_of(user)
    if request.method == "POST":
        return _start(request, call, enterprise)
    today = timezone.localdate()
    context = {
        "call": call,
        "today": today,
        "is_open": call.is_open_on(today),
        "criteria": presentation.rule_rows(call.rule, _params(today)),
        "can_edit": selectors.can_edit_call(user, call),
        "can_queue": selectors.can_work_queue(user),
        "can_export": has_perm(user, "application.export"),
    }
    if enterprise is not None:
        outcome, explanation = services.call_eligibility(call=call, enterprise_id=enterprise.pk, as_of=today)
        application = selectors.applications_of_enterprise(enterprise_id=enterprise.pk, call_ids=[call.pk]).get(call.pk)
        context.update({
            "enterprise": enterprise, "outcome": outcome, "rows": presentation.explanation_rows(explanation),
            "missing": presentation.missing_facts(explanation) if explanation else [], "application": application,
            "can_apply": (application is None and context["is_open"] and outcome != "not_eligible"
                          and has_perm(user, "application.edit")),
        })  # fmt: skip
    else:
        counts = selectors.application_counts(user=user, call_ids=[call.pk]).get(call.pk, {})
        context["counts"] = [(s, Application.Status(s).label, counts[s]) for s in STATUS_ORDER if s in counts]
    return render(request, "policies/calls/detail.html", context)


def _params(today):
    try:
        return rules.params_as_of(today)
    except ValidationError:
        return {}


def _start(request, call, enterprise):
    require(request.user, "application.edit")
    if enterprise is None:
        raise PermissionDenied
    try:
        application = services.application_start(actor=request.user, call=call, enterprise=enterprise)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("policies:call-detail", pk=call.pk)
    messages.success(request, _("已创建申报草稿,请填写申报表并上传材料"))
    return redirect("policies:application", pk=application.pk)


def _regions(user):
    return regions_scoped(user=user).filter(level__in=["district", "town", "street"])


def _call_form(request, call=None):
    form = CallForm(request.POST or None, regions=_regions(request.user), call=call)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.call_save(actor=request.user, call=call, data=form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("申报通知已保存"))
            return redirect("policies:call-detail", pk=saved.pk)
    return render(
        request,
        "policies/calls/form.html",
        {"form": form, "call": call, "facts": FACTS},
        status=400 if form.is_bound else 200,
    )


def call_new(request):
    require(request.user, "call.edit")
    return _call_form(request)


def call_edit(request, pk):
    call = get_scoped(request.user, "call.edit", Call.objects.select_related("region", "policy"), pk=pk)
    return _call_form(request, call)


def _queue(request, pk):
    if not selectors.can_work_queue(request.user):
        raise PermissionDenied
    call = selectors.call_visible(user=request.user, pk=pk)
    form = QueueFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return call, form, status, selectors.applications_for_call(user=request.user, call=call, status=status)


def call_applications(request, pk):
    if wants_xlsx(request):  # the same list as every other: ?format=xlsx (the .xlsx URL stays for old links)
        return call_export(request, pk)
    call, form, status, applications = _queue(request, pk)
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    counts = selectors.application_counts(user=request.user, call_ids=[call.pk]).get(call.pk, {})
    return render(request, "policies/calls/applications.html", {
        "call": call, "form": form, "status": status, "page": page, "querystring": query_without_page(request),
        "counts": [(s, Application.Status(s).label, counts[s]) for s in STATUS_ORDER if s in counts],
        "can_export": has_perm(request.user, "application.export"),
    })  # fmt: skip


def call_export(request, pk):
    require(request.user, "application.export")
    call, _form, _status, applications = _queue(request, pk)
    return xlsx_response(
        request,
        list_name="policies.call_applications",
        title=_("申报列表"),
        filename=f"{call.code}-applications.xlsx",
        columns=call_exports.applications_columns(call),
        rows=applications.prefetch_related("materials"),
        target=call,
    )


# Applications ----------------------------------------------------------------------------------------


def _material_rows(application: Application) -> list[dict]:
    files: dict[str, list] = {}
    for material in application.materials.all():
        files.setdefault(material.item, []).append(material)
    return [{**item, "files": files.get(item["key"], [])} for item in application.call.materials]


def _values(application: Application) -> list[dict]:
    return [
        {"key": f["key"], "label": f["label"], "value": application.data.get(f["key"]), "required": f.get("required")}
        for f in application.call.form_fields
    ]


def application(request, pk):
    user = request.user
    app = selectors.application_scoped(user=user, pk=pk)
    call = app.call
    can_edit = has_perm(user, "application.edit", app) and app.status in services.EDITABLE
    form = None
    status = 200
    if can_edit:
        form = ApplicationForm(request.POST or None, form_fields=call.form_fields, initial=app.data)
        if request.method == "POST":
            submit = "submit" in request.POST
            if form.is_valid():
                try:
                    with transaction.atomic():
                        services.application_save(actor=user, application=app, data=form.service_data())
                        if submit:
                            services.application_transition(actor=user, application=app, action="submit",
                                                            expected_status=app.status)  # fmt: skip
                except ValidationError as exc:
                    _form_errors(request, form, exc)
                else:
                    messages.success(request, _("申报已提交,等待镇级预审") if submit else _("申报草稿已保存"))
                    return redirect("policies:application", pk=app.pk)
            status = 400
    elif request.method == "POST":
        require(user, "application.edit", app)
        messages.error(request, _("申报已提交(%(status)s),不能修改") % {"status": app.get_status_display()})
        return redirect("policies:application", pk=app.pk)
    actions = [
        {"action": action, "label": TRANSITION_LABELS[action], "comment_required": action in services.COMMENT_REQUIRED}
        for action, (sources, _target, permission) in services.APPLICATION_TRANSITIONS.items()
        if action != "submit" and app.status in sources and has_perm(user, permission, app)
    ]
    context = {
        "application": app,
        "call": call,
        "form": form,
        "can_edit": can_edit,
        "can_submit": can_edit and call.is_open_on(timezone.localdate()),
        "values": _values(app),
        "materials": _material_rows(app),
        "material_form": MaterialForm(materials=call.materials) if can_edit and call.materials else None,
        "timeline": selectors.application_timeline(application=app),
        "rows": presentation.explanation_rows(app.explanation) if app.explanation else [],
        "actions": actions,
        "transition_form": TransitionForm(initial={"expected_status": app.status}) if actions else None,
        "is_officer": not has_perm(user, "application.edit"),
    }
    return render(request, "policies/calls/application.html", context, status=status)


TRANSITION_LABELS = {
    "return": gettext_lazy("退回修改"),
    "recommend": gettext_lazy("推荐"),
    "not_recommend": gettext_lazy("不推荐"),
    "approve": gettext_lazy("区级通过"),
    "reject": gettext_lazy("区级不通过"),
}


def _form_errors(request, form, exc: ValidationError) -> None:
    """Field errors on their inputs; the rest (materials, status) as messages above the form."""
    if not hasattr(exc, "error_dict"):
        messages.error(request, error_text(exc))
        return
    for field, msgs in exc.message_dict.items():
        if field in form.fields:
            form.add_error(field, msgs)
        else:
            messages.error(request, " ".join(msgs))


@require_POST
def application_transition(request, pk):
    app = selectors.application_scoped(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无效的操作"))
        return redirect("policies:application", pk=app.pk)
    data = form.cleaned_data
    try:
        services.application_transition(
            actor=request.user,
            application=app,
            action=data["action"],
            comment=data["comment"],
            expected_status=data["expected_status"] or None,
        )
    except services.ApplicationConflict as exc:  # fmt: skip
        messages.error(request, exc.conflict_message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("操作成功"))
    return redirect("policies:application", pk=app.pk)


@require_POST
def material_upload(request, pk):
    app = selectors.application_scoped(user=request.user, pk=pk)
    require(request.user, "application.edit", app)
    form = MaterialForm(request.POST, request.FILES, materials=app.call.materials)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.application_material_add(actor=request.user, application=app, item=form.cleaned_data["item"],
                                          upload=form.cleaned_data["file"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("材料已上传"))
    return redirect("policies:application", pk=app.pk)


def material_download(request, pk):
    material = get_scoped(
        request.user, "application.view", ApplicationMaterial.objects.select_related("application"), pk=pk
    )
    return download(material.file.open("rb"), filename=material.name)
