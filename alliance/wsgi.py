"""The web process's application (gunicorn ``alliance.wsgi``).

Once Django and every view the URLconf names are loaded, what was loaded is moved out of the garbage collector's
sight (``gc.freeze``): some 250,000 objects of code, settings, models and translations that live as long as the
process. Left in view, each full collection walked them all, a pause of about 125 ms every few hundred requests in
one worker, which every request queued behind it waited out; a frozen worker's full collection takes under 10 ms.
Measured on the admin's city-scale lists at 16 clients (issue 19): p95 250–285 ms against 280–350 ms without.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from alliance.core import linger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

application = get_wsgi_application()

linger.turn_on()  # receivers handed to the worker in batches (alliance.core.linger), only in the web process
get_resolver().url_patterns  # noqa: B018 - imports every view now rather than on the first request
gc.collect()
gc.freeze()
