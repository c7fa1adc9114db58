from django.http import JsonResponse
from django.urls import include, path

from worksafe.hazards.models import Hazard


def floor(request, pk: int):
    """The least a Django JSON view can do: one primary-key lookup, one small JSON body."""
    row = Hazard.objects.filter(pk=pk).values("id", "number", "status").first()
    return JsonResponse(row or {}, status=200 if row else 404)


urlpatterns = [
    path("bench/floor/<int:pk>", floor),
    path("", include("worksafe.urls")),
]
