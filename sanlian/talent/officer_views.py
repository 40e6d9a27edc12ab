"""Officers' talent pages (rounds, the application list and its export, notices, key enterprises) and the
public notice pages: parse input → one service or selector call → render."""

from datetime import date

import yaml
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanlian.core.downloads import YAML, download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import has_perm, require
from sanlian.enterprises.models import Region
from sanlian.enterprises.selectors import towns_for

from . import exports
from . import officer_selectors as selectors
from .facts import FACTS
from .models import Round
from .officer_forms import (
    ApplicationFilterForm,
    KeyEnterpriseFilterForm,
    KeyEnterpriseForm,
    KeyEnterpriseTermsForm,
    NoticeForm,
    RoundDocumentForm,
    RoundStatusForm,
)
from .services import key_enterprises as key_services
from .services import notices as notice_services
from .services import rounds as round_services

PER_PAGE = 25
# The step each round status leads to, for the primary button of the round page.
NEXT_STATUS = {"draft": "open", "open": "reviewing", "reviewing": "closed"}
# What "new round" offers when there is no round yet to copy.
BLANK_ROUND = """year: {year}
name: {year}年度人才计划
open_date: {year}-04-01
deadline_date: {year}-06-30
age_reference_date: {year}-06-30
notice_days: 5
routes: [conditions]
rule: {{}}
types: []
materials:
  - {{key: id_card, label: 身份证, required: true}}
quotas: []
scoring:
  - {{code: achievements, name: 业绩与贡献, max_score: 100}}
levels:
  - {{code: A, name: A类人才}}
"""


# Rounds ---------------------------------------------------------------------------------------------


def round_list(request):
    user = request.user
    require(user, "talent_round.view")
    rounds = list(selectors.rounds_visible(user))
    counts = selectors.round_counts(user, [r.pk for r in rounds])
    rows = [
        {
            "round": r,
            "counts": selectors.status_rows(counts.get(r.pk, {})),
            "total": sum(counts.get(r.pk, {}).values()),
        }
        for r in rounds
    ]
    return render(
        request, "talent/officer/rounds.html", {"rows": rows, "can_create": _new_round_region(user) is not None}
    )


def round_detail(request, year):
    user = request.user
    require(user, "talent_round.view")
    round_ = selectors.round_visible(user, year)
    counts = selectors.round_counts(user, [round_.pk]).get(round_.pk, {})
    can_edit = has_perm(user, "talent_round.edit", round_)
    statuses = [
        {"value": value, "label": label, "primary": NEXT_STATUS.get(round_.status) == value}
        for value, label in Round.Status.choices
        if value != round_.status
    ]
    return render(request, "talent/officer/round.html", {
        "round": round_, "overview": selectors.round_overview(round_), "counts": selectors.status_rows(counts),
        "total": sum(counts.values()), "can_edit": can_edit, "statuses": statuses if can_edit else [],
        "can_publish": has_perm(user, "talent_notice.publish", round_),
    })  # fmt: skip


def _new_round_region(user) -> Region | None:
    """The region a new round would cover (the latest round's, else the officer's) if the user may create it."""
    if not has_perm(user, "talent_round.edit"):
        return None
    latest = selectors.latest_round()
    region = latest.region if latest else user.region
    if region is None:
        region = Region.objects.filter(level=Region.Level.DISTRICT).order_by("path").first()
    if region is None or not has_perm(user, "talent_round.edit", Round(region=region)):
        return None
    return region


def _one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_round_document(latest: Round | None, this_year: int) -> str:
    """The latest round's document, one year on: the starting text of a new round."""
    if latest is None:
        return BLANK_ROUND.format(year=this_year)
    document = yaml.safe_load(round_services.round_document(latest))
    old, new = latest.year, latest.year + 1
    document["year"] = new
    for key in ("name", "name_en"):
        if document.get(key):
            document[key] = str(document[key]).replace(str(old), str(new))
    for key in ("open_date", "deadline_date", "age_reference_date"):
        document[key] = _one_year_later(date.fromisoformat(str(document[key]))).isoformat()
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _editor(request, *, round_: Round | None, region: Region, initial: str, copied: bool = False):
    """The YAML editor: errors by path above it, the text kept as typed."""
    form = RoundDocumentForm(request.POST or None, initial={"document": initial})
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            document = round_services.parse_document(form.cleaned_data["document"])
            _check_year(document, round_)
            saved = round_services.round_save(actor=request.user, document=document, region=region, now=timezone.now())
        except ValidationError as exc:
            errors = [(path, message) for path, msgs in exc.message_dict.items() for message in msgs]
        else:
            messages.success(request, _("%(name)s 已保存") % {"name": saved.name})
            return redirect("talent:round", year=saved.year)
    elif request.method == "POST":
        errors = [("document", message) for msgs in form.errors.values() for message in msgs]
    return render(
        request,
        "talent/officer/round_edit.html",
        {"form": form, "round": round_, "errors": errors, "facts": FACTS, "copied": copied},
        status=400 if request.method == "POST" else 200,
    )


def _check_year(document, round_: Round | None) -> None:
    """A new round takes a year not yet configured; editing a round never moves it to another year."""
    if not isinstance(document, dict):
        return
    year = document.get("year")
    if round_ is not None and year != round_.year:
        raise round_services.RoundDocumentError(
            {"year": _("年度不能修改(本页编辑 %(year)s 年度);新年度请使用「新建年度」") % {"year": round_.year}}
        )
    if round_ is None and isinstance(year, int) and Round.objects.filter(year=year).exists():
        raise round_services.RoundDocumentError(
            {"year": _("%(year)s 年度已存在,请在该年度页面中修改") % {"year": year}}
        )


def round_new(request):
    region = _new_round_region(request.user)
    if region is None:
        raise PermissionDenied("talent_round.edit")
    latest = selectors.latest_round()
    initial = next_round_document(latest, timezone.localdate().year)
    return _editor(request, round_=None, region=region, initial=initial, copied=latest is not None)


def round_edit(request, year):
    user = request.user
    require(user, "talent_round.view")
    round_ = selectors.round_visible(user, year)
    require(user, "talent_round.edit", round_)
    return _editor(request, round_=round_, region=round_.region, initial=round_services.round_document(round_))


def round_export(request, year):
    require(request.user, "talent_round.view")
    round_ = selectors.round_visible(request.user, year)
    document = round_services.round_document(round_)
    return download(document, filename=f"talent-round-{round_.year}.yaml", content_type=YAML)


@require_POST
def round_status(request, year):
    user = request.user
    require(user, "talent_round.view")
    round_ = selectors.round_visible(user, year)
    require(user, "talent_round.edit", round_)
    form = RoundStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知状态"))
        return redirect("talent:round", year=round_.year)
    try:
        round_ = round_services.round_set_status(
            actor=user, round_=round_, status=form.cleaned_data["status"], now=timezone.now()
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("状态已改为「%(status)s」") % {"status": round_.get_status_display()})
    return redirect("talent:round", year=round_.year)


# Applications ---------------------------------------------------------------------------------------


def _application_filters(request) -> tuple[ApplicationFilterForm, dict]:
    user = request.user
    years = list(selectors.rounds_visible(user).values_list("year", flat=True))
    form = ApplicationFilterForm(
        request.GET or None, years=years, levels=selectors.level_codes(user), towns=towns_for(user=user)
    )
    return form, form.filters()


def application_list(request):
    if wants_xlsx(request):  # the same list as every other: ?format=xlsx (the .xlsx URL stays for old links)
        return application_export(request)
    user = request.user
    require(user, "talent_round.view")
    form, filters = _application_filters(request)
    applications = selectors.applications_for_officer(user, **filters)
    page = IdsFirstPaginator(applications, PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.status_counts(selectors.applications_for_officer(user, **{**filters, "status": ""}))
    return render(request, "talent/officer/applications.html", {
        "form": form, "page": page, "rows": selectors.application_rows(page.object_list),
        "counts": selectors.status_rows(counts), "total": sum(counts.values()),
        "querystring": query_without_page(request), "export_query": query_without_page(request),
        "can_export": has_perm(user, "talent_application.export"),
    })  # fmt: skip


def application_export(request):
    user = request.user
    require(user, "talent_application.export")
    _form, filters = _application_filters(request)
    applications = selectors.applications_for_officer(user, **filters)
    return xlsx_response(
        request,
        list_name="talent.applications",
        title=_("人才申报"),
        filename=f"talent-applications-{filters.get('year') or 'all'}.xlsx",
        columns=exports.applications_columns(),
        rows=applications,
    )


# Notices --------------------------------------------------------------------------------------------


def notice_new(request, year):
    user = request.user
    require(user, "talent_notice.publish")
    round_ = selectors.round_visible(user, year)
    require(user, "talent_notice.publish", round_)
    candidates = selectors.notice_candidates(user, round_)
    form = NoticeForm(request.POST or None, candidates=candidates, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_services.notice_publish(
                actor=user,
                round_=round_,
                application_ids=[int(pk) for pk in data["applications"]],
                start_date=data["start_date"],
                title=data["title"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("公示已发布:%(title)s") % {"title": notice.title})
            return redirect("talent:notice", pk=notice.pk)
    rows = selectors.candidate_rows(round_, candidates, chosen=form["applications"].value() or [])
    return render(request, "talent/officer/notice_new.html", {
        "round": round_, "form": form, "rows": rows,
        "waiting": selectors.in_district_review(user, round_) - len(candidates),
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


def notice_list(request):
    """Public: the notices (公示) published so far."""
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="talent.notices", title=_("人才公示"), filename=_("人才公示") + ".xlsx",
            columns=exports.notices_columns(), rows=selectors.notices_public(),
        )  # fmt: skip
    page = Paginator(selectors.notices_public(), 20).get_page(request.GET.get("page"))
    return render(request, "talent/officer/notices.html", {"page": page, "today": timezone.localdate()})


def notice_detail(request, pk):
    """Public: one notice with the masked names of its people and nothing else personal."""
    notice = selectors.notice_public(pk)
    return render(request, "talent/officer/notice.html", {
        "notice": notice, "rows": selectors.notice_rows(notice), "today": timezone.localdate(),
    })  # fmt: skip


# Key enterprises ------------------------------------------------------------------------------------


def key_enterprise_list(request):
    user = request.user
    require(user, "key_enterprise.edit")
    towns = towns_for(user=user)
    form = KeyEnterpriseFilterForm(request.GET or None, towns=towns)
    years = selectors.designation_years(user)
    year = town = None
    if form.is_valid():
        year, town = form.cleaned_data["year"], form.cleaned_data["town"]
    year = year or (years[0] if years else timezone.localdate().year)
    designations = selectors.key_designations(user, year=year, town=town or "")
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="talent.key_enterprises", title=_("重点企业"), filename=_("重点企业") + ".xlsx",
            columns=exports.key_enterprises_columns(), rows=designations,
        )  # fmt: skip
    page = IdsFirstPaginator(designations, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "talent/officer/key_enterprises.html", {
        "form": form, "year": year, "years": years, "page": page, "totals": selectors.designation_totals(designations),
        "querystring": query_without_page(request),
        "designate_form": KeyEnterpriseForm(initial={"year": year}),
    })  # fmt: skip


def key_enterprise_new(request):
    user = request.user
    require(user, "key_enterprise.edit")
    initial = {"year": request.GET.get("year") or timezone.localdate().year, "enterprise": request.GET.get("uscc", "")}
    form = KeyEnterpriseForm(request.POST or None, initial=initial)
    search = (request.GET.get("q") or "").strip()
    candidates = selectors.enterprises_matching(user, search) if search else []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = selectors.enterprises_matching(user, data["enterprise"])
        if not found:
            form.add_error("enterprise", _("在您的管辖范围内没有找到该企业"))
        elif len(found) > 1:
            form.add_error("enterprise", _("匹配到多家企业,请从下方选择或填写统一社会信用代码"))
            candidates = found
        else:
            try:
                terms = key_services.key_enterprise_designate(
                    actor=user,
                    enterprise=found[0],
                    year=data["year"],
                    source_document=data["source_document"],
                    quota=data["quota"],
                    can_certify_staff=data["can_certify_staff"],
                    now=timezone.now(),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已认定 %(name)s 为 %(year)s 年度重点企业") % {"name": found[0].name, "year": terms.year},
                )
                return redirect(f"{reverse('talent:key-enterprises')}?year={terms.year}")
    return render(
        request,
        "talent/officer/key_enterprise_new.html",
        {"form": form, "search": search, "candidates": candidates},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def key_enterprise_terms(request, pk):
    user = request.user
    require(user, "key_enterprise.edit")
    certification = selectors.designation_for(user, pk)
    form = KeyEnterpriseTermsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
    else:
        try:
            key_services.key_enterprise_update(
                actor=user,
                certification=certification,
                quota=form.cleaned_data["quota"],
                can_certify_staff=form.cleaned_data["can_certify_staff"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("%(name)s 的认定条款已更新") % {"name": certification.enterprise.name})
    return redirect(f"{reverse('talent:key-enterprises')}?year={certification.year}")
