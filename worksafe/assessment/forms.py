from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from worksafe.core.dates import validate_date_range
from worksafe.regions.widgets import RegionPicker

from .models import Indicator, Subject

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    region = forms.CharField(label=_("Assessing region"), max_length=9, widget=RegionPicker)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE, validators=[validate_date_range])
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, validators=[validate_date_range])
    pass_mark = forms.DecimalField(
        label=_("Pass mark (points)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("A subject scoring at least this is qualified; empty: the usual mark."),
    )


class SubjectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Subject.Kind.choices)
    region = forms.CharField(label=_("Region"), max_length=9, widget=RegionPicker)
    organization = forms.TypedChoiceField(
        label=pgettext_lazy("assessment subject", "Department"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "—"), *[(d.pk, d.name) for d in departments]]


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    metric = forms.ChoiceField(label=_("Measured by"), choices=Indicator.Metric.choices)
    rule = forms.ChoiceField(label=_("Scoring rule"), choices=Indicator.Rule.choices)
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_digits=6, decimal_places=2)
    penalty = forms.DecimalField(
        label=_("Points per count"), min_value=0, max_digits=6, decimal_places=2, required=False, initial=0
    )


class IndicatorWeightForm(forms.Form):
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_digits=6, decimal_places=2)
    penalty = forms.DecimalField(
        label=_("Points per count"), min_value=0, max_digits=6, decimal_places=2, required=False
    )


class ManualScoreForm(forms.Form):
    subject = forms.TypedChoiceField(label=_("Subject"), coerce=int)
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    score = forms.DecimalField(label=_("Score"), min_value=0, max_digits=6, decimal_places=2)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, subjects=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(s.pk, s.name) for s in subjects]
        self.fields["indicator"].choices = [(i.pk, f"{i.name} (≤ {i.weight})") for i in indicators]
