import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()

# Import the URL configuration (and with it every API router and schema) before the workers
# fork, so that no timed request pays for it.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
