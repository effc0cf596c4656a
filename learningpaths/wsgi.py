"""WSGI entry point (gunicorn learningpaths.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")
application = get_wsgi_application()
