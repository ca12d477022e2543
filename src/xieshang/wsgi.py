"""WSGI entry point (gunicorn xieshang.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
application = get_wsgi_application()
