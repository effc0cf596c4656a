"""Signals this app sends for higher apps to listen to (it never imports them)."""

from django.dispatch import Signal

# Sent with ``user`` when a signed-in user's progress may have changed: a step seen for the first
# time, an answer stored (lti sends path scores to a learning platform on it).
progress_changed = Signal()
