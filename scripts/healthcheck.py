#!/usr/bin/env python3
"""Container health check (Dockerfile HEALTHCHECK): GET /api/v1/health on the local daphne.

Sends a Host header taken from ALLOWED_HOSTS so Django's host validation accepts the probe.
Exit status 0 when the answer is 200 {"status": "ok"}, 1 otherwise. Standard library only.
"""

import json
import os
import sys
import urllib.request


def main() -> int:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost").split(",") if h.strip()]
    host = next((h.lstrip(".") for h in hosts if h != "*"), "localhost")
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/api/v1/health"
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 - fixed local URL
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            healthy = response.status == 200 and json.load(response).get("status") == "ok"
    except Exception as exc:  # noqa: BLE001
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
