"""The routing rule form: it parses choices; the routing service checks scope and the officer for real."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RoutingRuleForm(forms.Form):
    town = forms.TypedChoiceField(label=_("镇/街道"), coerce=int)
    category = forms.ChoiceField(label=_("诉求类别"), required=False)
    officer = forms.TypedChoiceField(label=_("承办人"), coerce=int)

    def __init__(self, *args, towns, categories, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [(t.pk, str(t)) for t in towns]
        self.fields["category"].choices = [("", _("全部类别(默认)"))] + [(c.code, str(c)) for c in categories]
        self.fields["officer"].choices = [(o.pk, f"{o} · {o.region}") for o in officers]
