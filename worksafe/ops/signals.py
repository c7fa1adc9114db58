"""Logins, failed logins and lockouts go into the audit log."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from worksafe.audit.models import SubjectType
from worksafe.audit.services import NewEvent, record_event, record_events

from .security import clean_username, client_ip


def _known_user(username: str):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).only("pk", "username").first()


@receiver(user_logged_in, dispatch_uid="ops_audit_login")
def audit_login(sender, request, user, **kwargs):
    record_event(
        actor=user,
        subject=user,
        action="login",
        data={"ip": client_ip(request)},
    )


@receiver(user_login_failed, dispatch_uid="ops_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = clean_username(credentials.get("username"))
    user = _known_user(username)
    _record_attempt(user, "login_failed", {"username": username, "ip": client_ip(request)})


@receiver(user_locked_out, dispatch_uid="ops_audit_lockout")
def audit_lockout(sender, request, username, ip_address, **kwargs):
    username = clean_username(username)
    user = _known_user(username)
    _record_attempt(user, "lockout", {"username": username, "ip": ip_address or ""})


def _record_attempt(user, action: str, data: dict) -> None:
    # A username that names no account still leaves its trace, under the subject id "-".
    record_events(
        [
            NewEvent(
                subject_type=SubjectType.USER, subject_id=user.pk if user else "-", action=action, data=data
            )
        ]
    )
