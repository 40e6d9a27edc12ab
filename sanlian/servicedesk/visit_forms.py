"""Forms of officers' visits (走访): recording a visit and filtering the list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Visit
from .services.visits import NOTES_MAX


class VisitForm(forms.Form):
    visited_date = forms.DateField(label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("走访记录"),
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("10–4000 字:企业经营情况、诉求与跟进事项"),
    )
    flags = forms.MultipleChoiceField(
        label=_("风险提示"), choices=Visit.Flag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    acknowledge_recent = forms.BooleanField(label=_("仍要记录"), required=False)

    def __init__(self, *args, show_acknowledge: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The checkbox appears only after the service warned of another officer's recent visit.
        if not show_acknowledge:
            del self.fields["acknowledge_recent"]

    @property
    def acknowledged(self) -> bool:
        return bool(self.cleaned_data.get("acknowledge_recent"))

    def service_data(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("visited_date", "notes", "flags")}


class VisitFilterForm(forms.Form):
    flag = forms.ChoiceField(label=_("风险提示"), required=False)
    officer = forms.TypedChoiceField(label=_("走访人员"), required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, officers=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flag"].choices = [("", _("全部"))] + list(Visit.Flag.choices)
        self.fields["officer"].choices = [("", _("全部"))] + [(u.pk, str(u)) for u in officers]
        self.fields["year"].choices = [("", _("全部"))] + [(y, str(y)) for y in years]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"flag": data.get("flag") or "", "officer": data.get("officer"), "year": data.get("year")}
