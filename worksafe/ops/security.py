"""Login throttling and the audit of logins, failures, lockouts and permission denials.

Failed logins are counted per account (django-axes), and per client address against a much
higher limit; both the login page and POST /api/v1/auth/token go through
django.contrib.auth.authenticate, so both are throttled and both are recorded.
"""

from ipaddress import ip_address

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event

USERNAME_MAX = 150


def clean_username(value) -> str:
    """The username as recorded: bounded, printable, no NUL (PostgreSQL text refuses NUL)."""
    text = str(value or "")
    return "".join(c for c in text if c.isprintable())[:USERNAME_MAX]


def _address(text: str):
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return address is not None and any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy, the right-most
    X-Forwarded-For entry that is not one (entries further left are the client's own claims).
    Also django-axes's AXES_CLIENT_IP_CALLABLE."""
    meta = getattr(request, "META", {}) or {}
    remote = meta.get("REMOTE_ADDR", "") or ""
    if not _trusted(_address(remote)):
        return remote
    for entry in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(entry)
        if address is None:
            break  # a garbled chain: its sender is the last address we can vouch for
        if not _trusted(address):
            return str(address)
    return remote


def axes_username(request, credentials) -> str:
    """Username used by the lockout counter (AXES_USERNAME_CALLABLE)."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get("username")
    return clean_username(raw)


def _address_failures(address: str) -> int:
    """Failed logins from one address, over every account, within the cool-off time."""
    if _address(address) is None:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutBackend(AxesStandaloneBackend):
    """Refuses logins of locked-out accounts, and from an address past its own (higher) limit.
    Authentication without a request (a management command, the test client's login()) has no
    address to count and is let through to the next backend, which still checks the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        if _address_failures(client_ip(request)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True  # answered by lockout_response, as axes does
            raise AxesBackendPermissionDenied("too many failed logins from this address")
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
        subject=user,
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
