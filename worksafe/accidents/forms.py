from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from worksafe.orgs.models import Industry
from worksafe.orgs.widgets import EnterprisePicker
from worksafe.regions.widgets import RegionPicker

from .models import AccidentType, Decision, ReportDuty, Track

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NUMBER = {"inputmode": "numeric", "min": "0"}


class CaseForm(forms.Form):
    """A form of the case page, which shows many: its ids carry its name (casualty_deaths),
    so no two inputs share an id and every label names its own input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", type(self).__name__.removesuffix("Form").lower() + "_%s")
        super().__init__(*args, **kwargs)


class AccidentForm(forms.Form):
    """Reporting on a phone: the six required facts first, the rest optional."""

    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=DATETIME)
    region = forms.CharField(label=_("Region"), max_length=9, widget=RegionPicker)
    # No industry is assumed: a wrong default (coal mine, in a city without one) is easily kept.
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", _("Choose")), *Industry.choices])
    deaths = forms.IntegerField(
        label=_("Deaths"), min_value=0, max_value=100_000, initial=0, widget=forms.NumberInput(NUMBER)
    )
    missing = forms.IntegerField(
        label=_("Missing"), min_value=0, max_value=100_000, initial=0, widget=forms.NumberInput(NUMBER)
    )
    serious_injuries = forms.IntegerField(
        label=_("Serious injuries"), min_value=0, max_value=100_000, widget=forms.NumberInput(NUMBER)
    )
    direct_economic_loss = forms.DecimalField(
        label=_("Direct economic loss (yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput({"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=None, required=False, widget=EnterprisePicker
    )
    accident_type = forms.ChoiceField(
        label=_("Accident type"), choices=[("", _("By industry")), *AccidentType.choices], required=False
    )
    learned_at = forms.DateTimeField(label=_("Unit learned of it at"), widget=DATETIME, required=False)
    location = forms.CharField(label=pgettext_lazy("accident", "Location"), max_length=200, required=False)
    summary = forms.CharField(
        label=pgettext_lazy("accident", "Summary"), widget=forms.Textarea({"rows": 4}), required=False
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = self.fields["enterprise"].widget.queryset = enterprises

    def clean_enterprise(self):
        enterprise = self.cleaned_data.get("enterprise")
        return enterprise.pk if enterprise else None


class CasualtyForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    deaths = forms.IntegerField(
        label=_("Deaths"), min_value=0, max_value=100_000, widget=forms.NumberInput(NUMBER)
    )
    missing = forms.IntegerField(
        label=_("Missing"), min_value=0, max_value=100_000, widget=forms.NumberInput(NUMBER)
    )
    serious_injuries = forms.IntegerField(
        label=_("Serious injuries"), min_value=0, max_value=100_000, widget=forms.NumberInput(NUMBER)
    )
    direct_economic_loss = forms.DecimalField(
        label=_("Direct economic loss (yuan)"), min_value=0, max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("What changed"), max_length=5000, required=False)


class ReportMadeForm(CaseForm):
    reported_at = forms.DateTimeField(label=_("Reported at"), widget=DATETIME, required=False)
    note = forms.CharField(label=_("Note"), max_length=5000, required=False)


class ReportFlagForm(CaseForm):
    irregularity = forms.ChoiceField(
        label=_("Irregularity"), choices=ReportDuty.Irregularity.choices, required=False
    )
    note = forms.CharField(label=_("Facts found"), max_length=5000)


class InvestigationForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    lead_authority = forms.CharField(label=_("Lead authority"), max_length=200, required=False)
    team = forms.CharField(
        label=_("Team members (one a line: name, unit, role)"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
    )
    direct_causes = forms.CharField(
        label=_("Direct causes"), widget=forms.Textarea({"rows": 3}), required=False
    )
    indirect_causes = forms.CharField(
        label=_("Indirect causes"), widget=forms.Textarea({"rows": 3}), required=False
    )

    def team_members(self) -> list[dict]:
        members = []
        for line in (self.cleaned_data.get("team") or "").splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if any(parts):
                members.append(
                    {
                        "name": parts[0],
                        "unit": parts[1] if len(parts) > 1 else "",
                        "role": parts[2] if len(parts) > 2 else "",
                    }
                )
        return members


class ExtendForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=60)
    approved_by = forms.CharField(label=_("Approved by"), max_length=200)
    reason = forms.CharField(label=_("Reason"), max_length=5000)


class TrackForm(CaseForm):
    kind = forms.ChoiceField(choices=Track.Kind.choices, widget=forms.HiddenInput)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea({"rows": 3}), required=False)
    close = forms.BooleanField(label=_("Track closed"), required=False)


class ConcludeForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea({"rows": 3}))


class DecisionForm(CaseForm):
    subject = forms.ChoiceField(label=_("Against"), choices=Decision.Subject.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Decision.Kind.choices)
    person_name = forms.CharField(label=_("Person"), max_length=100, required=False)
    organization = forms.TypedChoiceField(
        label=_("Organization"), coerce=int, required=False, empty_value=None
    )
    basis = forms.CharField(label=_("Legal basis"), max_length=5000)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    previous_year_income = forms.DecimalField(
        label=_("Previous-year income (yuan)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    aggravated = forms.BooleanField(label=_("Particularly grave circumstances"), required=False)
    outside_range_reason = forms.CharField(
        label=_("Reason for leaving the range"), max_length=5000, required=False
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "—"), *[(o.pk, o.name) for o in organizations]]
