"""WSGI entry point (gunicorn learningpaths.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")

from learningpaths.demos.fastpath import DemoFastPath  # noqa: E402  (needs the settings module set)

application = DemoFastPath(get_wsgi_application())
