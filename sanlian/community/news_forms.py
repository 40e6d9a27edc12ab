"""Forms of the news pages: the public filter, the editor and the review decision."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanlian.core.permissions import scope_queryset
from sanlian.enterprises.models import Enterprise, Region

from .models import Article


class NewsFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("栏目"), required=False)
    tag = forms.ChoiceField(label=_("标签"), required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部"))] + list(Article.Kind.choices)
        self.fields["tag"].choices = [("", _("全部"))] + [(t, t) for t in tags]


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("栏目"), choices=[("", "---")] + list(Article.Kind.choices), required=False)
    region = forms.ModelChoiceField(label=_("发布范围"), queryset=Region.objects.none(), required=False)
    summary = forms.CharField(label=_("摘要"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("纯文本,空一行分段;不支持 HTML"),
    )  # fmt: skip
    tags = forms.CharField(label=_("标签"), required=False, help_text=_("用逗号或空格分隔,最多 8 个"))
    enterprises = forms.CharField(
        label=_("相关企业"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个企业名称或统一社会信用代码,须为辖区内企业"),
    )  # fmt: skip
    cover = forms.FileField(label=_("封面图片"), required=False, help_text=_("PNG 或 JPG,不超过 2 MB"))

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].queryset = scope_queryset(
            user, Region.objects.filter(level__in=("district", "town", "street"))
        )
        if editing:
            del self.fields["region"]

    def clean_enterprises(self) -> list[Enterprise]:
        lines = [line.strip() for line in self.cleaned_data["enterprises"].splitlines() if line.strip()]
        visible = scope_queryset(self.user, Enterprise.objects.all())
        found, missing = [], []
        for line in lines:
            match = visible.filter(Q(uscc=line.upper()) | Q(name=line)).first()
            (found.append(match) if match else missing.append(line))
        if missing:
            raise ValidationError(_("未找到辖区内的企业:%(names)s") % {"names": "、".join(missing)})
        return found

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "data": {key: data[key] for key in ("title", "kind", "summary", "body")},
            "tags": data["tags"],
            "enterprises": data["enterprises"],
            "cover": data.get("cover"),
        }

    @staticmethod
    def initial_for(article: Article) -> dict:
        return {
            "title": article.title, "kind": article.kind, "summary": article.summary, "body": article.body,
            "tags": " ".join(t.name for t in article.tags.all()),
            "enterprises": "\n".join(e.name for e in article.enterprises.all()),
        }  # fmt: skip


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("submit", "publish", "return", "withdraw", "reopen")])
    comment = forms.CharField(
        label=_("审核意见"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
