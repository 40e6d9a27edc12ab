"""Forms of the matchmaking event pages: they parse input; the services validate for real."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import MatchEvent
from .services.events import EVENT_TRANSITIONS, SLOT_MINUTES, TTL_HOURS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EventForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    town = forms.ModelChoiceField(label=gettext_lazy("主办镇(街道)"), queryset=None, to_field_name="code")
    venue = forms.CharField(label=gettext_lazy("地点"), max_length=200)
    date = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    description = forms.CharField(
        label=gettext_lazy("说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    request_ttl_hours = forms.IntegerField(
        label=gettext_lazy("邀约有效时长(小时)"),
        min_value=TTL_HOURS[0],
        max_value=TTL_HOURS[1],
        initial=48,
        help_text=gettext_lazy("未回复的洽谈邀约在此时长后自动过期(1–168 小时),且不晚于洽谈时段开始"),
    )

    def __init__(self, *args, towns, event: MatchEvent | None = None, **kwargs):
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": event.title,
                "town": event.town.code,
                "venue": event.venue,
                "date": event.date,
                "description": event.description,
                "request_ttl_hours": event.request_ttl_hours,
            }
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns
        first_two = list(towns[:2])
        if len(first_two) == 1 and event is None:
            self.fields["town"].initial = first_two[0].code


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("状态"), choices=MatchEvent.Status.choices)

    @staticmethod
    def choices_for(event: MatchEvent) -> list[tuple[str, str]]:
        allowed = EVENT_TRANSITIONS.get(event.status, frozenset())
        return [(value, label) for value, label in MatchEvent.Status.choices if value in allowed]


class SlotsForm(forms.Form):
    start = forms.TimeField(label=gettext_lazy("开始时间"), widget=TIME, initial="09:00")
    end = forms.TimeField(label=gettext_lazy("结束时间"), widget=TIME, initial="12:00")
    minutes = forms.IntegerField(
        label=gettext_lazy("每个时段(分钟)"), min_value=SLOT_MINUTES[0], max_value=SLOT_MINUTES[1], initial=20
    )
    replace = forms.BooleanField(
        label=gettext_lazy("替换该时间范围内的已有时段"),
        required=False,
        help_text=gettext_lazy("已有确认洽谈或待回复邀约的时段不能替换"),
    )


class RegisterForm(forms.Form):
    representative = forms.CharField(
        label=gettext_lazy("参会代表"), max_length=64, required=False, help_text=gettext_lazy("不填则为当前登录人")
    )


class MeetingRequestForm(forms.Form):
    recipient = forms.TypedChoiceField(label=gettext_lazy("洽谈对象"), coerce=int)
    slot = forms.TypedChoiceField(label=gettext_lazy("洽谈时段"), coerce=int)
    message = forms.CharField(
        label=gettext_lazy("留言"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("简要说明洽谈意向,不超过 300 字"),
    )

    def __init__(self, *args, participants=(), slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [("", "—")] + [(p.pk, p.enterprise.name) for p in participants]
        self.fields["slot"].choices = [("", "—")] + [(s.pk, slot_label(s)) for s in slots]


def slot_label(slot) -> str:
    start, end = timezone.localtime(slot.start_at), timezone.localtime(slot.end_at)
    return f"{start:%H:%M}–{end:%H:%M}"


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", gettext_lazy("接受")), ("decline", gettext_lazy("婉拒"))])


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("取消原因"), max_length=300, required=False)
