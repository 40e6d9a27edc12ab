"""Certificate and benefit pages, and the public verification page: parse input → one call → render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import get_scoped, has_perm, require

from . import certificate_selectors as selectors
from . import documents, exports
from .models import Benefit, Certificate, TalentApplication
from .services import benefits as benefit_services
from .services import certificates as certificate_services

PER_PAGE = 25
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CERTIFICATES = Certificate.objects.select_related(
    "application", "application__round", "application__level", "application__employer", "application__employer__town"
)


# Forms (they parse; the services validate for real) ----------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤销原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class BenefitRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("待遇类型"))
    amount = forms.DecimalField(
        label=gettext_lazy("申请金额(元)"),
        required=False,
        max_digits=16,
        decimal_places=2,
        help_text=gettext_lazy("购房补贴填总额,租房补贴填每月金额;子女入学、医疗绿色通道无需填写"),
    )
    note = forms.CharField(label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, Benefit.Kind(k).label) for k in kinds]


class BenefitDecideForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in benefit_services.BENEFIT_TRANSITIONS])
    amount = forms.DecimalField(label=gettext_lazy("金额(元)"), required=False, max_digits=16, decimal_places=2)
    paid_date = forms.DateField(label=gettext_lazy("发放日期"), required=False, widget=DATE)
    note = forms.CharField(label=gettext_lazy("意见"), required=False, max_length=1000)


class BenefitFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False, choices=[("", gettext_lazy("全部"))] + Benefit.Status.choices
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("待遇类型"), required=False, choices=[("", gettext_lazy("全部"))] + Benefit.Kind.choices
    )


# Certificates ----------------------------------------------------------------------------------------------


def certificate_list(request):
    require(request.user, "certificate.view")
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="talent.certificates", title=_("人才证书"), filename=_("人才证书") + ".xlsx",
            columns=exports.certificates_columns(), rows=selectors.certificates_for_user(request.user),
        )  # fmt: skip
    page = IdsFirstPaginator(selectors.certificates_for_user(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "talent/certificates/list.html", {"page": page, "querystring": ""})


def _decide_actions(user, benefit: Benefit) -> list[tuple[str, str]]:
    if not has_perm(user, "benefit.decide", benefit):
        return []
    labels = benefit_services.ACTION_LABELS
    return [
        (action, labels[action])
        for action, (sources, _target) in benefit_services.BENEFIT_TRANSITIONS.items()
        if benefit.status in sources
    ]


def _benefit_rows(user, benefits) -> list[dict]:
    return [{"benefit": b, "actions": _decide_actions(user, b)} for b in benefits]


def _offers(level) -> list[str]:
    """The level's benefits as short phrases ("购房补贴 ≤ 500,000.00 元")."""
    phrases = []
    for kind in selectors.benefit_kinds_offered(level):
        cap = selectors.benefit_cap(level, kind)
        label = Benefit.Kind(kind).label
        if cap is None:
            phrases.append(str(label))
        elif kind == Benefit.Kind.RENT:
            phrases.append(_("%(kind)s ≤ %(cap)s 元/月") % {"kind": label, "cap": f"{cap:,.2f}"})
        else:
            phrases.append(_("%(kind)s ≤ %(cap)s 元") % {"kind": label, "cap": f"{cap:,.2f}"})
    return phrases


def certificate_detail(request, pk):
    user = request.user
    certificate = get_scoped(user, "certificate.view", CERTIFICATES, pk=pk)
    application = certificate.application
    live = certificate.revoked_at is None
    verify_url = documents.verify_url(certificate.token)
    context = {
        "certificate": certificate,
        "application": application,
        "content": documents.certificate_content(certificate, verify_url),
        "verify_url": verify_url,
        "offers": _offers(application.level),
        "rows": _benefit_rows(user, selectors.benefits_for_application(application)),
        "can_revoke": live and has_perm(user, "certificate.revoke", certificate),
        "can_request": live
        and application.status == TalentApplication.Status.APPROVED
        and has_perm(user, "benefit.request", application)
        and bool(selectors.benefit_kinds_offered(application.level)),
        "today": timezone.localdate(),
        "next": request.get_full_path(),
    }
    return render(request, "talent/certificates/detail.html", context)


def certificate_pdf(request, pk):
    certificate = get_scoped(request.user, "certificate.view", CERTIFICATES, pk=pk)
    if certificate.revoked_at is not None:
        messages.error(request, _("该证书已撤销,不再提供下载"))
        return redirect("talent:certificate", pk=certificate.pk)
    content = certificate_services.certificate_pdf(
        certificate=certificate, verify_url=documents.verify_url(certificate.token)
    )
    return download(content, filename=f"{certificate.number}.pdf", content_type="application/pdf")


def certificate_revoke(request, pk):
    certificate = get_scoped(request.user, "certificate.revoke", CERTIFICATES, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_services.certificate_revoke(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("证书 %(number)s 已撤销") % {"number": certificate.number})
            return redirect("talent:certificate", pk=certificate.pk)
    return render(
        request,
        "talent/certificates/revoke.html",
        {"certificate": certificate, "form": form},
        status=400 if form.is_bound else 200,
    )


# Benefits ----------------------------------------------------------------------------------------------------


def benefit_list(request):
    user = request.user
    require(user, "benefit.view")
    form = BenefitFilterForm(request.GET or None)
    status = kind = ""
    if form.is_valid():
        status, kind = form.cleaned_data["status"], form.cleaned_data["kind"]
    benefits = selectors.benefits_for_officer(user, status=status or None, kind=kind or None)
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="talent.benefits", title=_("人才待遇"), filename=_("人才待遇") + ".xlsx",
            columns=exports.benefits_columns(), rows=benefits,
        )  # fmt: skip
    page = IdsFirstPaginator(benefits, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "talent/certificates/benefits.html", {
        "form": form, "page": page, "rows": _benefit_rows(user, page.object_list),
        "querystring": query_without_page(request), "next": request.get_full_path(),
        "today": timezone.localdate(), "can_decide": has_perm(user, "benefit.decide"),
    })  # fmt: skip


def benefit_request(request, pk):
    user = request.user
    application = get_scoped(
        user,
        "benefit.request",
        TalentApplication.objects.select_related("level", "round", "employer"),
        pk=pk,
    )
    certificate = Certificate.objects.filter(application=application).first()
    kinds = selectors.benefit_kinds_offered(application.level)
    blocked = ""
    if application.status != TalentApplication.Status.APPROVED or certificate is None:
        blocked = _("只有已认定并已颁发证书的人才才能申请待遇")
    elif certificate.revoked_at is not None:
        blocked = _("该人才证书已撤销,不能申请待遇")
    elif not kinds:
        blocked = _("「%(level)s」层次未设待遇") % {"level": application.level.name}
    form = BenefitRequestForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and not blocked and form.is_valid():
        data = form.cleaned_data
        try:
            benefit_services.benefit_request(
                actor=user,
                application=application,
                kind=data["kind"],
                amount=data["amount"],
                note=data["note"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("待遇申请已提交,等待审批"))
            return redirect("talent:certificate", pk=certificate.pk)
    return render(
        request,
        "talent/certificates/benefit_request.html",
        {"application": application, "certificate": certificate, "form": form, "blocked": blocked},
        status=400 if form.is_bound else 200,
    )


@require_POST
def benefit_decide(request, pk):
    benefit = get_scoped(request.user, "benefit.decide", Benefit.objects.select_related("application"), pk=pk)
    form = BenefitDecideForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("talent:benefits")
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect(next_url)
    data = form.cleaned_data
    try:
        benefit_services.benefit_transition(
            actor=request.user,
            benefit=benefit,
            action=data["action"],
            amount=data["amount"],
            paid_date=data["paid_date"],
            note=data["note"],
            now=timezone.now(),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("操作成功"))
    return redirect(next_url)


# The public verification page --------------------------------------------------------------------------------


@login_not_required
@never_cache
def verify(request, token):
    """What anybody scanning a certificate's QR code sees: masked name, level, year, valid or revoked."""
    data = selectors.certificate_public(token)
    if data is None:
        response = render(request, "talent/certificates/verify_missing.html", status=404)
    else:
        response = render(request, "talent/certificates/verify.html", {"data": data})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
