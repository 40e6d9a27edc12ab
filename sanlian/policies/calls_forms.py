"""Forms of the declaration pages. They parse input; the services in services/calls.py validate for real."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE, YamlField
from .models import Application, Call, Policy
from .services.calls import APPLICATION_TRANSITIONS

RULE_HELP = _("all / any / not 组合的条件树(与政策规则相同的写法);留空表示不设条件")
MATERIALS_HELP = _("每项:key(英文标识)、label(材料名称)、required(是否必须,默认 true)")
FORM_FIELDS_HELP = _(
    "每项:key、label、type(text / textarea / number / date / choice)、required(默认 false),"
    "choice 需给出 choices 列表,可选 help 说明"
)


class CallForm(forms.Form):
    code = forms.SlugField(label=_("编号"), max_length=64, help_text=_("英文字母、数字和连字符,如 pj-2026-hnte"))
    title = forms.CharField(label=_("申报通知"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=Call.Kind.choices)
    region = forms.ModelChoiceField(label=_("发布区域"), queryset=None, to_field_name="code")
    policy = forms.ModelChoiceField(label=_("依据政策"), queryset=Policy.objects.order_by("code"), required=False,
                                    to_field_name="code")  # fmt: skip
    issuer = forms.CharField(label=_("发布机构"), max_length=100)
    description = forms.CharField(label=_("通知内容"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    open_date = forms.DateField(label=_("开始日期"), widget=DATE)
    close_date = forms.DateField(label=_("截止日期"), widget=DATE)
    status = forms.ChoiceField(label=_("状态"), choices=Call.Status.choices,
                               help_text=_("发布后企业即可看到并在申报期内申报"))  # fmt: skip
    rule = YamlField(label=_("申报条件"), required=False, expect=dict, help_text=RULE_HELP)
    materials = YamlField(label=_("材料清单"), required=False, expect=list, help_text=MATERIALS_HELP)
    form_fields = YamlField(label=_("申报表字段"), required=False, expect=list, help_text=FORM_FIELDS_HELP)

    def __init__(self, *args, regions, call: Call | None = None, **kwargs):
        if call is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(call, name) for name in ("code", "title", "kind", "issuer", "description",
                                                            "open_date", "close_date", "status", "rule",
                                                            "materials", "form_fields")},
                "region": call.region.code,
                "policy": call.policy.code if call.policy_id else None,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if call is not None:
            del self.fields["code"]  # a call's code never changes

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("rule",):
            data[name] = data.get(name) or {}
        for name in ("materials", "form_fields"):
            data[name] = data.get(name) or []
        return data


class ApplicationForm(forms.Form):
    """The call's own form: one input per form field. Types are checked by `application_save`."""

    def __init__(self, *args, form_fields, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in form_fields:
            self.fields[spec["key"]] = self._field(spec, disabled)

    @staticmethod
    def _field(spec: dict, disabled: bool) -> forms.Field:
        label = spec["label"]
        options = {"label": label, "required": False, "disabled": disabled, "help_text": spec.get("help", "")}
        kind = spec["type"]
        if kind == "textarea":
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **options)
        elif kind == "number":
            field = forms.CharField(widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}), **options)
        elif kind == "date":
            field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **options)
        elif kind == "choice":
            choices = [("", "—")] + [(c, c) for c in spec.get("choices", [])]
            field = forms.ChoiceField(choices=choices, **options)
        else:
            field = forms.CharField(**options)
        field.widget.attrs["aria-required"] = "true" if spec.get("required") else "false"
        field.required_on_submit = bool(spec.get("required"))
        return field

    def service_data(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items()}


class MaterialForm(forms.Form):
    item = forms.ChoiceField(label=_("材料"))
    file = forms.FileField(label=_("文件"), help_text=_("PDF、Word、Excel、PNG、JPG 或 ZIP,20 MB 以内"))

    def __init__(self, *args, materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(m["key"], m["label"]) for m in materials]


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in APPLICATION_TRANSITIONS])
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    expected_status = forms.ChoiceField(choices=Application.Status.choices, required=False,
                                        widget=forms.HiddenInput)  # fmt: skip


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部"))] + list(Application.Status.choices))  # fmt: skip
