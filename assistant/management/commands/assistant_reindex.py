"""Rebuild the chatbot's knowledge passages from the live, public blog posts and resources and
the published recipes (``make run`` calls it after loading the demo content)."""

import time

from django.core.management.base import BaseCommand

from assistant.indexing import reindex_all


class Command(BaseCommand):
    help = "Reconstruye los pasajes de conocimiento del asistente (blog, recursos y recetas publicados)."

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = reindex_all()
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"Asistente: {total} pasajes (blog {counts['blog']}, recursos {counts['resource']}, "
            f"recetas {counts['recipe']}) en {time.monotonic() - started:.1f} s."
        ))
