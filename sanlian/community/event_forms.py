"""Forms of community events: they parse input; the services validate it and name the field at fault."""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanlian.enterprises.models import Enterprise

from .models import DocumentKind, Event, Organisation, SurveyQuestion
from .services.events import can_manage


def _moment(label):
    return forms.DateTimeField(label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class EventForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=120)
    kind = forms.ChoiceField(label=_("活动类型"), choices=Event.Kind.choices)
    organisation = forms.ModelChoiceField(label=_("主办组织"), required=False, queryset=Organisation.objects.none())
    venue = forms.CharField(label=_("地点"), max_length=200)
    starts_at = _moment(_("开始时间"))
    ends_at = _moment(_("结束时间"))
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000)
    registration_opens_at = _moment(_("报名开始时间"))
    registration_closes_at = _moment(_("报名截止时间"))
    requires_approval = forms.BooleanField(label=_("报名需审核"), required=False)
    description = forms.CharField(label=_("活动介绍"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    agenda = forms.CharField(
        label=_("议程"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项:时间|议程|嘉宾|会场,例如 09:30|开幕式|镇领导|主会场"),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mine = [o.pk for o in Organisation.objects.prefetch_related("secretaries") if can_manage(user, o)]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=mine)
        self.fields["organisation"].empty_label = _("(无,由辖区主办)")
        if user.role == "org_secretary":
            self.fields["organisation"].required = True

    @staticmethod
    def initial_for(event: Event) -> dict:
        local = {k: timezone.localtime(getattr(event, k)).strftime("%Y-%m-%dT%H:%M") for k in MOMENTS}
        agenda = "\n".join(
            f"{timezone.localtime(s.starts_at):%H:%M}|{s.title}|{s.speaker}|{s.room}" for s in event.sessions.all()
        )
        plain = ("title", "kind", "organisation", "venue", "capacity", "requires_approval", "description")
        return {k: getattr(event, k) for k in plain} | local | {"agenda": agenda}

    def clean_agenda(self):
        """Agenda lines → session dicts; their day is the event's first day."""
        sessions = []
        for number, line in enumerate(self.cleaned_data["agenda"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            try:
                at = time.fromisoformat(parts[0])
            except ValueError:
                raise ValidationError(_("第 %(n)s 行的时间应为 时:分,例如 09:30"), params={"n": number}) from None
            if not parts[1]:
                raise ValidationError(_("第 %(n)s 行缺少议程名称"), params={"n": number})
            sessions.append({"at": at, "title": parts[1][:200], "speaker": parts[2][:200], "room": parts[3][:100]})
        return sessions

    def service_data(self) -> tuple[dict, list[dict]]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "agenda"}
        day = data["starts_at"]
        sessions = [
            {
                "starts_at": timezone.make_aware(datetime.combine(timezone.localtime(day).date(), s.pop("at"))),
                **s,
            }
            for s in [dict(item) for item in self.cleaned_data["agenda"]]
        ]
        return data, sessions


MOMENTS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class CheckInForm(forms.Form):
    scanned = forms.CharField(
        label=_("签到码"), max_length=300,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "url"}),
        help_text=_("用扫码枪或手机扫描参会者的二维码,或粘贴签到链接"),
    )  # fmt: skip


class SurveyForm(forms.Form):
    """One field per question of the event's survey."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for q in questions:
            name = f"q{q.pk}"
            if q.kind == SurveyQuestion.Kind.RATING:
                choices = [(str(n), str(n)) for n in range(5, 0, -1)]
                self.fields[name] = forms.ChoiceField(label=q.text, choices=choices, widget=forms.RadioSelect)
            elif q.kind == SurveyQuestion.Kind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=q.text, choices=[(c, c) for c in q.choices], widget=forms.RadioSelect
                )
            else:
                self.fields[name] = forms.CharField(
                    label=q.text, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
                )

    def answers(self) -> dict:
        pairs = self.data.items()
        return {int(name[1:]): value for name, value in pairs if name.startswith("q") and name[1:].isdigit()}


class DocumentBatchForm(forms.Form):
    kind = forms.ChoiceField(label=_("文书类型"), choices=DocumentKind.choices)
    enterprises = forms.ModelMultipleChoiceField(
        label=_("获颁企业"), required=False, queryset=Enterprise.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}), help_text=_("企业证书选择企业;按住 Ctrl 多选"),
    )  # fmt: skip
    people = forms.CharField(
        label=_("获颁人员"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("聘书与参会证明填写姓名,每行一人"),
    )  # fmt: skip

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = Enterprise.objects.filter(
            town__path__startswith=event.region.path, is_biomedical=True
        ).order_by("name")

    def people_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["people"].splitlines() if line.strip()]


KIND_WORDS = {"评分": SurveyQuestion.Kind.RATING, "单选": SurveyQuestion.Kind.CHOICE, "文字": SurveyQuestion.Kind.TEXT}
# The English UI's help names the types in English, so those words are accepted too.
KIND_WORDS_EN = {kind.value: kind for kind in SurveyQuestion.Kind}


class SurveyQuestionsForm(forms.Form):
    questions = forms.CharField(
        label=_("问卷题目"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一题:题型|题目|选项…,题型为 评分、单选 或 文字,例如 单选|最有收获的环节|开幕式|圆桌对话"),
    )  # fmt: skip

    @staticmethod
    def initial_for(event: Event) -> dict:
        words = {kind: word for word, kind in KIND_WORDS.items()}
        lines = ["|".join([words[q.kind], q.text, *q.choices]) for q in event.survey_questions.all()]
        return {"questions": "\n".join(lines)}

    def clean_questions(self):
        questions = []
        for number, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1):
            parts = [p.strip() for p in line.split("|") if p.strip()]
            if not parts:
                continue
            kind = KIND_WORDS.get(parts[0]) or KIND_WORDS_EN.get(parts[0].lower())
            if kind is None or len(parts) < 2:
                raise ValidationError(_("第 %(n)s 行应以 评分、单选 或 文字 开头并写明题目"), params={"n": number})
            questions.append({"kind": kind, "text": parts[1][:200], "choices": parts[2:]})
        return questions
