import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trellis.settings")
application = get_wsgi_application()

# Django, the apps and every view (loaded with the URLconf) live as long as the process, and each
# full collection walked them all again: about 100 ms a time, with the younger generations' 11 % of
# a request's CPU under load. Frozen, the collector leaves them alone; a larger first generation
# lets a request's objects die before it looks, so fewer of them reach the older generations.
get_resolver().url_patterns  # noqa: B018 - imports every view now, to be frozen with the rest
gc.collect()
gc.freeze()
gc.set_threshold(5000)
