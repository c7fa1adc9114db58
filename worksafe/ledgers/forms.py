from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ledger"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (nothing is saved)"),
        required=False,
        initial=True,
        help_text=_("Check first; from the result page you can then import the valid rows."),
    )

    def __init__(self, *args, kinds, **kwargs):
        """`kinds`: the ledgers the user may import (rules.may_import); only those are offered."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
