from django import forms
from django.utils.translation import gettext_lazy as _

from .exports import FIGURES


class CockpitForm(forms.Form):
    """The cockpit's query string. The town is only parsed here: the view asks the permission layer
    whether the user may see it (an out-of-scope town is refused, not reported as a bad choice)."""

    town = forms.SlugField(label=_("镇/街道"), required=False, max_length=40)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, years: list[int], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(y, _("%(year)s年") % {"year": y}) for y in reversed(years)]


class ExportForm(CockpitForm):
    figure = forms.ChoiceField(label=_("图表"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["figure"].choices = [("", _("全部"))] + [(key, f.title) for key, f in FIGURES.items()]
