from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from worksafe.core.dates import validate_date_range
from worksafe.core.errors import LONG_TEXT_MAX, TEXT_MAX, TITLE_MAX
from worksafe.orgs.models import Industry
from worksafe.regions.widgets import RegionPicker

from .models import Meeting
from .services import NAME_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinesField(forms.CharField):
    """A list of short texts, one per line (names of people, of campaigns)."""

    widget = forms.Textarea({"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, (list, tuple)) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        if any(len(line) > NAME_MAX for line in value):
            raise forms.ValidationError(_("A name has at most %(n)s characters.") % {"n": NAME_MAX})


class ReadForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the report"), max_length=200_000, widget=forms.Textarea({"rows": 12})
    )
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=DATE,
        validators=[validate_date_range],
        help_text=_("Dates such as “today” in the report are read against it."),
    )


class MeetingForm(forms.Form):
    region = forms.CharField(label=_("Region"), max_length=9, widget=RegionPicker)
    title = forms.CharField(label=pgettext_lazy("meeting", "Title"), max_length=TITLE_MAX)
    held_on = forms.DateField(label=_("Held on"), widget=DATE, validators=[validate_date_range])
    form = forms.ChoiceField(label=pgettext_lazy("meeting", "Form"), choices=Meeting.Form.choices)
    chair = forms.CharField(label=_("Chair"), max_length=NAME_MAX, required=False)
    people = LinesField(label=_("Officials present (one per line)"), required=False)
    industries = forms.MultipleChoiceField(
        label=_("Industries"), choices=Industry.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    campaigns = LinesField(label=_("Campaigns (one per line)"), required=False)
    summary = forms.CharField(
        label=pgettext_lazy("meeting", "Summary"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    minutes = forms.CharField(
        label=_("Minutes"), max_length=LONG_TEXT_MAX, required=False, widget=forms.Textarea({"rows": 6})
    )


class DirectiveForm(forms.Form):
    text = forms.CharField(label=_("Directive"), max_length=TEXT_MAX, widget=forms.Textarea({"rows": 2}))
    industries = forms.MultipleChoiceField(label=_("Industries"), choices=Industry.choices, required=False)


DirectiveFormSet = forms.formset_factory(DirectiveForm, extra=1, can_delete=True, max_num=200)
