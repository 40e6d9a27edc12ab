"""Forms of the applicant, employer and reviewer pages. They parse input; the services validate for real."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .facts import DEGREES
from .models import Route, TalentApplication
from .services.applications import TITLES

DATE = forms.DateInput(attrs={"type": "date"})
ROWS = 3  # education and career rows offered by the form


class StartForm(forms.Form):
    level = forms.ChoiceField(label=_("申报层次"))
    employer = forms.CharField(label=_("用人单位统一社会信用代码"), max_length=18,
                               help_text=_("18位代码,见营业执照"))  # fmt: skip

    def __init__(self, *args, round_, choose_employer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.code, level.name) for level in round_.levels.all()]
        if not choose_employer:
            del self.fields["employer"]


class ApplicationForm(forms.Form):
    level = forms.ChoiceField(label=_("申报层次"))
    talent_type = forms.ChoiceField(label=_("人才类型"), required=False)
    route = forms.ChoiceField(label=_("认定方式"))
    position = forms.ChoiceField(label=_("岗位(名额)"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False,
                                help_text=_("留空则保留已填写的号码"))  # fmt: skip
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False, help_text=_("留空则保留已填写的号码"))
    titles = forms.MultipleChoiceField(label=_("已获人才称号"), required=False, widget=forms.CheckboxSelectMultiple,
                                       choices=[(code, label) for code, label in TITLES.items()])  # fmt: skip
    is_founder = forms.BooleanField(label=_("企业创始人"), required=False)
    contract_start_date = forms.DateField(label=_("劳动合同起始"), required=False, widget=DATE)
    contract_end_date = forms.DateField(label=_("劳动合同截止"), required=False, widget=DATE,
                                        help_text=_("无固定期限合同留空"))  # fmt: skip
    social_insurance_months = forms.IntegerField(label=_("社保缴纳月数"), required=False, min_value=0)
    tax_record_months = forms.IntegerField(label=_("个税缴纳月数"), required=False, min_value=0)
    achievements = forms.CharField(label=_("主要业绩"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, application: TalentApplication, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(application)
        super().__init__(*args, **kwargs)
        round_ = application.round
        self.fields["level"].choices = [(level.code, level.name) for level in round_.levels.all()]
        if round_.types:
            self.fields["talent_type"].choices = [("", "—")] + [(t["code"], t["name"]) for t in round_.types]
        else:
            del self.fields["talent_type"]
        self.fields["route"].choices = [(r, Route(r).label) for r in round_.routes]
        self.fields["position"].choices = [("", _("其他岗位"))] + [(q.position, q.label) for q in round_.quotas.all()]
        for i in range(ROWS):
            self.fields[f"edu_{i}_degree"] = forms.ChoiceField(
                label=_("学位"), required=False, choices=[("", "—"), *DEGREES.items()]
            )
            for key, label in (("school", _("学校")), ("major", _("专业")), ("year", _("毕业年份"))):
                self.fields[f"edu_{i}_{key}"] = forms.CharField(label=label, required=False, max_length=100)
            for key, label in (("start", _("起")), ("end", _("止")), ("employer", _("单位")), ("title", _("职务"))):
                self.fields[f"job_{i}_{key}"] = forms.CharField(label=label, required=False, max_length=100)

    @staticmethod
    def initial_from(application: TalentApplication) -> dict:
        initial = {
            name: getattr(application, name)
            for name in ("talent_type", "route", "position", "name", "titles", "is_founder", "contract_start_date",
                         "contract_end_date", "social_insurance_months", "tax_record_months", "achievements")
        }  # fmt: skip
        initial["level"] = application.level.code
        for i, row in enumerate(application.education[:ROWS]):
            initial.update({f"edu_{i}_{key}": value for key, value in row.items()})
        for i, row in enumerate(application.career[:ROWS]):
            initial.update({f"job_{i}_{key}": value for key, value in row.items()})
        return initial

    def education_rows(self):
        return [[self[f"edu_{i}_{k}"] for k in ("degree", "school", "major", "year")] for i in range(ROWS)]

    def career_rows(self):
        return [[self[f"job_{i}_{k}"] for k in ("start", "end", "employer", "title")] for i in range(ROWS)]

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if not key.startswith(("edu_", "job_"))}
        for secret in ("id_number", "phone"):
            if not data.get(secret):
                data.pop(secret, None)  # blank keeps the stored number: it is never sent back to the browser
        data["education"] = [
            {k: self.cleaned_data[f"edu_{i}_{k}"] for k in ("degree", "school", "major", "year")} for i in range(ROWS)
        ]
        data["career"] = [
            {k: self.cleaned_data[f"job_{i}_{k}"] for k in ("start", "end", "employer", "title")} for i in range(ROWS)
        ]
        return data


class MaterialForm(forms.Form):
    item = forms.ChoiceField(label=_("材料"))
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(m["key"], m["label"]) for m in round_.materials]


class MoveForm(forms.Form):
    action = forms.CharField()
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_status = forms.CharField(required=False)


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        for item in round_.scoring_items.all():
            self.fields[f"score_{item.code}"] = forms.DecimalField(
                label=f"{item.name}(0–{item.max_score})", min_value=0, max_value=item.max_score, decimal_places=1
            )
        self.order_fields([name for name in self.fields if name != "comment"] + ["comment"])

    def scores(self) -> dict:
        return {name[6:]: value for name, value in self.cleaned_data.items() if name.startswith("score_")}


class TieForm(forms.Form):
    uscc = forms.CharField(label=_("关联单位统一社会信用代码"), max_length=18)
    reason = forms.CharField(label=_("关联说明"), max_length=200, help_text=_("如曾任职、持股、亲属任职等"))
