"""Forms of the policy pages. They parse input (YAML included); the services validate for real."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sanlian.core.uploads import YAML_TEXT, checked_upload
from sanlian.engines.rules import RuleSyntaxError, dump_yaml, load_yaml

from .models import Parameter, PolicyVersion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, help_text=_("政策名称、文号、发布机构或摘要"))
    issuer = forms.ChoiceField(label=_("发布机构"), required=False)
    tag = forms.ChoiceField(label=_("标签"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("in_force", _("有效")), ("expired", _("已过期"))],
    )

    def __init__(self, *args, issuers=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = [("", _("全部"))] + [(i, i) for i in issuers]
        self.fields["tag"].choices = [("", _("全部"))] + [(t, t) for t in tags]


class YamlField(forms.CharField):
    """A textarea holding YAML; parse errors name the line."""

    widget = forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "code"})

    def __init__(self, *args, expect=None, **kwargs):
        self.expect = expect
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text.strip():
            return self.expect() if self.expect else None
        try:
            data = load_yaml(text)
        except RuleSyntaxError as exc:
            raise ValidationError(
                _("YAML 格式错误(第 %(line)s 行):%(msg)s"), params={"line": exc.line, "msg": exc.message}
            ) from exc
        if self.expect and not isinstance(data, self.expect):
            raise ValidationError(
                _("格式应为%(kind)s"), params={"kind": _("映射") if self.expect is dict else _("列表")}
            )
        return data

    def prepare_value(self, value):
        if isinstance(value, dict | list):
            return dump_yaml(value) if value else ""
        return value


class PolicyVersionForm(forms.ModelForm):
    tags = forms.CharField(label=_("标签"), required=False, help_text=_("以逗号分隔"))
    benefit = YamlField(
        label=_("支持标准(公式)"),
        required=False,
        expect=dict,
        help_text=_("如 {fixed: 200000} 或 {rate: 0.1, of: rd_spend_last_year, cap: 500000}"),
    )
    rule = YamlField(label=_("资格规则"), expect=dict, help_text=_("all / any / not 组合的条件树,见右侧指标表"))
    tests = YamlField(
        label=_("测试用例"),
        required=False,
        expect=list,
        help_text=_("每条:name、facts(指标取值)、expected(eligible / not_eligible / unknown)"),
    )

    class Meta:
        model = PolicyVersion
        fields = [
            "title", "title_en", "issuer", "doc_number", "source_clause", "summary", "benefit", "benefit_text",
            "effective_from_date", "effective_until_date", "tags", "no_application", "handbook_target",
            "handbook_conditions", "handbook_deadline", "handbook_materials", "rule", "tests",
        ]  # fmt: skip
        widgets = {
            "effective_from_date": DATE,
            "effective_until_date": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "handbook_target": forms.Textarea(attrs={"rows": 2}),
            "handbook_conditions": forms.Textarea(attrs={"rows": 3}),
            "handbook_deadline": forms.Textarea(attrs={"rows": 2}),
            "handbook_materials": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(self.instance.tags or [])

    def clean_tags(self):
        raw = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in raw.replace(",", ",").split(",") if t.strip()]

    def version_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class NewPolicyForm(forms.Form):
    code = forms.SlugField(
        label=_("政策编号"), max_length=64, help_text=_("英文字母、数字和连字符,如 minhang-rd-subsidy")
    )
    region = forms.ModelChoiceField(label=_("发布区域"), queryset=None, to_field_name="code")

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class ImportForm(forms.Form):
    file = forms.FileField(label=_("YAML 文件"), required=False)
    text = forms.CharField(label=_("或粘贴 YAML"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    MAX_BYTES = 256 * 1024

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            checked_upload(upload, field="file", max_bytes=self.MAX_BYTES, kinds=YAML_TEXT)
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValidationError({"file": _("文件不是 UTF-8 编码的文本")}) from exc
        if not (data.get("text") or "").strip():
            raise ValidationError({"text": _("请上传文件或粘贴 YAML")})
        return data


class ParameterForm(forms.ModelForm):
    class Meta:
        model = Parameter
        fields = ["name", "label", "label_en", "type", "unit", "source_clause", "key_fact"]


class ParameterValueForm(forms.Form):
    parameter = forms.ModelChoiceField(label=_("参数"), queryset=Parameter.objects.all(), to_field_name="name")
    key = forms.CharField(label=_("分档"), required=False, help_text=_("分档参数填写档位(如集群代码),* 表示其他档"))
    value = forms.CharField(label=_("取值"), help_text=_("数值、文本,或 {param: 其他参数名}"))
    effective_date = forms.DateField(label=_("生效日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def clean_value(self):
        try:
            return load_yaml(self.cleaned_data["value"])
        except RuleSyntaxError as exc:
            raise ValidationError(_("取值格式错误:%(msg)s"), params={"msg": exc.message}) from exc


class GrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("确认兑现")), ("decline", _("不予兑现"))])
    decision_note = forms.CharField(label=_("处理意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class QuickApplyForm(forms.Form):
    note = forms.CharField(
        label=_("补充说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明缺少的数据(如最新营收、资质证书),专员核实后为您办理"),
    )
