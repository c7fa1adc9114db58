"""Writes about organizations, people and API tokens. Each records an audit event."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import Forbidden, Invalid
from worksafe.regions.models import Region
from worksafe.regions.selectors import region_get

from . import uscc as uscc_rules
from .models import ROLE_ORG_KINDS, ApiToken, Industry, Organization, Role, User
from .scope import sees_region
from .selectors import organization_list

INDUSTRY_CODES = set(Industry.values)


def _require_region(code: str | None, errors: dict) -> Region | None:
    region = region_get(code) if code else None
    if region is None:
        errors.setdefault("region", []).append(_("Unknown region code."))
    return region


def _check_uscc(
    raw: str | None, *, actor: User, override_reason: str, exclude_pk=None, errors: dict
) -> str | None:
    code = uscc_rules.normalize(raw or "")
    if not code:
        errors.setdefault("uscc", []).append(_("An enterprise needs its unified social credit code."))
        return None
    found = uscc_rules.problems(code)
    overridable = len(code) == 18 and all(c in uscc_rules.ALPHABET for c in code)
    # §7.1: early pilot codes fail the checksum yet are real; an admin may accept one, on record.
    if found and not (override_reason.strip() and actor.role == Role.ADMIN and overridable):
        errors.setdefault("uscc", []).extend(str(p) for p in found)
        return None
    if Organization.objects.filter(uscc=code).exclude(pk=exclude_pk).exists():
        errors.setdefault("uscc", []).append(
            _("An organization with this credit code is already registered.")
        )
        return None
    return code


def _check_industries(kind: str, industry: str, industries: list[str], errors: dict) -> None:
    if kind == Organization.Kind.ENTERPRISE and industry not in INDUSTRY_CODES:
        errors.setdefault("industry", []).append(_("Choose one of the industry codes."))
    unknown = [code for code in industries if code not in INDUSTRY_CODES]
    if unknown:
        errors.setdefault("industries", []).append(
            _("Unknown industry codes: %(codes)s") % {"codes": ", ".join(unknown)}
        )


def can_create_organization(actor: User, *, kind: str, region_code: str) -> bool:
    if actor.role == Role.ADMIN:
        return True
    # A local office registers the enterprises of its own area.
    return (
        actor.role == Role.OFFICE and kind == Organization.Kind.ENTERPRISE and sees_region(actor, region_code)
    )


@transaction.atomic
def organization_create(
    *,
    actor: User,
    kind: str,
    name: str,
    region: str,
    uscc: str | None = None,
    industry: str = "",
    industries: list[str] | None = None,
    can_penalize: bool = False,
    parent: int | None = None,
    address: str = "",
    legal_representative: str = "",
    safety_principal: str = "",
    contact_phone: str = "",
    staff_count: int | None = None,
    status: str = Organization.Status.OPERATING,
    uscc_override_reason: str = "",
) -> Organization:
    errors: dict[str, list] = {}
    if kind not in Organization.Kind.values:
        errors["kind"] = [_("Choose one of: government, committee, department, enterprise.")]
    if not (name or "").strip():
        errors["name"] = [_("This field is required.")]
    elif len(name.strip()) > Organization._meta.get_field("name").max_length:
        errors["name"] = [_("At most %(n)s characters.") % {"n": 200}]
    region_obj = _require_region(region, errors)
    if status not in Organization.Status.values:
        errors["status"] = [_("Choose one of: operating, suspended, closed.")]
    industries = list(dict.fromkeys(industries or []))
    _check_industries(kind, industry, industries, errors)
    if uscc_override_reason and actor.role != Role.ADMIN:
        errors["uscc_override_reason"] = [
            _("Only an administrator may accept a credit code that fails the check.")
        ]
    code = None
    if kind == Organization.Kind.ENTERPRISE or uscc:
        code = _check_uscc(uscc, actor=actor, override_reason=uscc_override_reason, errors=errors)
    parent_obj = None
    if parent is not None:
        parent_obj = organization_list(visible_to=actor).filter(pk=parent).first()
        if parent_obj is None:
            errors["parent"] = [_("Unknown organization.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    if not can_create_organization(actor, kind=kind, region_code=region_obj.code):
        raise Forbidden(_("You may not register this organization."))
    org = Organization(
        kind=kind,
        name=name.strip(),
        region=region_obj,
        parent=parent_obj,
        uscc=code,
        industry=industry if kind == Organization.Kind.ENTERPRISE else "",
        industries=industries if kind == Organization.Kind.DEPARTMENT else [],
        can_penalize=bool(can_penalize) and kind == Organization.Kind.DEPARTMENT,
        address=address,
        legal_representative=legal_representative,
        safety_principal=safety_principal,
        contact_phone=contact_phone,
        staff_count=staff_count,
        status=status,
        uscc_override_reason=uscc_override_reason.strip() if code and uscc_rules.problems(code) else "",
    )
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        raise Invalid.field(
            "uscc", _("An organization with this credit code is already registered.")
        ) from None
    record_event(
        actor=actor,
        subject_type="organization",
        subject_id=org.pk,
        action="create",
        data={
            "kind": kind,
            "name": org.name,
            "region": region_obj.code,
            "uscc": code or "",
            "uscc_override_reason": org.uscc_override_reason,
        },
    )
    return org


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    organization: int | None,
    name: str = "",
    email: str = "",
) -> User:
    if actor.role != Role.ADMIN:
        raise Forbidden(_("Only an administrator may create users."))
    errors: dict[str, list] = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = [_("This field is required.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    else:
        try:  # the model's own rules (letters, digits and @.+-_ only), not checked by save()
            User._meta.get_field("username").run_validators(username)
        except ValidationError as exc:
            errors["username"] = list(exc.messages)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            errors["email"] = list(exc.messages)
    if role not in Role.values:
        errors["role"] = [_("Choose one of: %(roles)s.") % {"roles": ", ".join(Role.values)}]
    org = None
    if organization is not None:
        org = organization_list(visible_to=actor).filter(pk=organization).first()
        if org is None:
            errors["organization"] = [_("Unknown organization.")]
    elif role != Role.ADMIN:
        errors["organization"] = [_("Every user except an administrator belongs to an organization.")]
    allowed_kinds = ROLE_ORG_KINDS.get(role)
    if org is not None and allowed_kinds is not None and org.kind not in allowed_kinds:
        errors["role"] = [
            _("This role cannot belong to an organization of kind %(kind)s.") % {"kind": org.kind}
        ]
    candidate = User(username=username, name=name, email=email, role=role, organization=org)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    candidate.set_password(password)
    candidate.is_staff = role == Role.ADMIN
    candidate.is_superuser = role == Role.ADMIN
    candidate.save()
    record_event(
        actor=actor,
        subject_type="user",
        subject_id=candidate.pk,
        action="create",
        data={"username": username, "role": role, "organization": org.pk if org else None},
    )
    return candidate


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, username: str, password: str, request=None) -> tuple[str, ApiToken] | None:
    user = authenticate(request, username=username, password=password)
    if user is None:
        return None
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_digest(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + timedelta(hours=settings.WORKSAFE_TOKEN_TTL_HOURS),
    )
    record_event(
        actor=user, subject_type="user", subject_id=user.pk, action="token_issue", data={"prefix": raw[:8]}
    )
    return raw, token


def token_user(raw: str) -> User | None:
    """The active user behind a live token, or None."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user__organization")
        .filter(key_hash=_digest(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Touch at most once a minute: a busy client should not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.current_token_id = token.pk
    return token.user


@transaction.atomic
def token_revoke(*, actor: User, raw: str) -> bool:
    updated = ApiToken.objects.filter(key_hash=_digest(raw), user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        record_event(
            actor=actor,
            subject_type="user",
            subject_id=actor.pk,
            action="token_revoke",
            data={"prefix": raw[:8]},
        )
    return bool(updated)
