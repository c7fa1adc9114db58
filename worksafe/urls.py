from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hazards/", include("worksafe.hazards.urls")),
    path("inspections/", include("worksafe.inspections.urls")),
    path("accidents/", include("worksafe.accidents.urls")),
    path("assessment/", include("worksafe.assessment.urls")),
    path("ledgers/", include("worksafe.ledgers.urls")),
    path("meetings/", include("worksafe.meetings.urls")),
    path("accounts/regions/", include("worksafe.regions.urls")),
    path("accounts/", include("worksafe.orgs.urls")),
    path("", include("worksafe.web.urls")),
]
