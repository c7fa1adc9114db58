"""The region picker: a region is chosen by name, never by code, from a tree opened on demand
(read through the scoped endpoint of the web pages). The form field behind it still validates
the code against the user's scope."""

from django import forms

from .models import Region


class RegionPicker(forms.TextInput):
    """The region code field, kept typeable, with a tree of the user's regions beside it."""

    template_name = "web/_region_picker.html"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        code = str(value or "")
        context["widget"]["label"] = (
            Region.objects.filter(pk=code).values_list("name", flat=True).first() if code.isdigit() else ""
        )
        return context
