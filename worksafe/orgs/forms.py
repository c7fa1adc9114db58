"""Forms of the account pages. They check shapes; the services decide the rules, and their error
keys are these forms' field names, so a rule's message lands next to its field."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from worksafe.regions.models import Level
from worksafe.regions.selectors import region_subtree

from . import rules, services
from .models import Industry, Organization, Role
from .selectors import organization_list

# Beyond this many, the organization list is cut (with a note): reach an enterprise from its
# own page instead, which links the new-user form with the enterprise chosen.
MAX_ORGANIZATION_OPTIONS = 500
INDENT = {
    Level.PROVINCE: "",
    Level.PREFECTURE: "\u3000",
    Level.COUNTY: "\u3000\u3000",
    Level.TOWNSHIP: "\u3000" * 3,
}


def region_choices(user) -> list[tuple[str, str]]:
    """The regions the user works in, indented by level (an admin: all of them)."""
    within = user.organization.region_id if user.organization_id else None
    return [(r.code, f"{INDENT[r.level]}{r.name} ({r.code})") for r in region_subtree(within)]


def offer(field, shown) -> None:
    """Show only `shown`, yet accept any valid value: whether this person may use it is the
    service's answer (403), the same one the API gives, not the form's."""
    field.widget.choices = list(shown)


def _blank(choices, label=None) -> list:
    return [("", label or _("Any")), *choices]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)

    def values(self) -> dict:
        """The valid filters only: a bad value is shown as an error and ignored, never a 500."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class UserSearchForm(SearchForm):
    role = forms.ChoiceField(label=_("Role"), choices=_blank(Role.choices), required=False)


class OrganizationSearchForm(SearchForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(Organization.Kind.choices), required=False)


class OrganizationForm(forms.Form):
    """Every kind in one form: the enterprise and department parts apply to their kind only."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    region = forms.ChoiceField(label=_("Region"))
    status = forms.ChoiceField(label=_("Status"), choices=Organization.Status.choices)
    # Enterprises
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=40, required=False)
    uscc_override_reason = forms.CharField(
        label=_("Reason for accepting a code that fails the check"),
        help_text=_("Early pilot codes can fail the checksum yet be real; only an admin may accept one."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
    industry = forms.ChoiceField(label=_("Industry"), choices=_blank(Industry.choices, "—"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=100, required=False)
    safety_principal = forms.CharField(label=_("Principal person for safety"), max_length=100, required=False)
    staff_count = forms.IntegerField(
        label=_("Staff count"), min_value=0, max_value=10_000_000, required=False
    )
    # Departments
    industries = forms.MultipleChoiceField(
        label=_("Industries supervised"),
        choices=Industry.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    can_penalize = forms.BooleanField(label=_("May penalize"), required=False)

    ENTERPRISE_FIELDS = (
        "uscc",
        "uscc_override_reason",
        "industry",
        "address",
        "legal_representative",
        "safety_principal",
        "staff_count",
    )
    DEPARTMENT_FIELDS = ("industries", "can_penalize")

    def __init__(self, *args, user, organization: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in region_subtree()]
        offer(self.fields["region"], region_choices(user))
        if organization is None:
            kinds = rules.creatable_kinds(user)
            offer(self.fields["kind"], [(k, Organization.Kind(k).label) for k in kinds])
        else:  # the kind never changes: the people of the organization depend on it
            self.fields["kind"].disabled = True
            self.fields["kind"].initial = organization.kind
        if not rules.may_override_uscc(user):
            del self.fields["uscc_override_reason"]

    def part(self, names) -> list:
        return [self[name] for name in names if name in self.fields]

    def common_fields(self):
        return self.part(("kind", "name", "region", "status"))

    def enterprise_fields(self):
        return self.part(self.ENTERPRISE_FIELDS)

    def department_fields(self):
        return self.part(self.DEPARTMENT_FIELDS)

    def service_values(self) -> dict:
        """What the services take; `kind` and `version` are passed on their own."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("kind", "version")}
        data["uscc"] = data["uscc"] or None
        return data

    @staticmethod
    def initial_for(org: Organization) -> dict:
        initial = services.organization_values(org)
        initial.update(kind=org.kind, version=org.version, uscc=org.uscc or "")
        return initial


def _organization_field(user, required: bool) -> forms.IntegerField:
    kinds = set(rules.creatable_kinds(user)) if user.role != Role.ADMIN else None
    queryset = organization_list(visible_to=user).order_by("kind", "name")
    if kinds is not None:
        queryset = queryset.filter(kind__in=kinds)
    field = forms.IntegerField(label=_("Organization"), required=required, min_value=1, max_value=2**63 - 1)
    options = [(o.pk, f"{o.name} · {o.get_kind_display()}") for o in queryset[:MAX_ORGANIZATION_OPTIONS]]
    field.widget = forms.Select(choices=[("", "—"), *options])
    return field


class UserFormMixin:
    def _setup(self, user) -> None:
        self.fields["role"].choices = Role.choices
        offer(self.fields["role"], [(r, Role(r).label) for r in rules.assignable_roles(user)])
        self.fields["organization"] = _organization_field(user, required=False)
        self.fields["organization"].help_text = _(
            "Everyone except an administrator belongs to an organization."
        )

    def service_values(self) -> dict:
        return dict(self.cleaned_data)


class UserCreateForm(UserFormMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"))
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    must_change_password = forms.BooleanField(
        label=_("Must change the password at first login"), required=False, initial=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(user)
        self.order_fields(["username", "name", "email", "role", "organization"])


class UserEditForm(UserFormMixin, forms.Form):
    name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"))
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive account can neither log in nor use the API."),
    )

    def __init__(self, *args, user, target, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(user)
        # The current organization stays selectable even beyond the cut-off.
        choices = self.fields["organization"].widget.choices
        if target.organization_id and all(value != target.organization_id for value, _l in choices):
            choices.append((target.organization_id, str(target.organization)))
        self.order_fields(["name", "email", "role", "organization", "is_active"])


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form and validators; the write goes through the service so it is on record."""

    def save(self, commit=True):
        services.user_password_change(actor=self.user, password=self.cleaned_data["new_password1"])
        return self.user
