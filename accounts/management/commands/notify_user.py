"""Send an in-app notification to a user (pushes ``notification:new`` to their sockets).

manage.py notify_user ana@example.mx "Tu plan está listo" --body "Revísalo" --link /inicio/
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import NotificationCategory, User
from accounts.services import notify


class Command(BaseCommand):
    help = "Store an in-app notification for a user and push it over the websocket."

    def add_arguments(self, parser):
        parser.add_argument("user", help="email or @username")
        parser.add_argument("title")
        parser.add_argument("--body", default="")
        parser.add_argument("--link", default="")
        parser.add_argument("--kind", default="system.message")
        parser.add_argument(
            "--category", default=NotificationCategory.SYSTEM, choices=NotificationCategory.values
        )

    def handle(self, *args, **opts):
        who = opts["user"].strip().lower()
        user = User.objects.filter(email=who).first() or User.objects.filter(username=who.lstrip("@")).first()
        if user is None:
            raise CommandError(f"No user {opts['user']!r}")
        notification = notify(
            user, opts["kind"], opts["title"], opts["body"], opts["link"], category=opts["category"]
        )
        if notification is None:
            self.stdout.write("muted")
        else:
            self.stdout.write(str(notification.pk))
