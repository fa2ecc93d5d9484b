"""ASGI entry point: HTTP through Django, ``/ws/`` through Channels.

Browser sockets authenticate with the session cookie, the mobile app with a JWT
(``?token=`` or ``Authorization: Bearer``); see ``accounts.consumers``.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from accounts.consumers import RealtimeConsumer  # noqa: E402
from accounts.middleware import JWTOrSessionAuthMiddleware  # noqa: E402

websocket_urlpatterns = [path("ws/", RealtimeConsumer.as_asgi())]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": JWTOrSessionAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
