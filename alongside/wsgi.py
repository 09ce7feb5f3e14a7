import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
application = get_wsgi_application()

# Import every view now, then move everything loaded so far (Django, the apps, their URL
# patterns: tens of thousands of objects that live as long as the process) out of the garbage
# collector's sight. Otherwise each full collection walks them all again, a pause of tens of
# milliseconds that lands on whichever request happens to be running.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
