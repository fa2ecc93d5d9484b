"""The demo public site: home page, blog with locally drawn pictures, resources (one behind the
lead-magnet gate), videos, FAQ, testimonials, legal pages, contact form, site settings, menus
and English translations. Idempotent: does nothing when a home page already exists.

Run after seed_demo (the posts are signed by the demo nutritionist and the pages' revisions by
the demo editor)."""

from django.core.management.base import BaseCommand

from content.demo import demo_site_build


class Command(BaseCommand):
    help = "Crea el sitio público de demostración en Wagtail (idempotente)."

    def handle(self, *args, **options):
        if demo_site_build(stdout=self.stdout):
            self.stdout.write(self.style.SUCCESS("Sitio público de demostración listo: / , /blog/, /recursos/, /cms/."))
        else:
            self.stdout.write("El sitio público ya existía: no se creó nada.")
