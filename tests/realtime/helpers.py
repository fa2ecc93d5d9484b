"""Running a websocket scenario from a synchronous test."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync


def run_async(scenario) -> object:
    """``async_to_sync(scenario)()``, from a fresh thread when this one already has a running
    event loop: after a browser test on the same xdist worker, Playwright's session-wide loop
    stays registered as running in the main thread, and AsyncToSync refuses to start there."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return async_to_sync(scenario)()

    def in_thread():
        from django.db import connections

        try:
            return async_to_sync(scenario)()
        finally:
            connections.close_all()  # this thread's connections, so the test's flush is not blocked

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ws-scenario") as pool:
        return pool.submit(in_thread).result()
