"""Forms of the service desk: text fields only; files come from request.FILES and the service checks them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, ServiceRequest


class RequestForm(forms.Form):
    category = forms.ChoiceField(label=_("诉求类别"))
    title = forms.CharField(label=_("标题"), required=False, strip=True)
    body = forms.CharField(label=_("诉求内容"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.code, str(c)) for c in Category.objects.all()]


class MoveForm(forms.Form):
    action = forms.CharField()
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    rating = forms.TypedChoiceField(
        label=_("满意度"), required=False, coerce=int, empty_value=None,
        choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 6)],
    )  # fmt: skip
    comment = forms.CharField(label=_("评价"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    officer = forms.IntegerField(required=False)
    expected_assignee = forms.IntegerField(required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("回复内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    overdue = forms.BooleanField(label=_("仅超期"), required=False)
    mine = forms.BooleanField(label=_("分派给我"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部"))] + list(ServiceRequest.Status.choices)
        self.fields["category"].choices = [("", _("全部"))] + [(c.code, str(c)) for c in Category.objects.all()]
