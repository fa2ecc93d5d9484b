"""Rebuild Redis feed timelines from the database (after a Redis flush or a data repair).

    manage.py social_timelines_rebuild            # every active user
    manage.py social_timelines_rebuild --user 42  # one person

Without Redis (the embedded default) there is nothing to rebuild: feeds read the database.
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Rebuild the Redis feed timelines from the database."

    def add_arguments(self, parser):
        parser.add_argument("--user", type=int)

    def handle(self, *args, **opts):
        from accounts.models import User
        from social.feed import redis_client, timeline_rebuild
        from social.rules import audience_for

        if redis_client() is None:
            self.stdout.write("No Redis configured (REDIS_URL): feeds read the database; nothing to rebuild.")
            return
        users = User.objects.filter(is_active=True, deleted_at__isnull=True)
        if opts["user"]:
            users = users.filter(pk=opts["user"])
            if not users.exists():
                raise CommandError(f"No active user with id {opts['user']}.")
        done = 0
        for user in users.iterator(chunk_size=500):
            timeline_rebuild(audience_for(user))
            done += 1
        self.stdout.write(self.style.SUCCESS(f"rebuilt {done} timelines"))
