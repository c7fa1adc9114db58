"""The inspections section's own tabs, each behind the rule its page enforces."""

from django.utils.translation import gettext_lazy as _

from . import rules

# key, URL name, label, rule(user) -> bool (see worksafe.web.nav)
SUBNAV = [
    ("inspections", "inspections:list", _("Inspections"), rules.may_view_inspections),
    ("opinions", "inspections:opinions", _("Rectification opinions"), rules.may_view_opinions),
    ("checklists", "inspections:checklists", _("Checklists"), rules.may_view_inspections),
    ("plan_new", "inspections:plan_new", _("Campaign draw"), rules.may_plan),
    ("enforcement", "inspections:enforcement_list", _("Enforcement"), rules.may_view_enforcement),
    ("activity", "inspections:activity", _("Inspects but never enforces"), rules.may_view_activity),
]
