"""The audit search page for officers (/audit/): filters, pages, and the same rows as .xlsx."""

import json

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit_selectors
from .exports import Column, wants_xlsx, xlsx_response
from .models import AuditEvent
from .pagination import IdsFirstPaginator, query_without_page
from .permissions import require


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("操作人"), max_length=150, required=False)
    action = forms.CharField(label=gettext_lazy("操作"), max_length=64, required=False,
                             help_text=gettext_lazy("前缀匹配,如 auth. 或 enterprise.update"))  # fmt: skip
    target_type = forms.CharField(label=gettext_lazy("对象类型"), max_length=64, required=False)
    target_id = forms.CharField(label=gettext_lazy("对象编号"), max_length=64, required=False)
    enterprise = forms.IntegerField(label=gettext_lazy("企业编号"), min_value=1, max_value=2**63 - 1, required=False)
    ip = forms.GenericIPAddressField(label=gettext_lazy("IP 地址"), required=False)
    result = forms.ChoiceField(
        label=gettext_lazy("结果"), required=False,
        choices=[("", gettext_lazy("全部")), *AuditEvent.Result.choices],
    )  # fmt: skip
    date_from = forms.DateField(label=gettext_lazy("开始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    date_to = forms.DateField(label=gettext_lazy("结束日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data


def _changes_text(event) -> str:
    return json.dumps(event.changes, ensure_ascii=False, sort_keys=True) if event.changes else ""


def export_columns():
    field = AuditEvent._meta.get_field
    return (
        Column(field("created_at").verbose_name, "created_at", "datetime"),
        Column(field("actor_username").verbose_name, "actor_username"),
        Column(field("action").verbose_name, "action"),
        Column(field("result").verbose_name, lambda e: e.get_result_display()),
        Column(field("target_type").verbose_name, "target_type"),
        Column(field("target_id").verbose_name, "target_id"),
        Column(field("enterprise_id").verbose_name, "enterprise_id", "int"),
        Column(field("ip").verbose_name, "ip"),
        Column(field("method").verbose_name, "method"),
        Column(field("path").verbose_name, "path"),
        Column(field("changes").verbose_name, _changes_text),
        Column(field("note").verbose_name, "note"),
    )


def audit_search(request):
    require(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None)
    events = audit_selectors.visible_events(request.user)
    if form.is_bound and not form.is_valid():
        events = events.none()  # the errors are shown next to their fields; no half-applied filter
    elif form.is_bound:
        data = form.cleaned_data
        events = audit_selectors.search_events(
            events, actor=data["actor"].strip(), action=data["action"].strip(),
            target_type=data["target_type"].strip(), target_id=data["target_id"].strip(),
            enterprise_id=data["enterprise"], ip=data["ip"] or "", result=data["result"],
            date_from=data["date_from"], date_to=data["date_to"],
        )  # fmt: skip
    else:
        events = events.order_by("-created_at", "-id")
    if wants_xlsx(request):
        stamp = timezone.localtime().strftime("%Y%m%d")
        return xlsx_response(
            request, list_name="core.audit", title=_("审计日志"), filename=f"{_('审计日志')}-{stamp}.xlsx",
            columns=export_columns(), rows=events,
        )  # fmt: skip
    page = IdsFirstPaginator(events, settings.SANLIAN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form, "page": page, "querystring": query_without_page(request),
        "rows": [(event, _changes_text(event)) for event in page],
    }  # fmt: skip
    return render(request, "core/audit/search.html", context)
