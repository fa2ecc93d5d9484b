"""``manage.py content_setup``: editorial groups, permissions, workflow and locales for every
site (run it after adding a site or a locale tree; it is idempotent)."""

from django.core.management.base import BaseCommand

from content.setup import EDITORS, MODERATORS, WORKFLOW_NAME, content_setup


class Command(BaseCommand):
    help = "Crea o completa los grupos Editores y Moderadores, sus permisos, el flujo de revisión y los idiomas."

    def handle(self, *args, **options):
        content_setup()
        self.stdout.write(self.style.SUCCESS(
            f"Listo: grupos «{EDITORS}» y «{MODERATORS}», flujo «{WORKFLOW_NAME}», idiomas es-mx y en."
        ))
