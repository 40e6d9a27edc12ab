"""Forms of the registry pages. They parse input; the services decide and validate for real."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanlian.core.forms import apply_service_errors  # noqa: F401  (re-exported for the views)

from .models import AnnualReport, CertificationType, ChainNode, Cluster, Enterprise, Park, Region
from .selectors import REVENUE_BANDS
from .services import ENTERPRISE_FIELDS, REPORT_FIELDS


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, help_text=_("企业名称或统一社会信用代码"))
    town = forms.ModelChoiceField(
        label=_("镇/街道"), queryset=Region.objects.none(), required=False, to_field_name="code", empty_label=_("全部")
    )
    park = forms.ModelChoiceField(
        label=_("园区"), queryset=Park.objects.none(), required=False, to_field_name="code", empty_label=_("全部")
    )
    cluster = forms.ModelChoiceField(
        label=_("产业集群"), queryset=Cluster.objects.all(), required=False, to_field_name="code", empty_label=_("全部")
    )
    chain_node = forms.ModelChoiceField(
        label=_("产业链环节"),
        queryset=ChainNode.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("全部"),
    )
    certification = forms.ModelChoiceField(
        label=_("资质"),
        queryset=CertificationType.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("全部"),
    )
    revenue_band = forms.ChoiceField(
        label=_("营收区间"),
        required=False,
        choices=[("", _("全部"))] + [(c, label) for c, label, _lo, _hi in REVENUE_BANDS],
    )
    revenue_year = forms.IntegerField(label=_("营收年度"), required=False, min_value=2000, max_value=2100)
    key_year = forms.IntegerField(label=_("春申重点企业年度"), required=False, min_value=2000, max_value=2100)
    biomedical = forms.NullBooleanField(
        label=_("生物医药"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )

    def __init__(self, *args, towns, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns
        self.fields["park"].queryset = parks


class EnterpriseForm(forms.ModelForm):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=32)
    uscc_override_reason = forms.CharField(
        label=_("校验位例外说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("仅当代码校验位不符但确为合法核发时由工作人员填写"),
    )
    chain_nodes = forms.ModelMultipleChoiceField(
        label=_("产业链环节"),
        queryset=ChainNode.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Enterprise
        # The service's editable fields, with the identifier first and the chain nodes last.
        fields = ["uscc", "uscc_override_reason", *(f for f in ENTERPRISE_FIELDS if f != "is_demo"), "chain_nodes"]
        widgets = {
            "founded_date": forms.DateInput(attrs={"type": "date"}),
            "business_scope": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, towns, officer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns
        self.fields["park"].queryset = Park.objects.filter(town__in=towns)
        if not officer:
            # Registration facts kept by officers are shown read-only to the enterprise.
            for name in ("uscc", "uscc_override_reason", "town", "is_biomedical", "cluster"):
                self.fields[name].disabled = True
        if self.instance.pk:
            self.fields["uscc"].initial = self.instance.uscc
            self.fields["chain_nodes"].initial = list(self.instance.chain_nodes.all())

    def clean_uscc(self):
        # Format and check character are decided by the service (officer override path).
        return (self.cleaned_data.get("uscc") or "").strip().upper()

    def service_data(self) -> dict:
        skip = {"uscc", "uscc_override_reason", "chain_nodes"}
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in skip and not self.fields[name].disabled
        }


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["year", *REPORT_FIELDS]

    def clean(self):
        data = super().clean()
        staff, employees = data.get("rd_staff"), data.get("employees")
        if staff is not None and employees is not None and staff > employees:
            self.add_error("rd_staff", _("研发人员不能多于从业人数"))
        return data


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("submit", _("提交")), ("approve", _("通过")), ("return", _("退回"))])
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CertificationForm(forms.Form):
    type = forms.ModelChoiceField(label=_("资质类型"), queryset=CertificationType.objects.all())
    issuer = forms.CharField(label=_("认定机构"), required=False, max_length=100)
    number = forms.CharField(label=_("证书编号"), required=False, max_length=64)
    year = forms.IntegerField(label=_("认定年度"), required=False, min_value=1990, max_value=2100)
    valid_from_date = forms.DateField(
        label=_("生效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until_date = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source_document = forms.CharField(label=_("依据文件"), required=False, max_length=200)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    title = forms.CharField(label=_("职务"), max_length=64, required=False)
    phone = forms.RegexField(
        label=_("手机号"), regex=r"^1[3-9][0-9]{9}$", required=False, error_messages={"invalid": _("请输入11位手机号")}
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    is_primary = forms.BooleanField(label=_("主要联系人"), required=False)


class ChainNodeForm(forms.ModelForm):
    class Meta:
        model = ChainNode
        fields = ["name", "name_en", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
