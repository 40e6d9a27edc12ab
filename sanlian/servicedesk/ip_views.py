"""Pages of the IP portfolio (知识产权): the list in scope, one enterprise's portfolio, add/edit/lapse,
and the officers' .xlsx import with its dry run and downloadable error report.

Parse input → one service or selector call → render.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import has_perm, require

from . import exports, ip_import
from . import ip_selectors as selectors
from .ip_forms import IPAssetForm, IPFilterForm, IPImportForm
from .services import ip as services

PER_PAGE = 50
REPORT_SESSION_KEY = "ip_import_report"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _can_set_expiry(user) -> bool:
    return has_perm(user, "ip.import")  # officers


def ip_list(request):
    user = request.user
    require(user, "ip.view")
    form = IPFilterForm(request.GET or None)
    assets = selectors.ip_assets_visible(user, **form.filters())
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="servicedesk.ip", title=_("知识产权"), filename=_("知识产权") + ".xlsx",
            columns=exports.ip_columns(), rows=assets,
        )  # fmt: skip
    page = IdsFirstPaginator(assets, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "servicedesk/ip/list.html", {
        "form": form, "page": page, "querystring": query_without_page(request),
        "can_import": has_perm(user, "ip.import"),
    })  # fmt: skip


def ip_portfolio(request, enterprise_id):
    user = request.user
    enterprise = selectors.enterprise_for_ip(user, enterprise_id)
    form = IPFilterForm(request.GET or None)
    filters = form.filters()
    assets = selectors.portfolio(enterprise, kind=filters["kind"], status=filters["status"])
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="servicedesk.ip_portfolio", title=_("知识产权"),
            filename=f"ip-{enterprise.uscc}.xlsx", columns=exports.ip_columns(), rows=assets, target=enterprise,
        )  # fmt: skip
    page = IdsFirstPaginator(assets, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "servicedesk/ip/portfolio.html", {
        "enterprise": enterprise, "form": form, "page": page, "querystring": query_without_page(request),
        "summary": selectors.portfolio_summary(enterprise.pk, as_of=timezone.localdate()),
        "can_edit": has_perm(user, "ip.edit", enterprise),
    })  # fmt: skip


def ip_new(request, enterprise_id):
    user = request.user
    enterprise = selectors.enterprise_for_ip(user, enterprise_id, "ip.edit")
    form = IPAssetForm(request.POST or None, request.FILES or None, can_set_expiry=_can_set_expiry(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.ip_asset_add(
                actor=user, enterprise=enterprise, data=form.service_data(),
                certificate=form.cleaned_data.get("certificate"), now=timezone.now(),
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已添加知识产权"))
            return redirect("servicedesk:ip-portfolio", enterprise_id=enterprise.pk)
    return render(request, "servicedesk/ip/form.html", {"form": form, "enterprise": enterprise, "asset": None},
                  status=400 if form.errors else 200)  # fmt: skip


def ip_edit(request, pk):
    user = request.user
    asset = selectors.ip_asset_for(user, pk, "ip.edit")
    initial = {field: getattr(asset, field) for field in (*services.FIELDS, "expiry_date")}
    form = IPAssetForm(
        request.POST or None, request.FILES or None, initial=initial, can_set_expiry=_can_set_expiry(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ip_asset_edit(
                actor=user, asset=asset, data=form.service_data(),
                certificate=form.cleaned_data.get("certificate"), now=timezone.now(),
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("servicedesk:ip-portfolio", enterprise_id=asset.enterprise_id)
    return render(request, "servicedesk/ip/form.html", {"form": form, "enterprise": asset.enterprise, "asset": asset},
                  status=400 if form.errors else 200)  # fmt: skip


def ip_certificate(request, pk):
    """The certificate scan, for those who may see the asset (404 otherwise)."""
    asset = selectors.ip_asset_for(request.user, pk)
    if not asset.certificate:
        raise Http404
    name = f"{asset.number}{asset.certificate.name[asset.certificate.name.rfind('.') :]}"
    return download(asset.certificate.open("rb"), filename=name)


@require_POST
def ip_lapse(request, pk):
    asset = selectors.ip_asset_for(request.user, pk, "ip.edit")
    try:
        services.ip_asset_lapse(actor=request.user, asset=asset, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已标记为失效"))
    return redirect("servicedesk:ip-portfolio", enterprise_id=asset.enterprise_id)


def ip_import_page(request):
    user = request.user
    require(user, "ip.import")
    form = IPImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = ip_import.ip_import(
                actor=user, data=form.cleaned_data["file"].read(), dry_run=form.cleaned_data["dry_run"],
                partial=form.cleaned_data["partial"], now=timezone.now(),
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            request.session[REPORT_SESSION_KEY] = report.as_dict()
    status = 400 if form.errors else 200
    return render(request, "servicedesk/ip/import.html", {"form": form, "report": report}, status=status)


def ip_import_errors(request):
    """The last import report's row errors as .xlsx (kept in the officer's session)."""
    require(request.user, "ip.import")
    saved = request.session.get(REPORT_SESSION_KEY) or {"dry_run": True, "errors": []}
    report = ip_import.ImportReport(
        dry_run=saved["dry_run"], errors=[ip_import.RowError(**error) for error in saved["errors"]]
    )
    return download(ip_import.error_workbook(report), filename="ip-import-errors.xlsx", content_type=XLSX)


def ip_import_template(request):
    require(request.user, "ip.import")
    return download(ip_import.template_workbook(), filename="ip-import-template.xlsx", content_type=XLSX)
