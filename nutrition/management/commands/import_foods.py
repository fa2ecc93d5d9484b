"""Import USDA SR28 with the Spanish names and SMAE groups, then the Mexican system recipes.

    python manage.py import_foods            # import or refresh everything (idempotent)
    python manage.py import_foods --if-empty # skip when SR28 is already there (make run)
"""

from django.core.management.base import BaseCommand

from nutrition.sr28 import sr28_import, sr28_is_imported


class Command(BaseCommand):
    help = "Import USDA SR28 foods, Spanish names, SMAE groups and the Mexican system recipes."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when SR28 is already imported.")
        parser.add_argument("--only", default="", help="Comma-separated NDB numbers (for tests and demos).")
        parser.add_argument("--no-recipes", action="store_true", help="Skip the Mexican system recipes.")

    def handle(self, *args, **options):
        from nutrition.models import Recipe

        if options["if_empty"] and sr28_is_imported():
            self.stdout.write("SR28 food database already imported; skipping.")
        else:
            only = [n.strip() for n in options["only"].split(",") if n.strip()] or None
            stats = sr28_import(only=only, log=self.stdout.write)
            self.stdout.write(
                self.style.SUCCESS(
                    f"SR28: {stats['foods_created']} foods created, {stats['foods_updated']} updated; "
                    f"{stats['portions_created']} portions created, {stats['portions_updated']} updated "
                    f"in {stats['seconds']} s."
                )
            )
        if options["if_empty"] and Recipe.objects.filter(is_system=True).exists():
            self.stdout.write("Mexican system recipes already loaded; skipping.")
        elif not options["no_recipes"]:
            from nutrition.services.recipes import system_recipes_load

            result = system_recipes_load()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Mexican system recipes: {result['created']} created, {result['updated']} updated, "
                    f"{result['unchanged']} unchanged."
                )
            )
