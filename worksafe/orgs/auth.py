"""How the API knows who calls: a bearer token issued by /auth/token, or the page session."""

from ninja import security

from .services import token_user


class BearerToken(security.HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(security.SessionAuth):
    """The page session (the docs page and the site's own scripts use it). Its CSRF check runs
    only for a signed-in user: a request with no valid credentials at all (no token, an expired
    or revoked one) then answers 401 as documented, not the CSRF 403, so a client learns to
    authenticate again. A signed-in session without the CSRF token is still refused (403)."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


AUTH = [BearerToken(), SessionAuth()]
