"""Generate a large social network for benchmarks and load tests.

    manage.py social_generate --users 12000 --posts 1000000 --viewer-follows 1000 --celebrity-followers 10000

Creates ``gen_u<n>`` users (unusable passwords) with profiles, one viewer ``gen_viewer``
following ``--viewer-follows`` of them, one ``gen_celebrity`` followed by
``--celebrity-followers`` of them, and ``--posts`` posts spread over 180 days (85 % public,
15 % followers-only) with reactions and comment counts. On PostgreSQL the posts are written by
one ``INSERT … SELECT generate_series`` (a million rows in well under a minute); elsewhere
with bulk inserts. Refuses to run twice on the same database (``--force`` to add more).
"""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Generate users, follows and posts for social-network benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=12000)
        parser.add_argument("--posts", type=int, default=1_000_000)
        parser.add_argument("--viewer-follows", type=int, default=1000)
        parser.add_argument("--celebrity-followers", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, **opts):
        from accounts.models import User
        from social.generate import generate

        if User.objects.filter(username="gen_viewer").exists() and not opts["force"]:
            raise CommandError("Generated data already present (gen_viewer exists); use --force to add more.")
        if opts["celebrity_followers"] > opts["users"] or opts["viewer_follows"] > opts["users"]:
            raise CommandError("--viewer-follows and --celebrity-followers cannot exceed --users.")
        start = time.perf_counter()
        summary = generate(
            users=opts["users"], posts=opts["posts"], viewer_follows=opts["viewer_follows"],
            celebrity_followers=opts["celebrity_followers"], rng=random.Random(opts["seed"]),
            log=lambda m: self.stdout.write(m),
        )
        summary["seconds"] = round(time.perf_counter() - start, 1)
        self.stdout.write(self.style.SUCCESS(f"generated: {summary}"))



