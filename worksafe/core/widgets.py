"""Pickers for the two things people choose by name, never by code: a region (a tree opened on
demand) and an enterprise (search as you type). Both read through the scoped endpoints of the
web pages; the form field behind them still validates the code or id against the scope."""

from django import forms


class RegionPicker(forms.TextInput):
    """The region code field, kept typeable, with a tree of the user's regions beside it."""

    template_name = "web/_region_picker.html"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def get_context(self, name, value, attrs):
        from worksafe.regions.models import Region

        context = super().get_context(name, value, attrs)
        code = str(value or "")
        context["widget"]["label"] = (
            Region.objects.filter(pk=code).values_list("name", flat=True).first() if code.isdigit() else ""
        )
        return context


class EnterprisePicker(forms.TextInput):
    """An enterprise chosen by name or credit code: the id travels in a hidden input. The form
    sets `queryset` to the user's scope, so a foreign id shows no name."""

    template_name = "web/_enterprise_picker.html"
    input_type = "hidden"
    is_hidden = False  # still a visible field with its label: the search box carries the id
    queryset = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pk = str(value or "")
        label = ""
        if pk.isdigit() and len(pk) < 19 and self.queryset is not None:
            label = self.queryset.filter(pk=pk).values_list("name", flat=True).first() or ""
        context["widget"]["label"] = label
        return context
