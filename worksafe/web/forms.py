from django import forms
from django.utils.translation import gettext_lazy as _

from worksafe.hazards.forms import HazardFilterForm, with_any
from worksafe.orgs.models import Industry
from worksafe.regions.models import REGION_CODE
from worksafe.regions.widgets import RegionPicker


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=with_any(Industry.choices), required=False)
    region = forms.RegexField(
        label=_("Region"),
        regex=REGION_CODE,
        required=False,
        widget=RegionPicker,
        error_messages={"invalid": _("A region code has 6 or 9 digits.")},
    )

    filter_values = HazardFilterForm.filter_values
