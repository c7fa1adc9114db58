"""The enterprise picker: an enterprise is chosen by name or credit code (search as you type,
through the scoped endpoint of the web pages), never by id. The form field behind it still
validates the id against the user's scope."""

from django import forms


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
