"""Forms of the provider catalogue: they parse input; the services validate it and name the field at fault."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanlian.enterprises.models import Region

from .models import Provider, ProviderService


def _regions():
    return Region.objects.filter(level__in=(Region.Level.DISTRICT, Region.Level.TOWN, Region.Level.STREET))


class CatalogueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("机构类型"), required=False)
    q = forms.CharField(label=_("服务关键词"), required=False, max_length=50)
    price_max = forms.DecimalField(label=_("预算上限(元)"), required=False, min_value=0, decimal_places=2)
    region = forms.ModelChoiceField(label=_("服务区域"), required=False, queryset=Region.objects.none())
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=[("rating", _("按评分")), ("name", _("按名称"))])

    def __init__(self, *args, officer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部"))] + list(Provider.Kind.choices)
        self.fields["region"].queryset = _regions()
        self.fields["region"].empty_label = _("全部")
        if officer:
            self.fields["status"] = forms.ChoiceField(
                label=_("状态"), required=False, choices=[("", _("全部"))] + list(Provider.Status.choices)
            )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data["kind"], "q": data["q"], "price_max": data["price_max"], "region": data["region"],
            "status": data.get("status", ""), "sort": data["sort"] or "rating",
        }  # fmt: skip


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), required=False, help_text=_("关联在册企业时可留空,沿用企业名称"))
    kind = forms.ChoiceField(label=_("机构类型"), choices=[("", "—")] + list(Provider.Kind.choices), required=False)
    enterprise = forms.CharField(
        label=_("关联在册企业(统一社会信用代码)"), required=False, max_length=18,
        help_text=_("在本区注册的机构可关联其企业档案"),
    )  # fmt: skip
    region = forms.ModelChoiceField(label=_("管理辖区"), queryset=Region.objects.none(), required=False)
    regions_served = forms.ModelMultipleChoiceField(
        label=_("服务区域"), queryset=Region.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("机构简介"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    qualifications = forms.CharField(
        label=_("资质"), required=False, help_text=_("如 CNAS、GLP、专利代理机构执业许可证")
    )
    switchboard = forms.CharField(label=_("总机电话"), required=False)
    email = forms.CharField(label=_("业务邮箱"), required=False)
    website = forms.CharField(label=_("网址"), required=False)
    contact_name = forms.CharField(label=_("联系人"), required=False)
    contact_mobile = forms.CharField(label=_("联系人手机"), required=False, help_text=_("加密保存,页面只显示掩码"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions()
        self.fields["regions_served"].queryset = _regions()

    @staticmethod
    def initial_for(provider: Provider) -> dict:
        """The form's values for an existing provider; the mobile is left blank (blank keeps it)."""
        return {
            "name": provider.name, "kind": provider.kind,
            "enterprise": provider.enterprise.uscc if provider.enterprise else "",
            "region": provider.region, "regions_served": list(provider.regions_served.all()),
            "description": provider.description, "qualifications": provider.qualifications,
            "switchboard": provider.switchboard, "email": provider.email, "website": provider.website,
            "contact_name": provider.contact_name,
        }  # fmt: skip


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("服务名称"), required=False)
    description = forms.CharField(label=_("服务说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # Money is parsed by the service (to_yuan): it refuses negatives and non-numbers with its own messages.
    price_min = forms.CharField(label=_("最低价(元)"), required=False)
    price_max = forms.CharField(label=_("最高价(元)"), required=False, help_text=_("留空表示“起”"))
    unit = forms.ChoiceField(
        label=_("计价单位"), choices=[("", "—")] + list(ProviderService.Unit.choices), required=False
    )
    turnaround_days = forms.CharField(label=_("周期(天)"), required=False)
    is_active = forms.BooleanField(label=_("在售"), required=False, initial=True)

    @staticmethod
    def initial_for(service: ProviderService) -> dict:
        return {
            "name": service.name, "description": service.description, "price_min": service.price_min,
            "price_max": service.price_max if service.price_max is not None else "", "unit": service.unit,
            "turnaround_days": service.turnaround_days or "", "is_active": service.is_active,
        }  # fmt: skip


class ProviderRequestForm(forms.Form):
    provider_service = forms.ChoiceField(label=_("委托服务"))
    title = forms.CharField(label=_("标题"), required=False)
    body = forms.CharField(label=_("需求说明"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_service"].choices = [("", "—")] + [(str(s.pk), s.name) for s in services]


class RateForm(forms.Form):
    request = forms.IntegerField()
    score = forms.TypedChoiceField(
        label=_("评分"), coerce=int, empty_value=None, required=False,
        choices=[("", "—")] + [(str(n), str(n)) for n in range(5, 0, -1)],
    )  # fmt: skip
    comment = forms.CharField(label=_("评价内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    action = forms.CharField(required=False)
    reason = forms.CharField(label=_("原因"), required=False)
