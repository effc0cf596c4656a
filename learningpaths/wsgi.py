"""WSGI entry point (gunicorn learningpaths.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")

from learningpaths.demos.fastpath import DemoFastPath
from learningpaths.demos.inference import warm_up

application = DemoFastPath(get_wsgi_application())

# Each serving process loads its ONNX Runtime sessions now rather than on a student's request.
if os.environ.get("DEMO_WARM_UP", "1") != "0":
    warm_up()
