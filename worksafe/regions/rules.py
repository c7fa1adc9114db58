"""Who may change the region tree (design.md "Who uses it": the administrator manages regions).

Regions know nothing of the other modules, so the role is compared by its code here.
"""

ADMIN = "admin"  # orgs.models.Role.ADMIN


def may_manage_regions(user) -> bool:
    return user.is_authenticated and getattr(user, "role", None) == ADMIN
