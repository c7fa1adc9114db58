from django.utils.crypto import salted_hmac


def draft_owner(request) -> dict:
    """A per-user value the browser files form drafts under (web/app.js): drafts typed by one
    person are never offered to the next one on a shared computer. A keyed hash of the user id,
    so the page does not name the user in clear."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "draft_owner": salted_hmac("worksafe.web.draft_owner", str(user.pk), algorithm="sha256").hexdigest()[
            :20
        ]
    }
