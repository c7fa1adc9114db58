"""Page forms. They only collect input: the services validate and decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from worksafe.core.dates import validate_date_range
from worksafe.orgs.models import Industry, Organization, Role
from worksafe.orgs.selectors import user_list
from worksafe.orgs.widgets import EnterprisePicker
from worksafe.regions.widgets import RegionPicker

from .models import Enforcement, Finding, Inspection, InspectionPlan, Opinion
from .penalties import FINE_RANGES, fine_range_text
from .selectors import checklist_list, referral_receivers, referral_receivers_in_scope, target_list


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


CHOOSE = _("Choose…")


def _team_choices(user):
    return user_list(visible_to=user).filter(is_active=True, role__in=[Role.INSPECTOR, Role.OFFICE])


class InspectionForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Target"), queryset=Organization.objects.none(), empty_label=CHOOSE
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Inspection.Kind.choices)
    planned_on = forms.DateField(label=_("Planned on"), widget=DateInput, validators=[validate_date_range])
    checklist = forms.ModelChoiceField(
        label=_("Checklist"),
        queryset=None,
        required=False,
        empty_label=_("The latest national checklist of the target's industry"),
    )
    team = forms.ModelMultipleChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to inspect yourself."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = target_list(visible_to=user).order_by("kind", "name")
        self.fields["checklist"].queryset = checklist_list(visible_to=user).filter(is_active=True)
        self.fields["team"].queryset = _team_choices(user).order_by("organization__name", "username")
        self.fields["team"].label_from_instance = lambda u: f"{u.display_name} · {u.organization}"
        self.initial.setdefault("planned_on", timezone.localdate())


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Finding.Level.choices)


class FinishForm(forms.Form):
    # Yes, no or not said: "not operating" is a finding too, so it is never read from a blank box.
    found_operating = forms.NullBooleanField(
        label=_("The enterprise was found operating"),
        required=False,
        widget=forms.NullBooleanSelect,
        help_text=_("It is suspended or closed: operating now is an unauthorized resumption."),
    )
    allow_unanswered = forms.BooleanField(label=_("Finish with the unanswered items"), required=False)


class OpinionActForm(forms.Form):
    action = forms.ChoiceField(choices=Opinion.Action.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _id(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 19 else None


class EnforcementForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Organization.objects.none(), widget=EnterprisePicker
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Enforcement.Kind.choices)
    # data-for-kinds: inspections.js shows the field only for these kinds.
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"data-for-kinds": Enforcement.Kind.FINE}),
    )
    legal_article = forms.ChoiceField(
        label=_("Article"),
        required=False,
        help_text=_("A fine must lie in the article's range."),
        widget=forms.Select(attrs={"data-for-kinds": " ".join(Enforcement.PENALTIES)}),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=300,
        help_text=_("Left empty, the chosen article is cited."),
    )
    number = forms.CharField(label=_("Document number"), required=False, max_length=60)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=DateInput, validators=[validate_date_range]
    )
    referred_to = forms.ModelChoiceField(
        label=_("Refer to department"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("The department in charge nearest to the enterprise"),
        widget=forms.Select(attrs={"data-for-kinds": Enforcement.Kind.REFERRAL}),
    )
    inspection = forms.IntegerField(required=False, widget=forms.HiddenInput)
    referral = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = self.fields["target"].widget.queryset = target_list(
            visible_to=user
        ).filter(kind=Organization.Kind.ENTERPRISE)
        self.fields["legal_article"].choices = [("", _("Another basis (type it below)"))] + [
            (a.code, f"{a.label} · {fine_range_text(a)}") for a in FINE_RANGES
        ]
        # Only departments the service accepts: those of the chosen enterprise when it is known.
        target = self.fields["target"].queryset.filter(pk=_id(self["target"].value())).first()
        if target is not None:
            receivers = [org.pk for org in referral_receivers(target=target, exclude=user.organization_id)]
            departments = Organization.objects.filter(pk__in=receivers)
        else:
            departments = referral_receivers_in_scope(visible_to=user)
        self.fields["referred_to"].queryset = departments.order_by("region_id", "name")


class ChecklistItemForm(forms.Form):
    text = forms.CharField(
        label=_("Item (Chinese)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    gloss = forms.CharField(label=_("English gloss"), required=False, max_length=2000)
    is_major = forms.BooleanField(label=_("Failing it is a major hidden danger"), required=False)
    source = forms.CharField(label=_("Source"), required=False, max_length=300)


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), required=False, max_length=200)


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Campaign name"), max_length=200)
    method = forms.ChoiceField(label=_("Method"), choices=InspectionPlan.Method.choices)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k, label) for k, label in Inspection.Kind.choices if k != Inspection.Kind.GOVERNMENT_SUPERVISION
        ],
    )
    planned_on = forms.DateField(label=_("Planned on"), widget=DateInput, validators=[validate_date_range])
    target_count = forms.IntegerField(label=_("Targets to draw"), min_value=1, max_value=500, initial=5)
    team_size = forms.IntegerField(label=_("Inspectors per target"), min_value=1, max_value=10, initial=2)
    seed = forms.CharField(
        label=_("Seed"),
        required=False,
        max_length=64,
        help_text=_("Leave empty for a fresh random seed; it is recorded."),
    )
    pool = forms.ModelMultipleChoiceField(
        label=_("Inspector pool"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    industry = forms.ChoiceField(label=_("Industry"), required=False, choices=[("", "—"), *Industry.choices])
    region = forms.CharField(label=_("Region"), required=False, max_length=9, widget=RegionPicker)
    with_open_major_hazards = forms.BooleanField(
        label=_("Only with open major hidden dangers"), required=False
    )
    days_since_last_inspection = forms.IntegerField(
        label=_("Not inspected for at least (days)"), required=False, min_value=1, max_value=3650
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = _team_choices(user).order_by("organization__name", "username")
        self.fields["pool"].label_from_instance = lambda u: f"{u.display_name} · {u.organization}"
        self.initial.setdefault("planned_on", timezone.localdate())


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=DateInput, validators=[validate_date_range]
    )
    end = forms.DateField(label=_("To"), required=False, widget=DateInput, validators=[validate_date_range])
