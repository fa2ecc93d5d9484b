"""Helper process for test_cross_process.py (not a test module): another replica of the
application, talking to whatever DATABASE_URL / REDIS_URL / CHANNELS_PREFIX its environment
names. It boots Django once and then answers one JSON command per stdin line:

    {"cmd": "setup"}                                 -> {"user_id", "token", "notification_id"}
    {"cmd": "notify", "user_id": 1, "title": "..."}  -> {"notification_id"}  (committed, pushed)

Run as ``python -m tests.realtime.xproc``.
"""

from __future__ import annotations

import json
import os
import sys
import uuid


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import User
    from accounts.services import notify

    def setup() -> dict:
        with transaction.atomic():
            user = User.objects.create_user(email=f"xproc-{uuid.uuid4().hex[:10]}@example.mx", first_name="Cruz")
            first = notify(user, "welcome", "Bienvenida")
        return {"user_id": user.pk, "token": str(AccessToken.for_user(user)), "notification_id": first.pk}

    def notify_cmd(user_id: int, title: str) -> dict:
        user = User.objects.get(pk=user_id)
        with transaction.atomic():
            n = notify(user, "cross_process", title, data={"from": "publisher-process"})
        return {"notification_id": n.pk}

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        cmd = request.pop("cmd")
        reply = setup() if cmd == "setup" else notify_cmd(**request) if cmd == "notify" else {"error": cmd}
        print(json.dumps(reply), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
