"""Pages of the organisations (社群组织): the public list and about pages, the member directory, and the
managers' pages (applications, members, documents). Parse → one service or selector call → render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text, flash_outcome
from sanlian.core.masking import mask_phone
from sanlian.core.models import Role
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import ACTIONS, has_perm
from sanlian.core.reveals import revealed

from . import org_selectors as selectors
from .models import JoinApplication, MemberRole
from .org_exports import applications_columns, members_columns, organisations_columns
from .org_forms import ApplyForm, DirectoryFilterForm, DocumentForm, RemoveForm, RoleForm
from .services import memberships, org_documents

PER_PAGE = 30


def explained(view):
    """Answer a refusal with a 403 page that says why (e.g. 'you manage only your own organisation')."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            # The permission layer's refusals carry only the action's code; ours carry a sentence.
            reason = str(exc) if str(exc) and str(exc) not in ACTIONS else _("您无权执行该操作")
            return render(request, "community/orgs/refused.html", {"reason": reason}, status=403)

    return wrapper


@login_not_required
def org_list(request):
    organisations = selectors.organisation_list()
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="orgs.list", title=_("社群组织"), filename=_("社群组织") + ".xlsx",
            columns=organisations_columns(), rows=organisations,
        )  # fmt: skip
    return render(request, "community/orgs/list.html", {"organisations": organisations})


@login_not_required
def org_detail(request, code):
    user = request.user
    organisation = selectors.organisation_by_code(code)
    manager = selectors.can_manage(user, organisation)
    context = {
        "organisation": organisation,
        "leaders": selectors.leaders(organisation),
        "member_count": selectors.active_members(organisation).count(),
        "documents": selectors.visible_documents(user, organisation),
        "membership": selectors.membership_of(user, organisation),
        "my_applications": selectors.own_applications(user, organisation)[:5],
        "can_apply": has_perm(user, "organisation.apply"),
        "can_manage": manager,
        "pending": selectors.pending_count(organisation) if manager else 0,
    }
    return render(request, "community/orgs/detail.html", context)


@explained
def apply(request, code):
    user = request.user
    if not has_perm(user, "organisation.apply"):
        raise PermissionDenied(_("仅企业用户和人才可以申请入会"))
    organisation = selectors.organisation_by_code(code)
    as_enterprise = user.role == Role.ENTERPRISE_ADMIN and bool(user.enterprise_id)
    initial = {
        "kind": "enterprise" if as_enterprise else "person",
        "person_name": user.display_name,
        "employer": user.enterprise.name if user.enterprise_id else "",
    }
    form = ApplyForm(request.POST or None, initial=initial, as_enterprise=as_enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            memberships.join_application_submit(
                actor=user, organisation=organisation, kind=form.cleaned_data["kind"],
                statement=form.cleaned_data["statement"], person=form.person(), now=timezone.now(),
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("入会申请已提交,请等待组织秘书审核"))
            return redirect("orgs:detail", code=organisation.code)
    context = {"organisation": organisation, "form": form, "enterprise": user.enterprise if as_enterprise else None}
    return render(request, "community/orgs/apply.html", context, status=400 if form.errors else 200)


@require_POST
def withdraw(request, pk):
    application = selectors.own_application(request.user, pk)
    with flash_outcome(request, success=_("申请已撤回")):
        memberships.join_application_transition(
            actor=request.user, application=application, action="withdraw", now=timezone.now()
        )
    return redirect("orgs:detail", code=application.organisation.code)


@explained
def members(request, code):
    user = request.user
    organisation = selectors.organisation_by_code(code)
    if not selectors.can_see_members(user, organisation):
        raise PermissionDenied(_("会员名录仅向本组织会员和管理者开放"))
    manager = selectors.can_manage(user, organisation)
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.member_directory(organisation, query=filters.get("q", ""), kind=filters.get("kind", ""))
    if wants_xlsx(request):
        return _export(request, organisation, rows, manager)
    page = IdsFirstPaginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    if manager:
        for member in page:
            member.masked_mobile = mask_phone(member.mobile or "")
    context = {
        "organisation": organisation, "form": form, "page": page, "querystring": query_without_page(request),
        "can_manage": manager, "roles": MemberRole.choices, "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "community/orgs/members.html", context)


def _export(request, organisation, rows, manager):
    if not manager:
        raise PermissionDenied(_("仅组织管理者可以导出会员名录"))
    return xlsx_response(
        request,
        list_name="orgs.members",
        title=_("会员名录"),
        filename=f"members-{organisation.code}-{timezone.localdate():%Y%m%d}.xlsx",
        columns=members_columns(),
        rows=rows,
        target=organisation,
    )


@explained
@require_POST
def member_role(request, pk):
    member = selectors.member_to_manage(request.user, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择会内职务"))
    else:
        with flash_outcome(request, success=_("会内职务已更新")):
            memberships.member_change_role(
                actor=request.user, member=member, role=form.cleaned_data["role"], now=timezone.now()
            )
    return redirect("orgs:members", code=member.organisation.code)


@explained
@require_POST
def member_remove(request, pk):
    member = selectors.member_to_manage(request.user, pk)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的退会日期"))
    else:
        with flash_outcome(request, success=_("已办理退会")):
            memberships.member_remove(
                actor=request.user, member=member, left_date=form.cleaned_data["left_date"], now=timezone.now()
            )
    return redirect("orgs:members", code=member.organisation.code)


@explained
def applications(request, code):
    organisation = selectors.managed_organisation(request.user, code)
    status = request.GET.get("status", JoinApplication.Status.PENDING)
    rows = selectors.application_queue(organisation, status=status)
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="orgs.applications", title=_("入会申请"),
            filename=f"applications-{organisation.code}.xlsx", columns=applications_columns(), rows=rows,
            target=organisation,
        )  # fmt: skip
    page = IdsFirstPaginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation, "page": page, "status": status, "statuses": JoinApplication.Status.choices,
        "querystring": query_without_page(request), "roles": MemberRole.choices,
    }  # fmt: skip
    return render(request, "community/orgs/applications.html", context)


@explained
@require_POST
def decide(request, pk):
    application = selectors.application_to_decide(request.user, pk)
    action = request.POST.get("action", "")
    success = _("已通过,已加入会员名录") if action == "approve" else _("已退回申请")
    try:
        memberships.join_application_transition(
            actor=request.user, application=application, action=action, now=timezone.now(),
            role=request.POST.get("role") or MemberRole.MEMBER, comment=request.POST.get("comment", ""),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect("orgs:applications", code=application.organisation.code)


@explained
def documents(request, code):
    user = request.user
    organisation = selectors.managed_organisation(user, code)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            org_documents.org_document_add(
                actor=user, organisation=organisation, title=form.cleaned_data["title"],
                visibility=form.cleaned_data["visibility"], upload=form.cleaned_data["file"], now=timezone.now(),
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("文件已上传"))
            return redirect("orgs:documents", code=organisation.code)
    context = {"organisation": organisation, "form": form, "documents": organisation.documents.all()}
    return render(request, "community/orgs/documents.html", context, status=400 if form.errors else 200)


@explained
@require_POST
def document_remove(request, pk):
    document = selectors.document_to_manage(request.user, pk)
    code = document.organisation.code
    with flash_outcome(request, success=_("文件已删除")):
        org_documents.org_document_remove(actor=request.user, document=document, now=timezone.now())
    return redirect("orgs:documents", code=code)


@login_not_required
def document_download(request, pk):
    document = selectors.document_for(request.user, pk)
    return download(document.file.open("rb"), filename=document.name)


@explained
@require_POST
def member_reveal(request, pk):
    member = selectors.member_to_manage(request.user, pk)
    value = memberships.member_reveal(actor=request.user, member=member, now=timezone.now())
    return revealed(value)
