"""Forms of the organisation pages; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Member, MemberRole, OrgDocument


class ApplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请身份"), choices=Member.Kind.choices, widget=forms.RadioSelect)
    person_name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    person_title = forms.CharField(label=_("职务"), max_length=100, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=128, required=False)
    mobile = forms.RegexField(
        label=_("手机号"), regex=r"^1[3-9][0-9]{9}$", required=False,
        error_messages={"invalid": _("请输入11位手机号")},
    )  # fmt: skip
    statement = forms.CharField(label=_("申请说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, as_enterprise: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not as_enterprise:
            self.fields["kind"].choices = [(Member.Kind.PERSON, Member.Kind.PERSON.label)]

    def person(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in ("person_name", "person_title", "employer", "mobile")}


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("会内职务"), choices=MemberRole.choices)


class RemoveForm(forms.Form):
    left_date = forms.DateField(label=_("退会日期"), widget=forms.DateInput(attrs={"type": "date"}))


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("会员类型"), choices=[("", _("全部")), *Member.Kind.choices], required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    visibility = forms.ChoiceField(label=_("可见范围"), choices=OrgDocument.Visibility.choices)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、Word、Excel、PNG、JPG 或 ZIP,不超过 20 MB"))
