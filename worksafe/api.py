"""The JSON API under /api/v1/: one NinjaAPI, each app contributes a router."""

from ninja import NinjaAPI, Swagger

from worksafe.accidents.api import router as accidents_router
from worksafe.assessment.api import router as assessment_router
from worksafe.core.api import declare_error_responses, install_error_handlers
from worksafe.hazards.api import router as hazards_router
from worksafe.inspections.api import router as inspections_router
from worksafe.ledgers.api import router as ledgers_router
from worksafe.meetings.api import router as meetings_router
from worksafe.orgs.api import auth_router
from worksafe.orgs.api import router as orgs_router
from worksafe.orgs.auth import AUTH
from worksafe.regions.api import router as regions_router

api = NinjaAPI(
    title="WorkSafe API",
    version="1",
    description=(
        "Work-safety supervision: regions, organizations, hidden dangers and their closed loop.\n\n"
        'Errors answer `{"detail": str, "errors": {field: [str]}}`. A NUL character (U+0000) '
        "anywhere in a JSON body, even in an unknown key, answers 400; in a query parameter, 422. "
        'Lists answer `{"items": [...], "next": cursor or null}`: pass `next` as `cursor` for the '
        "following page."
    ),
    auth=AUTH,
    # No online validator badge: it is an image from Swagger's own host.
    docs=Swagger(settings={"validatorUrl": None}),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", auth_router)
api.add_router("", regions_router)
api.add_router("", orgs_router)
api.add_router("", hazards_router)
api.add_router("", inspections_router)
api.add_router("", accidents_router)
api.add_router("", assessment_router)
api.add_router("", ledgers_router)
api.add_router("", meetings_router)
# Keep last: documents the shared error answers of every operation mounted above.
declare_error_responses(api)
