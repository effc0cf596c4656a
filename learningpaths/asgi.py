"""ASGI entry point: ``uvicorn learningpaths.asgi:application``.

Used for the inference servers (docs/deploy.md): the demo predict endpoint is answered by
``DemoASGI`` on the event loop, everything else by Django's ASGI handler. The demo models are
loaded at startup (the lifespan protocol) unless ``DEMO_WARM_UP=0``.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")

from learningpaths.demos.fastpath import DemoASGI

application = DemoASGI(get_asgi_application(), warm_up=os.environ.get("DEMO_WARM_UP", "1") != "0")
