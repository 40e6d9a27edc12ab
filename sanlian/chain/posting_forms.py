"""Forms of the supply–demand pages. They parse input; the services validate for real."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanlian.enterprises.models import ChainNode

from .models import Interest, Posting
from .services.interests import NOTE_MAX
from .services.postings import DESCRIPTION_MAX, TITLE_MAX

DATE = forms.DateInput(attrs={"type": "date"})


class NodeChoiceField(forms.MultipleChoiceField):
    """Chain node codes, checked by the service so that an unknown code is named in its message."""

    def valid_value(self, value):
        return True


def node_choices() -> list[tuple[str, str]]:
    return [(node.code, str(node)) for node in ChainNode.objects.order_by("sort", "code")]


class PostingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Posting.Kind.choices)
    title = forms.CharField(label=_("标题"), required=False, help_text=_("4–100 个字"),
                            widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}))  # fmt: skip
    description = forms.CharField(
        label=_("描述"),
        required=False,
        help_text=_("20–4000 个字:产品或技术、规格与数量、资质要求、合作方式等"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": DESCRIPTION_MAX}),
    )
    nodes = NodeChoiceField(
        label=_("产业链环节"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("至少 1 个,最多 5 个"),
    )
    quantity = forms.CharField(label=_("数量/规模"), required=False, max_length=100)
    budget = forms.CharField(label=_("预算(元)"), required=False, help_text=_("可留空;如 500000 或 500000.00"))
    deadline_date = forms.DateField(label=_("截止日期"), required=False, widget=DATE,
                                    help_text=_("可留空;不设截止日期的信息发布后有效 90 天"))  # fmt: skip

    def __init__(self, *args, posting: Posting | None = None, **kwargs):
        if posting is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": posting.kind,
                "title": posting.title,
                "description": posting.description,
                "nodes": [node.code for node in posting.nodes.all()],
                "quantity": posting.quantity,
                "budget": "" if posting.budget is None else f"{posting.budget:.2f}",
                "deadline_date": posting.deadline_date,
            }
        super().__init__(*args, **kwargs)
        self.fields["nodes"].choices = node_choices()

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class MoveForm(forms.Form):
    action = forms.ChoiceField(choices=[("submit", "submit"), ("renew", "renew"), ("close", "close")])
    no_local_partner = forms.BooleanField(label=_("本地未找到合适伙伴"), required=False)


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("publish", "publish"), ("reject", "reject")])
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("意向说明"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
        help_text=_("简要说明贵企业能提供或需要的内容,便于工作人员引荐"),
    )


class BrokerForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("introduce", "decline", "meeting_held", "signed", "no_deal", "withdraw")]
    )
    meeting_date = forms.DateField(label=_("洽谈日期"), required=False, widget=DATE)
    signed_date = forms.DateField(label=_("签约日期"), required=False, widget=DATE)
    amount = forms.CharField(label=_("合作金额(元)"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=NOTE_MAX)


class PostingFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *Posting.Kind.choices])
    node = forms.ChoiceField(label=_("产业链环节"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    mine = forms.BooleanField(label=_("只看本企业"), required=False)

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = [("", _("全部环节")), *node_choices()]
        self.fields["status"].choices = [("", _("全部状态")), *statuses]


class InterestFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *Interest.Status.choices])
