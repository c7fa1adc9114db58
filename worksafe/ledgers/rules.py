"""Who may import which ledger. The import runs every row through the register's own
services, so these only say who may start one; each row is still checked in scope."""

from worksafe.hazards import rules as hazard_rules
from worksafe.orgs.models import Role

from .models import ImportKind


def may_import(user, kind: str | None = None) -> bool:
    """Enterprises are registered by an administrator or an office (in its own area, checked per
    row); hidden dangers by whoever may report them. Without a kind: may import any ledger."""
    if kind is None:
        return any(may_import(user, k) for k in ImportKind.values)
    if kind == ImportKind.ENTERPRISES:
        return user.role in (Role.ADMIN, Role.OFFICE)
    return hazard_rules.may_report(user)


def may_apply(user, job) -> bool:
    """Only the person who uploaded the ledger imports it for real."""
    return job.user_id == user.pk
