"""``preview``: true while ``manage.py preview`` serves the site (base.html then adds the live-reload
script and the view-as switch)."""

from .session import current


def preview(request) -> dict:
    return {"preview": current() is not None}
