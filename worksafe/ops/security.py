"""Login throttling and the audit of logins, failures, lockouts and permission denials.

Failed logins are counted per account and per client address (django-axes); both the login
page and POST /api/v1/auth/token go through django.contrib.auth.authenticate, so both are
throttled and both are recorded.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event

USERNAME_MAX = 150


def clean_username(value) -> str:
    """The username as recorded: bounded, printable, no NUL (PostgreSQL text refuses NUL)."""
    text = str(value or "")
    return "".join(c for c in text if c.isprintable())[:USERNAME_MAX]


def client_ip(request) -> str:
    return (getattr(request, "META", {}) or {}).get("REMOTE_ADDR", "") or ""


def axes_username(request, credentials) -> str:
    """Username used by the lockout counter (AXES_USERNAME_CALLABLE)."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get("username")
    return clean_username(raw)


class LockoutBackend(AxesStandaloneBackend):
    """Refuses logins of locked-out accounts/addresses. Authentication without a request (a
    management command, the test client's login()) has no address to count and is let through
    to the next backend, which still checks the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """429 while locked out: the API's error shape for the API, a page for people."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    detail = _(
        "Too many failed logins. Try again in %(minutes)s minutes or ask an administrator to unlock."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": {}}, status=429)
    return render(request, "ops/locked_out.html", {"detail": detail}, status=429)


def record_denial(request, *, status: int = 403) -> None:
    """A permission denial on record: who, what, from where."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    record_event(
        actor=user,
        subject_type="user",
        subject_id=user.pk,
        action="permission_denied",
        data={
            "method": request.method,
            "path": request.path[:300],
            "status": status,
            "ip": client_ip(request),
        },
    )


class DenialAuditMiddleware:
    """Records every 403 answered to a signed-in user, whatever produced it (pages, API, admin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record_denial(request)
        return response
