"""Platform calls off the request: after the transaction commits, one worker thread per process
sends them, so a page never waits on a learning platform. What it cannot send stays dirty in the
database, and ``manage.py lti_send_scores`` (run it from cron or a timer) tries again later.

``LTI_BACKGROUND = False`` runs them right after the commit, in the request (tests do: their
database transaction is invisible to another thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None


def _run(fn: Callable[[], object]) -> None:
    try:
        fn()
    except Exception:  # a bug here must not reach a page, and the row stays for the next try
        logger.exception("LTI background task failed")
    finally:
        close_old_connections()


def _submit(fn: Callable[[], object]) -> None:
    global _executor
    if not settings.LTI_BACKGROUND:
        try:
            fn()
        except Exception:
            logger.exception("LTI task failed")
        return
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lti")
    _executor.submit(_run, fn)


def schedule(fn: Callable[[], object]) -> None:
    """Run ``fn`` once the current transaction (if any) has committed."""
    transaction.on_commit(lambda: _submit(fn))
