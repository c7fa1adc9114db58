"""Forms of the hazard pages. They check shapes (a date is a date); the services decide the rules, and
their error keys are these forms' field names, so a rule's message lands next to its field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from worksafe.core.dates import validate_date_range
from worksafe.core.errors import TEXT_MAX
from worksafe.hazards.models import Evidence, Hazard
from worksafe.orgs.models import Industry, Role
from worksafe.orgs.selectors import enterprise_list, expert_list
from worksafe.orgs.widgets import EnterprisePicker
from worksafe.regions.models import REGION_CODE
from worksafe.regions.widgets import RegionPicker

EVIDENCE_ACCEPT = "image/*,application/pdf"


class EvidenceInput(forms.FileInput):
    """Pick an existing photo or a PDF, or take a photo: `capture` alone would open the camera
    directly on Android and hide the gallery and files (first-user review D18)."""

    template_name = "hazards/_evidence_input.html"

    def __init__(self, attrs=None):
        super().__init__({"accept": EVIDENCE_ACCEPT, **(attrs or {})})

    def use_required_attribute(self, initial) -> bool:
        return False  # either input may carry the file; the form still requires one


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format or "%Y-%m-%d")


def with_any(choices) -> list:
    return [("", _("Any")), *choices]


class HazardFilterForm(forms.Form):
    # Each sort is one indexed column with the id as tie-break, so pages stay keyset pages.
    SORTS = {"newest": "-pk", "oldest": "pk", "due": "due_date", "due_late": "-due_date", "major": "-level"}
    SORT_LABELS = [
        ("newest", _("Newest reported")),
        ("oldest", _("Oldest reported")),
        ("due", _("Due soonest")),
        ("due_late", _("Due latest")),
        ("major", _("Major first")),
    ]

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=with_any(Hazard.Status.choices), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=with_any(Hazard.Level.choices), required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=with_any(Industry.choices), required=False)
    region = forms.RegexField(
        label=_("Region"),
        regex=REGION_CODE,
        required=False,
        widget=RegionPicker,
        error_messages={"invalid": _("A region code has 6 or 9 digits.")},
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=None, required=False, widget=EnterprisePicker
    )
    overdue = forms.TypedChoiceField(
        label=_("Overdue"),
        choices=[("", _("Any")), ("1", _("Overdue only")), ("0", _("Not overdue"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    open = forms.BooleanField(label=_("Open only"), required=False)
    due = forms.ChoiceField(
        label=_("Due"), choices=[("", _("Any")), ("week", _("Within 7 days"))], required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=[("", _("Newest reported")), *SORT_LABELS], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = self.fields["enterprise"].widget.queryset = enterprise_list(
            visible_to=user
        )

    def filter_values(self) -> dict:
        """The valid filters only: a bad value is shown as an error and ignored, never a 500."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})


class BulkForm(forms.Form):
    """What a batch action needs besides the ticked rows (`ids`, read by the view)."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[(Hazard.Action.ASSIGN, _("Assign")), (Hazard.Action.ACCEPT, _("Accept"))]
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=5000, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)


class HazardForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None, widget=EnterprisePicker)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=TEXT_MAX
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Hazard.Level.choices, initial=Hazard.Level.GENERAL)
    source = forms.ChoiceField(label=pgettext_lazy("hazard", "Source"), choices=Hazard.Source.choices)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput, validators=[validate_date_range])
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=100, required=False)
    file = forms.FileField(
        label=_("Photo before rectification (optional)"),
        required=False,
        widget=EvidenceInput,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enterprises = enterprise_list(visible_to=user)
        self.fields["enterprise"].queryset = self.fields["enterprise"].widget.queryset = enterprises
        if user.role == Role.ENTERPRISE_OFFICER:
            # An enterprise reports only for itself and only what it found itself (design.md).
            self.initial["enterprise"] = self.fields["enterprise"].initial = user.organization_id
            self.fields["enterprise"].disabled = True
            self.fields["source"].initial = Hazard.Source.SELF_CHECK
            self.fields["source"].disabled = True
        else:
            self.fields["source"].initial = Hazard.Source.INSPECTION


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=Hazard.Action.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=DateInput, validators=[validate_date_range]
    )
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=100, required=False)
    expert = forms.ModelChoiceField(
        label=_("Reviewing expert"), queryset=None, required=False, empty_label=_("No expert")
    )

    # Which inputs each action shows; the hidden action and version go with every one.
    FIELDS = {
        Hazard.Action.ASSIGN: ("due_date", "responsible_person", "expert", "note"),
        Hazard.Action.SUBMIT: ("note",),
        Hazard.Action.ACCEPT: ("note",),
        Hazard.Action.REJECT: ("note",),
        Hazard.Action.CANCEL: ("note",),
    }

    def __init__(self, *args, user, action: str, **kwargs):
        kwargs.setdefault("auto_id", f"{action}_%s")
        super().__init__(*args, **kwargs)
        self.action_name = action
        self.fields["expert"].queryset = expert_list(visible_to=user).order_by("name", "pk")
        if action in (Hazard.Action.REJECT, Hazard.Action.CANCEL):
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason")

    def visible_for_action(self):
        return [self[name] for name in self.FIELDS.get(self.action_name, ())]


class PlanForm(forms.Form):
    """The five implementations of a major hidden danger (domain.md §2.2); a blank field clears
    it, so the form always shows and saves the whole plan."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    measures = forms.CharField(
        label=_("Measures"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=TEXT_MAX
    )
    responsible_person = forms.CharField(label=_("Person responsible"), max_length=100, required=False)
    funds = forms.DecimalField(
        label=_("Funds (yuan)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    deadline = forms.DateField(
        label=_("Deadline"), widget=DateInput, required=False, validators=[validate_date_range]
    )
    contingency_plan = forms.CharField(
        label=_("Contingency plan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_MAX,
    )

    @classmethod
    def initial_for(cls, hazard: Hazard) -> dict:
        return {
            "version": hazard.version,
            "measures": hazard.plan_measures,
            "responsible_person": hazard.plan_responsible_person,
            "funds": hazard.plan_funds,
            "deadline": hazard.plan_deadline,
            "contingency_plan": hazard.plan_contingency,
        }


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices, initial=Evidence.Kind.AFTER)
    file = forms.FileField(
        label=_("Photo or PDF"),
        widget=EvidenceInput,
    )
