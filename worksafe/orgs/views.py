"""Account pages: users, organizations, the profile and one's own password.

Thin like every page: scoped selectors find the objects (out of scope is 404), `rules` says who
may open a form (403 before anything is typed), and the same services as the API write.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from worksafe.core.errors import DomainError
from worksafe.core.pages import call_service, raise_for_page
from worksafe.core.pagination import keyset_page

from . import rules, services
from .forms import (
    OrganizationForm,
    OrganizationSearchForm,
    OwnPasswordChangeForm,
    UserCreateForm,
    UserEditForm,
    UserSearchForm,
)
from .models import Industry, Role
from .selectors import (
    OrganizationFilters,
    live_tokens,
    organization_list,
    organization_search,
    user_list,
    user_search,
)

PAGE_SIZE = 25


def _require_manager(request) -> None:
    if not rules.may_manage_accounts(request.user):
        raise PermissionDenied(_("Only an administrator or an office manages accounts."))


def _forbid(reason) -> None:
    if reason:
        raise PermissionDenied(reason)


def _list_page(request, template: str, form, queryset, key: str):
    try:
        items, cursor = keyset_page(queryset, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except DomainError:  # a mangled cursor starts over at the first page
        items, cursor = keyset_page(queryset, cursor=None, limit=PAGE_SIZE)
    params = request.GET.copy()
    params.pop("cursor", None)
    context = {"form": form, key: items, "next_cursor": cursor, "query": params.urlencode()}
    if request.htmx and request.GET.get("cursor"):
        return render(request, f"{template}#rows", context)
    return render(request, template, context)


def _form_page(request, template: str, form, **context):
    return render(request, template, {"form": form, **context}, status=422 if form.errors else 200)


# --- users -------------------------------------------------------------------------------------


@login_required
def accounts_home(request):
    _require_manager(request)
    return redirect("orgs:user_list")


@login_required
def user_list_view(request):
    _require_manager(request)
    form = UserSearchForm(request.GET)
    queryset = user_search(visible_to=request.user, **form.values())
    return _list_page(request, "orgs/user_list.html", form, queryset, "people")


@login_required
def user_create_view(request):
    _require_manager(request)
    initial = {}
    preset = request.GET.get("organization", "")
    # Linked from an organization's page: that organization chosen, and its usual role.
    if preset.isdigit() and len(preset) < 19:
        org = organization_list(visible_to=request.user).filter(pk=preset).first()
        if org is not None:
            initial = {"organization": org.pk, "role": Role.ENTERPRISE_OFFICER if org.is_enterprise else ""}
    form = UserCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = call_service(
            request, lambda: services.user_create(actor=request.user, **form.cleaned_data), form=form
        )
        if person is not None:
            messages.success(request, _("Account %(username)s created.") % {"username": person.username})
            return redirect("orgs:user_edit", pk=person.pk)
    return _form_page(request, "orgs/user_form.html", form)


def _person(request, pk: int):
    """A user in scope whom the actor may manage: 404 outside scope, 403 otherwise."""
    _require_manager(request)
    person = get_object_or_404(user_list(visible_to=request.user), pk=pk)
    _forbid(rules.why_not_manage_user(request.user, role=person.role, organization=person.organization))
    return person


@login_required
def user_edit_view(request, pk: int):
    person = _person(request, pk)
    initial = {
        "name": person.name,
        "email": person.email,
        "role": person.role,
        "organization": person.organization_id,
        "is_active": person.is_active,
    }
    form = UserEditForm(request.POST or None, user=request.user, target=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.user_update(actor=request.user, user_id=person.pk, **form.cleaned_data)  # noqa: E731
        if call_service(request, call, form=form) is not None:
            messages.success(request, _("Account saved."))
            return redirect("orgs:user_edit", pk=person.pk)
    return _form_page(request, "orgs/user_edit.html", form, person=person)


@never_cache
@login_required
def user_reset_view(request, pk: int):
    """GET asks to confirm; POST sets a temporary password and shows it this once (never stored
    in clear, never cached), so the admin can hand it over."""
    person = _person(request, pk)
    _forbid(rules.why_not_reset_password(request.user, person))
    if request.method != "POST":
        return render(request, "orgs/user_reset.html", {"person": person})
    try:
        person, password = services.user_password_reset(actor=request.user, user_id=person.pk)
    except DomainError as exc:
        raise_for_page(exc)
        raise
    return render(request, "orgs/user_reset.html", {"person": person, "temporary_password": password})


# --- organizations -----------------------------------------------------------------------------


@login_required
def organization_list_view(request):
    _require_manager(request)
    form = OrganizationSearchForm(request.GET)
    queryset = organization_search(visible_to=request.user, filters=OrganizationFilters(**form.values()))
    return _list_page(request, "orgs/organization_list.html", form, queryset, "organizations")


@login_required
def organization_create_view(request):
    _require_manager(request)
    form = OrganizationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        org = call_service(
            request,
            lambda: services.organization_create(actor=request.user, kind=kind, **form.service_values()),
            form=form,
        )
        if org is not None:
            messages.success(request, _("%(name)s registered.") % {"name": org.name})
            return redirect("orgs:organization_edit", pk=org.pk)
    return _form_page(request, "orgs/organization_form.html", form)


@login_required
def organization_edit_view(request, pk: int):
    _require_manager(request)
    org = get_object_or_404(organization_list(visible_to=request.user), pk=pk)
    _forbid(rules.why_not_manage_organization(request.user, kind=org.kind, region_code=org.region_id))
    form = OrganizationForm(
        request.POST or None, user=request.user, organization=org, initial=OrganizationForm.initial_for(org)
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or 0
        saved = call_service(
            request,
            lambda: services.organization_update(
                actor=request.user, organization_id=org.pk, version=version, **form.service_values()
            ),
            form=form,
        )
        if saved is not None:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("orgs:organization_edit", pk=org.pk)
    people = user_list(visible_to=request.user).filter(organization=org).order_by("username")
    return _form_page(request, "orgs/organization_form.html", form, organization=org, people=people)


# --- one's own account -------------------------------------------------------------------------


@login_required
def profile_view(request):
    org = request.user.organization
    codes = ([org.industry] if org.industry else []) + list(org.industries) if org else []
    return render(
        request,
        "orgs/profile.html",
        {
            "org": org,
            "industries": [Industry(c).label for c in codes if c in Industry.values],
            "tokens": list(live_tokens(request.user)),
        },
    )


@require_POST
@login_required
def token_revoke_view(request, pk: int):
    try:
        services.token_revoke_own(actor=request.user, token_id=pk)
    except DomainError as exc:
        raise_for_page(exc)
        raise
    messages.success(request, _("Token revoked: it no longer opens the API."))
    return redirect("orgs:profile")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view with our template and the service's audit event."""

    form_class = OwnPasswordChangeForm
    template_name = "orgs/password_change.html"
    success_url = reverse_lazy("orgs:profile")

    def form_valid(self, form):
        response = super().form_valid(form)  # saves, and keeps this device signed in
        messages.success(self.request, _("Your password was changed."))
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response
