"""Who may do what with organizations (design.md "Who uses it")."""

from .models import Role


def may_list_enterprises(user) -> bool:
    """Experts see only the hidden dangers assigned to them, no enterprise directory; an
    enterprise officer sees its own enterprise."""
    return user.role != Role.EXPERT
