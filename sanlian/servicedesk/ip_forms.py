"""Forms of the IP portfolio (知识产权): one asset, the list filter and the .xlsx import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanlian.core.uploads import WORKBOOKS, checked_file

from .ip_import import MAX_IMPORT_BYTES
from .models import IPAsset
from .services.ip import CO_OWNERS_MAX, TITLE_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IPAssetForm(forms.Form):
    """The fields are checked by the service (ip_asset_add / ip_asset_edit); the form only parses."""

    kind = forms.ChoiceField(label=_("类型"), choices=IPAsset.Kind.choices)
    number = forms.CharField(
        label=_("号码"), max_length=60, help_text=_("专利:202310123456.7 或 ZL202310123456.7;软著:2023SR0123456")
    )
    title = forms.CharField(label=_("名称"), max_length=TITLE_MAX)
    status = forms.ChoiceField(label=_("状态"), choices=IPAsset.Status.choices)
    filing_date = forms.DateField(label=_("申请日"), required=False, widget=DATE)
    grant_date = forms.DateField(label=_("授权/注册日"), required=False, widget=DATE)
    expiry_date = forms.DateField(
        label=_("有效期至"), required=False, widget=DATE, help_text=_("留空则按法定期限自动计算")
    )
    trademark_class = forms.IntegerField(label=_("商标类别"), required=False, min_value=1, max_value=45)
    co_owners = forms.CharField(label=_("共有权人"), max_length=CO_OWNERS_MAX, required=False)
    certificate = forms.FileField(
        label=_("证书文件"), required=False, help_text=_("PDF、PNG 或 JPG,不超过 10 MB(按文件内容检查)")
    )

    def __init__(self, *args, can_set_expiry: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Only officers correct the computed legal term.
        if not can_set_expiry:
            del self.fields["expiry_date"]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "certificate"}
        if "expiry_date" in data and data["expiry_date"] is None:
            data["expiry_date"] = ""  # blank: back to the computed term
        return data


class IPFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部"))] + list(IPAsset.Kind.choices)
        self.fields["status"].choices = [("", _("全部"))] + list(IPAsset.Status.choices)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"kind": "", "status": "", "search": ""}
        data = self.cleaned_data
        return {"kind": data["kind"] or "", "status": data["status"] or "", "search": data["q"] or ""}


class IPImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件(.xlsx)"),
        help_text=_(
            "第一张工作表,列:统一社会信用代码、类型、号码、名称、状态、申请日、授权日(可选:有效期至、商标类别、共有权人)"
        ),
    )
    dry_run = forms.BooleanField(label=_("仅预检(不写入)"), required=False, initial=True)
    partial = forms.BooleanField(label=_("有错误时仍导入无误的行"), required=False)

    max_bytes = MAX_IMPORT_BYTES

    def clean_file(self):
        return checked_file(self.cleaned_data.get("file"), max_bytes=MAX_IMPORT_BYTES, kinds=WORKBOOKS)
