"""Forms of the chain map pages: the scope and size selector, and adding an edge."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanlian.enterprises.models import ChainNode

from .models import ChainEdge

SIZES = (("enterprises", _("企业数")), ("revenue", _("营业收入")))


class ScopeForm(forms.Form):
    """`?scope=<region code>&size=enterprises|revenue`; both optional."""

    scope = forms.ChoiceField(label=_("范围"), required=False)
    size = forms.ChoiceField(label=_("节点大小"), choices=SIZES, required=False)

    def __init__(self, *args, scopes=(), sizes=SIZES, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(r.code, r.name) for r in scopes]
        self.fields["size"].choices = sizes

    def cleaned(self, key: str, default: str = "") -> str:
        return (self.cleaned_data.get(key) if self.is_valid() else "") or default


class NodeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class EdgeForm(forms.Form):
    supplier = NodeChoice(
        label=_("供给环节"), queryset=ChainNode.objects.order_by("sort", "code"), to_field_name="code"
    )
    customer = NodeChoice(
        label=_("需求环节"), queryset=ChainNode.objects.order_by("sort", "code"), to_field_name="code"
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=ChainEdge._meta.get_field("note").max_length,
        help_text=_("供给方向需求方提供什么,例如「原料药与辅料供化学药生产」"),
    )
