"""Queueing a Celery task for work whose progress a person watches live.

With a worker (``REDIS_URL``), ``enqueue`` is ``task.delay``. In the embedded default Celery is
eager: ``delay`` would run the task inside the request, so the page would only come back when
the work is over and the live progress (photo analysis steps, a streamed chatbot answer) would
never be seen. There the task runs on a background thread of the same process instead, which
is what a worker does from the person's point of view. Tests keep it inline
(``TASKS_IN_THREADS`` is off under pytest) so they stay deterministic.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


def _run(task, args, kwargs):
    close_old_connections()
    try:
        task.apply(args=args, kwargs=kwargs, throw=False)
    except Exception:  # pragma: no cover - the task logs its own failures
        logger.exception("background task %s failed", task.name)
    finally:
        connections.close_all()


def enqueue(task, *args, **kwargs) -> None:
    """``task.delay(*args, **kwargs)``, or a background thread in the embedded default."""
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.TASKS_IN_THREADS:
        threading.Thread(target=_run, args=(task, args, kwargs), daemon=True, name=f"task-{task.name}").start()
    else:
        task.delay(*args, **kwargs)
