"""Forms of the officers' talent pages. They parse input; the services validate for real."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Round, TalentApplication

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = [("", _("全部"))]


class RoundDocumentForm(forms.Form):
    document = forms.CharField(
        label=_("年度配置(YAML)"),
        strip=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 40, "cols": 100, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "层次、认定方式、基本条件、人才类型、名额、评分表、材料和日期均在此配置;保存时整体校验,出错时不做任何修改"
        ),
    )


class RoundStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Round.Status.choices)


class ApplicationFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + TalentApplication.Status.choices)
    level = forms.ChoiceField(label=_("申报层次"), required=False)
    town = forms.ChoiceField(label=_("镇/街道"), required=False)
    q = forms.CharField(label=_("用人单位"), required=False, max_length=100)

    def __init__(self, *args, years, levels, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = ALL + [(y, str(y)) for y in years]
        self.fields["level"].choices = ALL + list(levels)
        self.fields["town"].choices = ALL + [(t.code, t.name) for t in towns]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "status": data.get("status") or "",
            "level": data.get("level") or "",
            "town": data.get("town") or "",
            "q": (data.get("q") or "").strip(),
        }


class NoticeForm(forms.Form):
    applications = forms.MultipleChoiceField(
        label=_("拟公示人选"), widget=forms.CheckboxSelectMultiple, error_messages={"required": _("请选择要公示的申报")}
    )
    start_date = forms.DateField(label=_("公示开始日期"), widget=DATE)
    title = forms.CharField(label=_("公示标题"), required=False, max_length=200, help_text=_("留空则按年度名称生成"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(str(a.pk), str(a.pk)) for a in candidates]


class KeyEnterpriseFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    town = forms.ChoiceField(label=_("镇/街道"), required=False)

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = ALL + [(t.code, t.name) for t in towns]


class KeyEnterpriseForm(forms.Form):
    enterprise = forms.CharField(
        label=_("企业"), max_length=128, help_text=_("统一社会信用代码或企业名称(限管辖范围内的企业)")
    )
    year = forms.IntegerField(label=_("认定年度"), min_value=2000, max_value=2100)
    source_document = forms.CharField(label=_("认定依据文件"), max_length=200, help_text=_("文号或文件名称"))
    quota = forms.IntegerField(
        label=_("申报名额"), required=False, min_value=0, max_value=1000, help_text=_("空 = 不另设名额")
    )
    can_certify_staff = forms.BooleanField(label=_("可自主认定本单位人才(授权认定)"), required=False)


class KeyEnterpriseTermsForm(forms.Form):
    quota = forms.IntegerField(label=_("申报名额"), required=False, min_value=0, max_value=1000)
    can_certify_staff = forms.BooleanField(label=_("可自主认定本单位人才"), required=False)
