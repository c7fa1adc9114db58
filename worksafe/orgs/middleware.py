"""A person whose password someone else chose (a new account, a reset) chooses their own first."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Pages redirect to the password form until it is changed; the API answers as ever (a
    token needs the password, and only the holder knows the temporary one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            target = reverse("orgs:password_change")
            allowed = (target, reverse("web:logout"), reverse("set_language"), settings.STATIC_URL, "/api/")
            if not request.path.startswith(allowed):
                return redirect(target)
        return self.get_response(request)
