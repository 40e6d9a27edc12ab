"""Global talent ambassador pages: parse input → one service or selector call → render.

Officers list, appoint and edit the ambassadors of their region, follow each one's leads and see the
leaderboard; an ambassador works on their own leads ("我的线索") and downloads their letter.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text
from sanlian.core.pagination import query_without_page
from sanlian.core.permissions import has_perm, require
from sanlian.enterprises.selectors import enterprise_by_uscc, towns_for

from . import ambassador_selectors as selectors
from . import exports
from .documents_letters import appointment_letter_pdf
from .models import Ambassador, Lead
from .services import ambassadors as services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PAGE_SIZE = 25


# Forms (they parse input; the services validate for real) -------------------------------------------


class AmbassadorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=64)
    organisation = forms.CharField(label=gettext_lazy("所在机构"), max_length=200, required=False)
    field = forms.CharField(label=gettext_lazy("领域"), max_length=100, help_text=gettext_lazy("如:基因治疗、医疗器械"))
    overseas_region = forms.CharField(label=gettext_lazy("联络地区"), max_length=100,
                                      help_text=gettext_lazy("如:北美、欧洲、新加坡"))  # fmt: skip
    town = forms.ModelChoiceField(label=gettext_lazy("聘任镇(街道)"), queryset=None, to_field_name="code")
    appointed_date = forms.DateField(label=gettext_lazy("聘任日期"), widget=DATE)
    term_start_date = forms.DateField(label=gettext_lazy("任期开始"), widget=DATE)
    term_end_date = forms.DateField(label=gettext_lazy("任期结束"), widget=DATE)
    username = forms.CharField(label=gettext_lazy("登录用户名"), max_length=150, required=False,
                               help_text=gettext_lazy("填写后为大使开通登录账号;不填则暂不开通"))  # fmt: skip
    email = forms.EmailField(label=gettext_lazy("邮箱"), required=False)
    password = forms.CharField(label=gettext_lazy("初始密码"), required=False, strip=False,
                               widget=forms.PasswordInput(render_value=False),
                               help_text=gettext_lazy("不填则账号暂无可用密码,需通过重置密码设置"))  # fmt: skip

    def __init__(self, *args, towns, ambassador: Ambassador | None = None, **kwargs):
        if ambassador is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(ambassador, name) for name in ("name", "organisation", "field", "overseas_region",
                                                                "appointed_date", "term_start_date", "term_end_date")},
                "town": ambassador.town.code,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns
        if ambassador is not None:
            del self.fields["appointed_date"]  # it fixes the letter number
            if ambassador.user_id:
                for name in ("username", "email", "password"):
                    del self.fields[name]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("username", "email", "password"):
            if name in data and not data[name]:
                del data[name]
        return data


class LeadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=Lead.Kind.choices)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100,
                           help_text=gettext_lazy("人才姓名或企业/项目名称"))  # fmt: skip
    field = forms.CharField(label=gettext_lazy("领域"), max_length=100, required=False)
    note = forms.CharField(label=gettext_lazy("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("推进到"), choices=Lead.Status.choices)
    note = forms.CharField(label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    landing = forms.ChoiceField(label=gettext_lazy("落地方式"), required=False,
                                choices=[("", "—")] + list(Lead.Landing.choices))  # fmt: skip
    enterprise_uscc = forms.CharField(label=gettext_lazy("落地企业统一社会信用代码"), max_length=18, required=False,
                                      help_text=gettext_lazy("落地企业须已在企业库登记"))  # fmt: skip
    application = forms.TypedChoiceField(label=gettext_lazy("人才认定"), required=False, coerce=int, empty_value=None,
                                         help_text=gettext_lazy("落地企业已获认定的人才(姓名已脱敏)"))  # fmt: skip
    back = forms.ChoiceField(choices=[("lead", "lead"), ("leads", "leads")], required=False, widget=forms.HiddenInput)

    def __init__(self, *args, lead: Lead, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, Lead.Status(s).label) for s in services.next_statuses(lead.status)]
        self.fields["application"].choices = [("", "—")] + [(a["pk"], a["label"]) for a in applications]


class LeaderboardForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", gettext_lazy("全部年度"))] + [(y, str(y)) for y in years]


# Ambassadors -----------------------------------------------------------------------------------------


def _officer_only(user) -> None:
    if not selectors.is_ambassador_officer(user):
        raise PermissionDenied


def ambassador_list(request):
    user = request.user
    require(user, "ambassador.view")
    if not selectors.is_ambassador_officer(user):
        return redirect("talent:leads")  # an ambassador's own page
    q = request.GET.get("q", "").strip()[:100]
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="talent.ambassadors", title=_("全球引才大使"), filename=_("全球引才大使") + ".xlsx",
            columns=exports.ambassadors_columns(), rows=selectors.ambassadors_visible(user=user, q=q),
        )  # fmt: skip
    page = Paginator(selectors.ambassadors_visible(user=user, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    stats = selectors.stats_by_ambassador(a.pk for a in page.object_list)
    today = timezone.localdate()
    rows = [
        {
            "ambassador": a,
            "stats": stats.get(a.pk, {"leads": 0, "landed": 0, "certified": 0}),
            "in_term": a.term_start_date <= today <= a.term_end_date,
        }
        for a in page.object_list
    ]
    return render(request, "talent/ambassadors/list.html",
                  {"page": page, "rows": rows, "q": q, "querystring": query_without_page(request)})  # fmt: skip


def _ambassador_form(request, ambassador: Ambassador | None = None):
    user = request.user
    form = AmbassadorForm(request.POST or None, towns=towns_for(user=user), ambassador=ambassador)
    if request.method == "POST" and form.is_valid():
        try:
            if ambassador is None:
                saved = services.ambassador_appoint(actor=user, data=form.service_data(), now=timezone.now())
            else:
                saved = services.ambassador_update(actor=user, ambassador=ambassador, data=form.service_data(),
                                                   now=timezone.now())  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if ambassador is None:
                messages.success(request, _("已聘任,聘书编号 %(number)s") % {"number": saved.letter_number})
            else:
                messages.success(request, _("已保存"))
            return redirect("talent:ambassador", pk=saved.pk)
    return render(request, "talent/ambassadors/form.html", {"form": form, "ambassador": ambassador},
                  status=400 if form.is_bound else 200)  # fmt: skip


def ambassador_new(request):
    require(request.user, "ambassador.edit")
    return _ambassador_form(request)


def ambassador_edit(request, pk):
    ambassador = selectors.ambassador_scoped(user=request.user, pk=pk, action="ambassador.edit")
    return _ambassador_form(request, ambassador)


def ambassador_detail(request, pk):
    user = request.user
    ambassador = selectors.ambassador_scoped(user=user, pk=pk)
    status = request.GET.get("status") if request.GET.get("status") in Lead.Status.values else ""
    leads = selectors.leads_of(user=user, ambassador=ambassador, status=status)
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    can_add = has_perm(user, "lead.edit", Lead(ambassador=ambassador))
    return render(request, "talent/ambassadors/detail.html", {
        "ambassador": ambassador, "stats": selectors.ambassador_stats(ambassador), "page": page, "status": status,
        "rows": [{"lead": lead, "quick": []} for lead in page.object_list],
        "statuses": Lead.Status.choices, "querystring": f"status={status}" if status else "",
        "can_edit": has_perm(user, "ambassador.edit", ambassador), "is_officer": selectors.is_ambassador_officer(user),
        "lead_form": LeadForm() if can_add else None,
    })  # fmt: skip


def ambassador_letter(request, pk):
    ambassador = selectors.ambassador_scoped(user=request.user, pk=pk)
    pdf = appointment_letter_pdf(ambassador)
    return download(pdf, filename=f"{ambassador.letter_number}.pdf", content_type="application/pdf")


# Leads ------------------------------------------------------------------------------------------------


def lead_list(request):
    """An ambassador's "我的线索" (with the form to add one); an officer's leads of every ambassador in scope."""
    user = request.user
    require(user, "lead.view")
    status = request.GET.get("status") if request.GET.get("status") in Lead.Status.values else ""
    is_officer = selectors.is_ambassador_officer(user)
    ambassador = None if is_officer else selectors.ambassador_of(user)
    if not is_officer and ambassador is None:
        return render(request, "talent/ambassadors/leads.html", {"no_profile": True})
    leads = selectors.leads_visible(user=user, ambassador=ambassador, status=status)
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="talent.leads", title=_("引才线索"), filename=_("引才线索") + ".xlsx",
            columns=exports.leads_columns(), rows=leads,
        )  # fmt: skip
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"lead": lead, "quick": [s for s in services.next_statuses(lead.status) if s in QUICK_MOVES]}
        for lead in page.object_list
    ]
    return render(request, "talent/ambassadors/leads.html", {
        "ambassador": ambassador, "is_officer": is_officer, "page": page, "rows": rows, "status": status,
        "statuses": Lead.Status.choices, "querystring": f"status={status}" if status else "",
        "stats": selectors.ambassador_stats(ambassador) if ambassador else None,
        "lead_form": LeadForm() if ambassador is not None and has_perm(user, "lead.edit") else None,
    })  # fmt: skip


# Moves that need nothing but a click; landing, certification and dropping ask for more on the lead's page.
QUICK_MOVES = frozenset({Lead.Status.CONTACTED, Lead.Status.VISITED})


def _lead_owner(request) -> Ambassador:
    """The ambassador a new lead belongs to: an officer names one in scope, an ambassador is themself."""
    user = request.user
    require(user, "lead.edit")
    if selectors.is_ambassador_officer(user):
        pk = request.POST.get("ambassador") or request.GET.get("ambassador")
        if not (pk or "").isdigit():
            raise PermissionDenied
        return selectors.ambassador_scoped(user=user, pk=int(pk), action="lead.edit")
    ambassador = selectors.ambassador_of(user)
    if ambassador is None:
        raise PermissionDenied
    return ambassador


def lead_new(request):
    user = request.user
    ambassador = _lead_owner(request)
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.lead_create(actor=user, ambassador=ambassador, data=form.cleaned_data, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("线索「%(name)s」已添加") % {"name": lead.name})
            if selectors.is_ambassador_officer(user):
                return redirect("talent:ambassador", pk=ambassador.pk)
            return redirect("talent:leads")
    return render(request, "talent/ambassadors/lead_form.html", {"form": form, "ambassador": ambassador},
                  status=400 if form.is_bound else 200)  # fmt: skip


def lead_detail(request, pk):
    user = request.user
    lead = selectors.lead_scoped(user=user, pk=pk)
    can_move = has_perm(user, "lead.edit", lead) and bool(services.next_statuses(lead.status))
    move_form = None
    if can_move:
        move_form = MoveForm(lead=lead, applications=selectors.certifiable_applications(lead=lead),
                             initial={"back": "lead"})  # fmt: skip
    return render(request, "talent/ambassadors/lead.html", {
        "lead": lead, "ambassador": lead.ambassador, "events": selectors.lead_events(lead=lead),
        "move_form": move_form, "is_officer": selectors.is_ambassador_officer(user),
    })  # fmt: skip


@require_POST
def lead_move(request, pk):
    user = request.user
    lead = selectors.lead_scoped(user=user, pk=pk, action="lead.edit")
    applications = selectors.certifiable_applications(lead=lead) if lead.status == Lead.Status.LANDED else []
    form = MoveForm(request.POST, lead=lead, applications=applications)
    back = request.POST.get("back") if request.POST.get("back") in ("lead", "leads") else "lead"
    done = redirect("talent:leads") if back == "leads" else redirect("talent:lead", pk=lead.pk)
    if not form.is_valid():
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
        return done
    data = form.cleaned_data
    to_status = data["to_status"]
    enterprise = application = None
    if to_status == Lead.Status.LANDED:
        enterprise = enterprise_by_uscc(data["enterprise_uscc"])
        if data["enterprise_uscc"] and enterprise is None:
            messages.error(request, _("企业库中没有统一社会信用代码为 %(uscc)s 的企业")
                           % {"uscc": data["enterprise_uscc"].strip().upper()})  # fmt: skip
            return done
    if to_status == Lead.Status.CERTIFIED and data["application"] is not None:
        application = next((a["application"] for a in applications if a["pk"] == data["application"]), None)
    try:
        services.lead_transition(
            actor=user,
            lead=lead,
            to_status=to_status,
            note=data["note"],
            landing=(data["landing"] or None) if to_status == Lead.Status.LANDED else None,
            enterprise=enterprise,
            application=application,
            now=timezone.now(),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("线索「%(name)s」已更新为「%(status)s」")
                         % {"name": lead.name, "status": Lead.Status(to_status).label})  # fmt: skip
    return done


# Leaderboard -------------------------------------------------------------------------------------------


def leaderboard(request):
    user = request.user
    _officer_only(user)
    this_year = timezone.localdate().year
    form = LeaderboardForm(request.GET or None, years=range(this_year, this_year - 6, -1))
    year = form.cleaned_data["year"] if form.is_valid() else None
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="talent.leaderboard", title=_("引才排行榜"), filename=_("引才排行榜") + ".xlsx",
            columns=exports.leaderboard_columns(), rows=selectors.leaderboard(user, year=year),
        )  # fmt: skip
    page = Paginator(selectors.leaderboard(user, year=year), 50).get_page(request.GET.get("page"))
    return render(request, "talent/ambassadors/leaderboard.html",
                  {"form": form, "year": year, "page": page, "querystring": query_without_page(request)})  # fmt: skip
