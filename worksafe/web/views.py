from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from worksafe.hazards.selectors import home_counts


@login_required
def home(request):
    return render(request, "web/home.html", {"counts": home_counts(visible_to=request.user)})
