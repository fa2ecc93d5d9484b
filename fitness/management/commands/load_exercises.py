from django.core.management.base import BaseCommand

from fitness.catalogue import exercises_load


class Command(BaseCommand):
    help = "Carga o actualiza el catálogo de ejercicios desde fitness/data/exercises.csv."

    def handle(self, *args, **options):
        count = exercises_load()
        self.stdout.write(self.style.SUCCESS(f"{count} ejercicios cargados."))
