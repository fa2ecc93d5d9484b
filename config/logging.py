"""Log filter that stamps each record with the current request id."""

import logging

from config.middleware import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # Django logs 4xx/5xx responses ("Not Found: ...") after the middleware chain has
            # returned, when the context variable is already reset; those records carry the
            # request itself, which RequestIdMiddleware stamped.
            request = getattr(record, "request", None)
            record.request_id = current_request_id() or getattr(request, "request_id", None) or "-"
        return True
