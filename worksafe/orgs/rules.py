"""Who may manage organizations and accounts (design.md "Who uses it").

The one place these rules live: the services enforce them, the pages and the API only ask, so
the two can never answer the same person differently. Each `why_not_*` returns None when the
action is allowed, else the reason shown with the 403.
"""

from django.utils.translation import gettext_lazy as _

from .models import Organization, Role
from .scope import sees_region

# Offices manage the enterprises of their area and the enterprises' safety officers.
OFFICE_KINDS = (Organization.Kind.ENTERPRISE,)
OFFICE_ROLES = (Role.ENTERPRISE_OFFICER,)


def may_manage_accounts(user) -> bool:
    """Whether the user works the account pages at all (admins everywhere, offices in their area)."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.OFFICE)


def creatable_kinds(user) -> list[str]:
    if user.role == Role.ADMIN:
        return list(Organization.Kind.values)
    return list(OFFICE_KINDS) if user.role == Role.OFFICE else []


def assignable_roles(user) -> list[str]:
    if user.role == Role.ADMIN:
        return list(Role.values)
    return list(OFFICE_ROLES) if user.role == Role.OFFICE else []


def why_not_manage_organization(user, *, kind: str, region_code: str):
    """Registering or editing an organization of `kind` in `region_code`."""
    if user.role == Role.ADMIN:
        return None
    if user.role == Role.OFFICE and kind in OFFICE_KINDS and sees_region(user, region_code):
        return None
    if user.role == Role.OFFICE and kind in OFFICE_KINDS:
        return _("An office registers the enterprises of its own area only.")
    return _("Only an administrator manages governments, offices and departments.")


def may_override_uscc(user) -> bool:
    # domain.md §7.1: a pilot code that fails the checksum is accepted by an admin, on record.
    return user.role == Role.ADMIN


def why_not_manage_user(actor, *, role: str, organization: Organization | None):
    """Creating or editing an account that has (or will have) `role` in `organization`."""
    if actor.role == Role.ADMIN:
        return None
    if (
        actor.role == Role.OFFICE
        and role in OFFICE_ROLES
        and organization is not None
        and organization.kind in OFFICE_KINDS
        and sees_region(actor, organization.region_id)
    ):
        return None
    return _("An office manages the accounts of enterprise safety officers in its own area only.")


def why_not_edit_user(actor, target, *, role: str, organization: Organization | None, is_active: bool):
    """An edit is allowed when the actor may manage the account both as it is and as it will be;
    nobody demotes or deactivates themselves (an admin could lock the last admin out)."""
    if target.pk == actor.pk and (role != target.role or not is_active):
        return _("You cannot change your own role or deactivate yourself.")
    return why_not_manage_user(actor, role=target.role, organization=target.organization) or (
        why_not_manage_user(actor, role=role, organization=organization)
    )


def why_not_reset_password(actor, target):
    if target.pk == actor.pk:
        return _("Change your own password on your profile page.")
    return why_not_manage_user(actor, role=target.role, organization=target.organization)


def may_list_enterprises(user) -> bool:
    """Experts see only the hidden dangers assigned to them, no enterprise directory; an
    enterprise officer sees its own enterprise."""
    return user.role != Role.EXPERT
