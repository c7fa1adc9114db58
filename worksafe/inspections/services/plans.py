"""Inspection plans: targets picked by rule or by a recorded random draw ("double random"), an
inspection planned for each."""

import random
import uuid
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import Forbidden, clean_text
from worksafe.hazards.selectors import hazard_list
from worksafe.orgs.models import Industry, Organization, Role, User
from worksafe.orgs.selectors import user_list
from worksafe.regions.models import in_subtree
from worksafe.regions.selectors import region_get

from .. import rules
from ..models import Inspection, InspectionPlan
from ..selectors import target_list
from .common import raise_invalid
from .inspections import inspection_create


def draw(
    *, candidates: list[int], pool: list[int], seed: str, target_count: int, team_size: int
) -> list[dict]:
    """ "Double random": targets from the candidates and, for each, inspectors from the pool.
    Deterministic: the same seed and the same candidates and pool (in any order) give the same
    draw, so an auditor can reproduce it."""
    rng = random.Random(f"worksafe-draw:{seed}")  # noqa: S311  (reproducibility, not secrecy)
    targets = rng.sample(sorted(set(candidates)), min(target_count, len(set(candidates))))
    people = sorted(set(pool))
    return [{"target": t, "team": sorted(rng.sample(people, min(team_size, len(people))))} for t in targets]


def plan_candidates(*, actor: User, criteria: dict, today: date) -> list[int]:
    """Enterprises in the actor's area matching the rule: industry, region, risk (open major
    hidden dangers) and time since the last finished inspection."""
    queryset = target_list(visible_to=actor).filter(kind=Organization.Kind.ENTERPRISE)
    if criteria.get("industry"):
        queryset = queryset.filter(industry=criteria["industry"])
    if criteria.get("region"):
        queryset = queryset.filter(in_subtree("region_id", criteria["region"]))
    if criteria.get("status"):
        queryset = queryset.filter(status=criteria["status"])
    if criteria.get("with_open_major_hazards"):
        risky = hazard_list(visible_to=actor).filter(
            level="major", status__in=["reported", "rectifying", "pending_acceptance"]
        )
        queryset = queryset.filter(pk__in=risky.values("enterprise_id"))
    days = criteria.get("days_since_last_inspection")
    if days:
        recent = Inspection.objects.filter(
            status=Inspection.Status.FINISHED, finished_at__date__gte=today - timedelta(days=int(days))
        )
        queryset = queryset.exclude(pk__in=recent.values("target_id"))
    return sorted(queryset.values_list("pk", flat=True))


def _criteria(criteria: dict | None, errors: dict) -> dict:
    """The rule's criteria without the blank ones; an unknown industry or region is an error."""
    criteria = {k: v for k, v in (criteria or {}).items() if v not in (None, "", False)}
    if criteria.get("industry") and criteria["industry"] not in Industry.values:
        errors["criteria.industry"] = [_("Unknown industry.")]
    if criteria.get("region") and region_get(criteria["region"]) is None:
        errors["criteria.region"] = [_("Unknown region code.")]
    return criteria


def _pool(actor: User, pool: list[int] | None, errors: dict) -> list[int]:
    """The inspectors to draw teams from: those named, else the planner (an administrator
    belongs to no department and must name them)."""
    if not pool:
        if actor.role == Role.ADMIN:
            errors["pool"] = [_("Name the inspectors to draw from.")]
            return []
        return [actor.pk]
    people = list(
        user_list(visible_to=actor)
        .filter(pk__in=set(pool), role__in=[Role.INSPECTOR, Role.OFFICE], is_active=True)
        .values_list("pk", flat=True)
    )
    if len(people) != len(set(pool)):
        errors["pool"] = [_("Unknown inspector.")]
    return people


@transaction.atomic
def plan_create(
    *,
    actor: User,
    name: str,
    method: str,
    kind: str,
    planned_on: date,
    target_count: int,
    criteria: dict | None = None,
    seed: str = "",
    team_size: int = 2,
    pool: list[int] | None = None,
    today: date | None = None,
) -> InspectionPlan:
    today = today or timezone.localdate()
    if not rules.may_plan(actor):
        raise Forbidden(_("Your role does not plan inspections."))
    errors: dict = {}
    name = clean_text(name, "name", errors, required=True, max_length=200)
    criteria = _criteria(criteria, errors)
    if method not in InspectionPlan.Method.values:
        errors["method"] = [_("Choose one of: rule, random.")]
    if kind not in (Inspection.Kind.ROUTINE, Inspection.Kind.SPECIAL, Inspection.Kind.UNANNOUNCED):
        errors["kind"] = [_("Choose one of: routine, special, unannounced.")]
    if not 1 <= (target_count or 0) <= 500:
        errors["target_count"] = [_("Between 1 and 500.")]
    if not 1 <= (team_size or 0) <= 10:
        errors["team_size"] = [_("Between 1 and 10.")]
    if method == InspectionPlan.Method.RANDOM:
        seed = clean_text(seed, "seed", errors, max_length=64) or uuid.uuid4().hex
    people = _pool(actor, pool, errors)
    if planned_on is None:
        errors["planned_on"] = [_("This field is required.")]
    raise_invalid(errors)
    candidates = plan_candidates(actor=actor, criteria=criteria, today=today)
    if method == InspectionPlan.Method.RANDOM:
        picked = draw(
            candidates=candidates, pool=people, seed=seed, target_count=target_count, team_size=team_size
        )
    else:
        picked = [{"target": t, "team": sorted(people)[:team_size]} for t in candidates[:target_count]]
    plan = InspectionPlan.objects.create(
        name=name,
        organizer=actor.organization,
        region_id=criteria.get("region") or (actor.organization.region_id if actor.organization else None),
        method=method,
        criteria=criteria,
        seed=seed if method == InspectionPlan.Method.RANDOM else "",
        target_count=target_count,
        team_size=team_size,
        candidates=candidates,
        pool=sorted(people),
        draw=picked,
        created_by=actor,
    )
    record_event(
        actor=actor,
        subject=plan,
        action="draw",
        data={
            "method": method,
            "seed": plan.seed,
            "candidates": candidates,
            "pool": plan.pool,
            "draw": picked,
        },
    )
    for entry in picked:
        inspection_create(
            actor=actor,
            target=entry["target"],
            kind=kind,
            planned_on=planned_on,
            team=entry["team"],
            plan=plan,
            today=today,
        )
    return plan
