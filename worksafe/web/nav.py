"""The navigation each role sees: a plain list of items, each shown when its app's rule allows
it. The page behind a hidden item answers 403 by the same rule, so the nav never offers a page
the user cannot use. How the items look is up to the templates."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from worksafe.accidents import rules as accident_rules
from worksafe.assessment import rules as assessment_rules
from worksafe.inspections import rules as inspection_rules
from worksafe.inspections.nav import SUBNAV
from worksafe.ledgers import rules as ledger_rules
from worksafe.meetings import rules as meeting_rules
from worksafe.orgs import rules as org_rules


@dataclass(frozen=True)
class NavItem:
    key: str
    url: str
    label: Promise


def _everyone(user) -> bool:
    return True


# key, URL name, label, rule(user) -> bool
MAIN = [
    ("hazards", "hazards:list", _("Hidden dangers"), _everyone),
    ("enterprises", "web:enterprise_list", _("Enterprises"), org_rules.may_list_enterprises),
    ("inspections", "inspections:list", _("Inspections"), inspection_rules.may_view_inspections),
    ("enforcement", "inspections:enforcement_list", _("Enforcement"), inspection_rules.may_view_enforcement),
    ("accidents", "accidents:list", _("Accidents"), accident_rules.may_view_accidents),
    ("meetings", "meetings:list", _("Meetings"), meeting_rules.may_view_meetings),
    ("assessment", "assessment:list", _("Assessment"), assessment_rules.may_view_assessments),
    ("ledgers", "ledgers:upload", _("Excel import"), ledger_rules.may_import),
    ("accounts", "orgs:user_list", _("Accounts"), org_rules.may_manage_accounts),
]


def items_for(user, table) -> list[NavItem]:
    return [NavItem(key, reverse(name), label) for key, name, label, rule in table if rule(user)]


def context(request) -> dict:
    """Template context processor: `nav` and `inspections_nav`, empty when signed out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "inspections_nav": []}
    return {"nav": items_for(user, MAIN), "inspections_nav": items_for(user, SUBNAV)}
