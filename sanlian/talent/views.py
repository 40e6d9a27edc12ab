"""Pages of applicants, employers, the town's pre-review and the district's reviewers.

Parse input → one service or selector call → render. Officers' round, notice and list pages live in
officer_views.py; certificates and benefits in certificate_views.py; ambassadors in ambassador_views.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download
from sanlian.core.forms import apply_service_errors, error_text
from sanlian.core.models import Role
from sanlian.core.permissions import get_scoped, has_perm, require
from sanlian.core.reveals import revealed
from sanlian.enterprises.selectors import enterprise_by_uscc

from . import presentation, selectors
from .forms import ApplicationForm, MaterialForm, MoveForm, ScoreForm, StartForm, TieForm
from .models import ApplicationMaterial, ReviewAssignment, Round, Route
from .services import applications as services
from .services import reviews as review_services

Status = services.Status
# The buttons each side sees, in order: action → (label, style, asks for a comment).
BUTTONS = {
    "send_to_employer": (gettext_lazy("提交单位确认"), "primary", False),
    "submit": (gettext_lazy("确认并报送"), "primary", False),
    "employer_return": (gettext_lazy("退回修改"), "secondary", True),
    "town_approve": (gettext_lazy("预审通过"), "primary", False),
    "town_return": (gettext_lazy("退回修改"), "secondary", True),
    "town_reject": (gettext_lazy("预审不通过"), "danger", True),
    "approve": (gettext_lazy("认定"), "primary", False),
    "reject": (gettext_lazy("不予认定"), "danger", True),
    "withdraw": (gettext_lazy("撤回申报"), "secondary", False),
}


def home(request):
    user = request.user
    if not (has_perm(user, "talent_application.view") or has_perm(user, "talent_round.view")):
        raise PermissionDenied
    context = {
        "rounds": selectors.open_rounds(),
        "can_apply": has_perm(user, "talent_application.edit"),
        "is_officer": user.is_officer,
    }
    if user.is_officer:
        context["queue"] = selectors.officer_queue(user)[:50]
    else:
        context["applications"] = selectors.my_applications(user)[:100]
    return render(request, "talent/home.html", context)


def apply(request, year):
    require(request.user, "talent_application.edit")
    round_ = get_object_or_404(Round.objects.prefetch_related("levels"), year=year, status=Round.Status.OPEN)
    is_talent = request.user.role == Role.TALENT
    form = StartForm(request.POST or None, round_=round_, choose_employer=is_talent)
    if request.method == "POST" and form.is_valid():
        employer = None
        if is_talent:
            employer = enterprise_by_uscc(form.cleaned_data["employer"])
            if employer is None:
                form.add_error("employer", _("未找到该统一社会信用代码对应的企业,请确认单位已在平台登记"))
        if form.is_valid():
            try:
                application = services.application_start(
                    actor=request.user, round_=round_, level=round_.levels.get(code=form.cleaned_data["level"]),
                    employer=employer,
                )  # fmt: skip
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已创建申报草稿,请填写申报表并上传材料"))
                return redirect("talent:application", pk=application.pk)
    status = 400 if form.is_bound else 200
    return render(request, "talent/apply.html", {"round": round_, "form": form}, status=status)


def application(request, pk):
    user = request.user
    application = selectors.application_for(user, pk)
    editable = _can_edit(user, application)
    form = ApplicationForm(request.POST or None, application=application) if editable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.application_save(actor=user, application=application, data=form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("talent:application", pk=application.pk)
    check = services.application_check(application, today=timezone.localdate(), for_submission=False)
    context = {
        "application": application,
        "round": application.round,
        "form": form,
        "material_form": MaterialForm(round_=application.round) if editable else None,
        "materials": _materials(application),
        "masked": selectors.masked(application),
        "can_reveal": has_perm(user, "talent_application.reveal", application),
        "check": check,
        "education": presentation.education(application),
        "check_rows": presentation.check_rows(
            check.explanation, {t["code"]: t["name"] for t in application.round.types}
        ),
        "events": _timeline(application),
        "buttons": _buttons(user, application),
        "reviews": selectors.reviews_visible(user, application),
        "can_assign": application.status == Status.DISTRICT_REVIEW
        and has_perm(user, "talent_application.assign", application),
        "reviewers": selectors.reviewers_for(application),
        "can_delete": application.status == Status.WITHDRAWN,
        "route_label": Route(application.route).label,
        "type_label": presentation.type_names(application.round).get(application.talent_type, ""),
    }
    return render(request, "talent/application.html", context, status=400 if form and form.errors else 200)


# What each step is called on the applicant's timeline.
STEP_NAMES = {
    "create": gettext_lazy("创建申报"),
    "send_to_employer": gettext_lazy("提交单位确认"),
    "submit": gettext_lazy("单位确认并报送"),
    "employer_return": gettext_lazy("单位退回修改"),
    "town_approve": gettext_lazy("镇级预审通过"),
    "town_return": gettext_lazy("镇级退回修改"),
    "town_reject": gettext_lazy("镇级预审不通过"),
    "scored": gettext_lazy("区级评审完成"),
    "notice": gettext_lazy("进入公示"),
    "approve": gettext_lazy("认定"),
    "reject": gettext_lazy("不予认定"),
    "withdraw": gettext_lazy("撤回"),
}


def _timeline(application) -> list[dict]:
    rows = []
    for event in application.events.select_related("actor"):
        moved = event.to_status and event.to_status != event.from_status and event.to_status in Status.values
        rows.append({
            "event": event,
            "action": STEP_NAMES.get(event.action, event.action),
            "status_label": Status(event.to_status).label if moved else "",
        })  # fmt: skip
    return rows


def _can_edit(user, application) -> bool:
    if not has_perm(user, "talent_application.edit", application):
        return False
    if user.role == Role.TALENT and application.applicant_id != user.pk:
        return False
    allowed = services.EDITABLE if user.role == Role.TALENT else services.HR_EDITABLE
    return application.status in allowed


def _materials(application) -> list[dict]:
    uploaded: dict[str, list] = {}
    for material in application.materials.all():
        uploaded.setdefault(material.item, []).append(material)
    return [
        {**item, "files": uploaded.get(item["key"], [])}
        for item in application.round.materials
        if application.is_founder or not item.get("founders_only")
    ]


def _buttons(user, application) -> list[dict]:
    buttons = []
    for action, (label, style, needs_comment) in BUTTONS.items():
        sources, _target, permission = services.TRANSITIONS[action]
        if application.status not in sources or not has_perm(user, permission, application):
            continue
        if user.role == Role.TALENT and action not in services.TALENT_ACTIONS:
            continue
        if action == "send_to_employer" and user.role != Role.TALENT:
            continue
        buttons.append({"action": action, "label": label, "style": style, "comment": needs_comment})
    return buttons


@require_POST
def application_move(request, pk):
    application = selectors.application_for(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return redirect("talent:application", pk=pk)
    try:
        services.application_transition(
            actor=request.user, application=application, action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"], expected_status=form.cleaned_data["expected_status"] or None,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("操作成功"))
    if form.cleaned_data["action"] == "withdraw" or not has_perm(request.user, "talent_application.view", application):
        return redirect("talent:home")
    return redirect("talent:application", pk=pk)


@require_POST
def material_upload(request, pk):
    application = selectors.application_for(request.user, pk)
    form = MaterialForm(request.POST, request.FILES, round_=application.round)
    if not form.is_valid():
        messages.error(request, _("请选择材料并上传文件"))
        return redirect("talent:application", pk=pk)
    try:
        services.application_material_add(
            actor=request.user,
            application=application,
            item=form.cleaned_data["item"],
            upload=form.cleaned_data["file"],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("材料已上传"))
    return redirect("talent:application", pk=pk)


def material(request, pk):
    material = get_scoped(
        request.user, "talent_application.view", ApplicationMaterial.objects.select_related("application"), pk=pk
    )
    return download(material.file.open("rb"), filename=material.name)


@require_POST
def reveal(request, pk, field):
    application = selectors.application_for(request.user, pk)
    try:
        value = services.application_reveal(actor=request.user, application=application, field_name=field)
    except ValidationError as exc:
        return HttpResponse(escape(error_text(exc)), status=400)
    return revealed(value)


@require_POST
def application_delete(request, pk):
    application = selectors.application_for(request.user, pk)
    try:
        services.application_delete(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("talent:application", pk=pk)
    messages.success(request, _("申报及其个人信息和材料已删除"))
    return redirect("talent:home")


@require_POST
def review_assign(request, pk):
    application = selectors.application_for(request.user, pk)
    reviewer = selectors.reviewers_for(application).filter(pk=request.POST.get("reviewer") or 0).first()
    if reviewer is None:
        messages.error(request, _("请选择评审人"))
        return redirect("talent:application", pk=pk)
    try:
        review_services.review_assign(actor=request.user, application=application, reviewer=reviewer)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已分配评审人:%(name)s") % {"name": reviewer})
    return redirect("talent:application", pk=pk)


def reviews(request):
    require(request.user, "talent_application.score")
    return render(request, "talent/reviews.html", {"assignments": selectors.assignments_of(request.user)})


def review(request, pk):
    assignment = selectors.assignment_for(request.user, pk)
    application = assignment.application
    form = ScoreForm(request.POST or None, round_=application.round)
    if request.method == "POST":
        if request.POST.get("recuse"):
            return _recuse(request, assignment)
        if form.is_valid():
            try:
                review_services.review_submit(
                    actor=request.user,
                    assignment=assignment,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("评分已提交"))
                return redirect("talent:reviews")
    context = {
        "assignment": assignment,
        "application": application,
        "form": form,
        "pending": assignment.status == ReviewAssignment.Status.PENDING,
        "type_label": presentation.type_names(application.round).get(application.talent_type, ""),
    }
    return render(request, "talent/review.html", context, status=400 if form.errors else 200)


def _recuse(request, assignment):
    try:
        review_services.review_recuse(actor=request.user, assignment=assignment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("talent:review", pk=assignment.pk)
    messages.success(request, _("已回避,该单位的申报今后不会再分配给您"))
    return redirect("talent:reviews")


def ties(request):
    require(request.user, "talent_application.score")
    form = TieForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = enterprise_by_uscc(form.cleaned_data["uscc"])
        if enterprise is None:
            form.add_error("uscc", _("未找到该统一社会信用代码对应的企业"))
        else:
            review_services.reviewer_tie_declare(
                actor=request.user, enterprise=enterprise, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("已登记回避关系"))
            return redirect("talent:ties")
    declared = request.user.talent_ties.select_related("enterprise").order_by("-declared_at")
    return render(request, "talent/ties.html", {"form": form, "ties": declared}, status=400 if form.errors else 200)
