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
from worksafe.core.errors import TITLE_MAX, Forbidden, Invalid, NotFound, StaleVersion, clean_text
from worksafe.regions.models import Region
from worksafe.regions.selectors import region_get

from . import rules
from . import uscc as uscc_rules
from .models import ROLE_ORG_KINDS, ApiToken, Industry, Organization, Role, User
from .selectors import organization_list, user_list

INDUSTRY_CODES = set(Industry.values)


def _require_region(code: str | None, errors: dict) -> Region | None:
    region = region_get(code) if code else None
    if region is None:
        errors.setdefault("region", []).append(_("Unknown region code."))
    return region


def _check_uscc(
    raw: str | None,
    *,
    actor: User,
    override_reason: str,
    exclude_pk=None,
    unchanged: str | None = None,
    errors: dict,
) -> str | None:
    code = uscc_rules.normalize(raw or "")
    if not code:
        errors.setdefault("uscc", []).append(_("An enterprise needs its unified social credit code."))
        return None
    found = uscc_rules.problems(code)
    overridable = len(code) == 18 and all(c in uscc_rules.ALPHABET for c in code)
    # §7.1: early pilot codes fail the checksum yet are real; an admin may accept one, on record.
    # A code accepted once stays accepted when the rest of the record is edited.
    accepted = code == unchanged or (
        override_reason.strip() and rules.may_override_uscc(actor) and overridable
    )
    if found and not accepted:
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


def _require_account_manager(actor: User) -> None:
    if not rules.may_manage_accounts(actor):
        raise Forbidden(_("Only an administrator or an office manages accounts."))


# What an organization record holds besides its kind, with the value of a field left out.
ORGANIZATION_FIELDS = {
    "name": "",
    "region": "",
    "uscc": None,
    "industry": "",
    "industries": [],
    "can_penalize": False,
    "parent": None,
    "address": "",
    "legal_representative": "",
    "safety_principal": "",
    "contact_phone": "",
    "staff_count": None,
    "status": Organization.Status.OPERATING,
    "uscc_override_reason": "",
}


def organization_values(org: Organization) -> dict:
    values = {field: getattr(org, field) for field in ORGANIZATION_FIELDS}
    values.update(region=org.region_id, parent=org.parent_id, uscc=org.uscc)
    return values


def _clean_organization(*, actor: User, kind: str, values: dict, current: Organization | None) -> dict:
    """The model fields of an organization of `kind` from `values`, or Invalid naming each bad field.
    One function for creating and editing, so both hold an organization to the same rules."""
    errors: dict[str, list] = {}
    if kind not in Organization.Kind.values:
        errors["kind"] = [_("Choose one of: government, committee, department, enterprise.")]
    name = clean_text(values["name"], "name", errors, required=True, max_length=TITLE_MAX)
    texts = {
        field: clean_text(values[field], field, errors, max_length=limit)
        for field, limit in (
            ("address", 300),
            ("legal_representative", 100),
            ("safety_principal", 100),
            ("contact_phone", 40),
        )
    }
    region_obj = _require_region(values["region"], errors)
    status = values["status"]
    if status not in Organization.Status.values:
        errors["status"] = [_("Choose one of: operating, suspended, closed.")]
    staff_count = values["staff_count"]
    if staff_count is not None and not 0 <= staff_count <= 10_000_000:
        errors["staff_count"] = [_("Must be between 0 and 10,000,000.")]
    industries = list(dict.fromkeys(values["industries"] or []))
    _check_industries(kind, values["industry"], industries, errors)
    reason = clean_text(values["uscc_override_reason"], "uscc_override_reason", errors, max_length=500)
    if (
        reason
        and reason != (current.uscc_override_reason if current else "")
        and not rules.may_override_uscc(actor)
    ):
        errors["uscc_override_reason"] = [
            _("Only an administrator may accept a credit code that fails the check.")
        ]
    code = None
    if kind == Organization.Kind.ENTERPRISE or values["uscc"]:
        code = _check_uscc(
            values["uscc"],
            actor=actor,
            override_reason=reason,
            exclude_pk=current.pk if current else None,
            unchanged=current.uscc if current else None,
            errors=errors,
        )
    parent_obj = None
    if values["parent"] is not None:
        parent_obj = organization_list(visible_to=actor).filter(pk=values["parent"]).first()
        if parent_obj is None or (current is not None and parent_obj.pk == current.pk):
            errors["parent"] = [_("Unknown organization.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    return {
        "name": name,
        "region": region_obj,
        "parent": parent_obj,
        "uscc": code,
        "industry": values["industry"] if kind == Organization.Kind.ENTERPRISE else "",
        "industries": industries if kind == Organization.Kind.DEPARTMENT else [],
        "can_penalize": bool(values["can_penalize"]) and kind == Organization.Kind.DEPARTMENT,
        "staff_count": staff_count,
        "status": status,
        # The reason is kept only while the code it excuses fails the check.
        "uscc_override_reason": reason if code and uscc_rules.problems(code) else "",
        **texts,
    }


def _save_organization(org: Organization) -> None:
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:  # the same code registered concurrently
        raise Invalid.field(
            "uscc", _("An organization with this credit code is already registered.")
        ) from None


@transaction.atomic
def organization_create(*, actor: User, kind: str, **fields) -> Organization:
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    _require_account_manager(actor)
    cleaned = _clean_organization(
        actor=actor, kind=kind, values={**ORGANIZATION_FIELDS, **fields}, current=None
    )
    reason = rules.why_not_manage_organization(actor, kind=kind, region_code=cleaned["region"].code)
    if reason:
        raise Forbidden(reason)
    org = Organization(kind=kind, **cleaned)
    _save_organization(org)
    record_event(
        actor=actor,
        subject=org,
        action="create",
        data={
            "kind": kind,
            "name": org.name,
            "region": org.region_id,
            "uscc": org.uscc or "",
            "uscc_override_reason": org.uscc_override_reason,
        },
    )
    return org


@transaction.atomic
def organization_update(*, actor: User, organization_id: int, version: int, **changes) -> Organization:
    """Edits an organization in the actor's scope; its kind never changes (its people's roles
    depend on it). Only the fields given change; a stale `version` changes nothing."""
    unknown = set(changes) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    _require_account_manager(actor)
    org = organization_list(visible_to=actor).select_for_update().filter(pk=organization_id).first()
    if org is None:
        raise NotFound()
    reason = rules.why_not_manage_organization(actor, kind=org.kind, region_code=org.region_id)
    if reason:
        raise Forbidden(reason)
    if org.version != version:
        raise StaleVersion(org.version)
    before = organization_values(org)
    cleaned = _clean_organization(actor=actor, kind=org.kind, values={**before, **changes}, current=org)
    reason = rules.why_not_manage_organization(actor, kind=org.kind, region_code=cleaned["region"].code)
    if reason:
        raise Forbidden(reason)
    for field, value in cleaned.items():
        setattr(org, field, value)
    after = organization_values(org)
    changed = {f: [before[f], after[f]] for f in ORGANIZATION_FIELDS if before[f] != after[f]}
    if not changed:
        return org
    org.version += 1
    _save_organization(org)
    record_event(
        actor=actor,
        subject=org,
        action="update",
        data={"changed": changed},
    )
    return org


def _clean_membership(
    actor: User, *, role: str, organization: int | None, errors: dict
) -> Organization | None:
    """The organization a user of `role` is to belong to, checked against the role's kinds."""
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
    return org


def _check_email(email: str, errors: dict) -> None:
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            errors["email"] = list(exc.messages)


def _set_role(user: User, role: str) -> None:
    user.role = role
    # The Django admin site is for administrators only.
    user.is_staff = user.is_superuser = role == Role.ADMIN


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
    must_change_password: bool = False,
) -> User:
    _require_account_manager(actor)
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
    name = clean_text(name, "name", errors, max_length=100)
    _check_email(email, errors)
    org = _clean_membership(actor, role=role, organization=organization, errors=errors)
    candidate = User(username=username, name=name, email=email, organization=org)
    _set_role(candidate, role)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    reason = rules.why_not_manage_user(actor, role=role, organization=org)
    if reason:
        raise Forbidden(reason)
    candidate.set_password(password)
    candidate.must_change_password = must_change_password
    candidate.save()
    record_event(
        actor=actor,
        subject=candidate,
        action="create",
        data={"username": username, "role": role, "organization": org.pk if org else None},
    )
    return candidate


USER_FIELDS = ("name", "email", "role", "organization", "is_active")


def _user_values(user: User) -> dict:
    return {
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "organization": user.organization_id,
        "is_active": user.is_active,
    }


@transaction.atomic
def user_update(*, actor: User, user_id: int, **changes) -> User:
    """Edits an account in the actor's scope: display name, email, role, organization, active flag.
    Only the fields given change; a deactivated user's sessions and tokens stop working at once."""
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    _require_account_manager(actor)
    user = user_list(visible_to=actor).select_for_update(of=("self",)).filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    before = _user_values(user)
    values = {**before, **changes}
    errors: dict[str, list] = {}
    name = clean_text(values["name"], "name", errors, max_length=100)
    _check_email(values["email"], errors)
    org = _clean_membership(actor, role=values["role"], organization=values["organization"], errors=errors)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    reason = rules.why_not_edit_user(
        actor, user, role=values["role"], organization=org, is_active=bool(values["is_active"])
    )
    if reason:
        raise Forbidden(reason)
    user.name, user.email, user.organization, user.is_active = (
        name,
        values["email"],
        org,
        bool(values["is_active"]),
    )
    _set_role(user, values["role"])
    after = _user_values(user)
    changed = {f: [before[f], after[f]] for f in USER_FIELDS if before[f] != after[f]}
    if changed:
        user.save()
        record_event(actor=actor, subject=user, action="update", data={"changed": changed})
    return user


def _revoke_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def user_password_change(*, actor: User, password: str) -> None:
    """The actor's own new password (already checked by the validators)."""
    _set_password(actor=actor, user=actor, password=password, temporary=False)


# No look-alikes (0/o, 1/l/i): the temporary password is read aloud or copied by hand.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _temporary_password(user: User) -> str:
    while True:
        groups = ["".join(secrets.choice(TEMPORARY_ALPHABET) for _i in range(4)) for _g in range(3)]
        password = "-".join(groups)
        try:
            validate_password(password, user=user)
        except ValidationError:
            continue  # e.g. no digit drawn: draw again
        return password


@transaction.atomic
def user_password_reset(*, actor: User, user_id: int) -> tuple[User, str]:
    """Gives an account in the actor's scope a temporary password, returned once and never
    stored in clear; its holder must choose a new one at the next login."""
    _require_account_manager(actor)
    user = user_list(visible_to=actor).select_for_update(of=("self",)).filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    reason = rules.why_not_reset_password(actor, user)
    if reason:
        raise Forbidden(reason)
    password = _temporary_password(user)
    _set_password(actor=actor, user=user, password=password, temporary=True)
    return user, password


def _set_password(*, actor: User, user: User, password: str, temporary: bool) -> None:
    """A temporary password must be changed at the next login. Either way the API tokens issued
    with the old one are revoked: a new password should lock out whoever knew the old."""
    user.set_password(password)
    user.must_change_password = temporary
    user.save(update_fields=["password", "must_change_password"])
    revoked = _revoke_tokens(user)
    action = "password_reset" if temporary else "password_change"
    record_event(actor=actor, subject=user, action=action, data={"tokens_revoked": revoked})


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, username: str, password: str, request=None) -> tuple[str, ApiToken] | None:
    user = authenticate(request, username=username, password=password)
    if user is None:
        return None
    raw, token = token_create_for(user)
    record_event(actor=user, subject=user, action="token_issue", data={"prefix": token.prefix})
    return raw, token


def token_create_for(user: User) -> tuple[str, ApiToken]:
    """A new token for `user`, who is taken as already authenticated: returns (raw token, row).
    Only the digest is kept; the raw token is shown once."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_digest(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + timedelta(hours=settings.WORKSAFE_TOKEN_TTL_HOURS),
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


def _revoke_token(actor: User, tokens) -> bool:
    token = tokens.filter(user=actor, revoked_at__isnull=True).first()
    if token is None:
        return False
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    record_event(
        actor=actor,
        subject=actor,
        action="token_revoke",
        data={"prefix": token.prefix},
    )
    return True


@transaction.atomic
def token_revoke(*, actor: User, raw: str) -> bool:
    return _revoke_token(actor, ApiToken.objects.filter(key_hash=_digest(raw)))


@transaction.atomic
def token_revoke_own(*, actor: User, token_id: int) -> None:
    """Revokes one of the actor's own live tokens (from the profile page); any other is unknown."""
    if not _revoke_token(actor, ApiToken.objects.filter(pk=token_id)):
        raise NotFound()
