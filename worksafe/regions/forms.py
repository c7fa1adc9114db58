from django import forms
from django.utils.translation import gettext_lazy as _


class RegionForm(forms.Form):
    """Code and parent are set once, at creation; afterwards only the name and edition change."""

    code = forms.CharField(
        label=_("Code"),
        max_length=9,
        help_text=_("6 digits (GB/T 2260), or 9 for a township or street."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    parent = forms.ChoiceField(label=_("Parent"), required=False)
    edition = forms.CharField(label=_("Code edition"), max_length=10, required=False)

    def __init__(self, *args, parents, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "—"), *parents]
        if region is not None:
            self.fields["code"].disabled = self.fields["parent"].disabled = True
