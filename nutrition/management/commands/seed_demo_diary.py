"""Three weeks of a believable diary for the demo patient (meals, water, weight, exercise), so
the day page, the week view and the progress charts show something on first start.
Idempotent: does nothing when the demo patient already has diary entries."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from nutrition.models import Activity, DiaryEntry, Food
from nutrition.services import diary as svc

DEMO_EMAIL = "paciente@demo.nutrimx.mx"
DAYS = 21
# (meal, NDB number, grams) rotated over the days; everyday Mexican meals from SR28 foods.
MENUS = [
    [("desayuno", "01123", 100), ("desayuno", "18363", 60), ("desayuno", "16015", 120), ("desayuno", "14209", 240),
     ("colacion_matutina", "09040", 118), ("comida", "05062", 150), ("comida", "20045", 150),
     ("comida", "11529", 120), ("comida", "18363", 60), ("colacion_vespertina", "01116", 170),
     ("cena", "16043", 130), ("cena", "18363", 60), ("cena", "09037", 50)],
    [("desayuno", "01256", 170), ("desayuno", "09316", 150), ("desayuno", "14209", 240),
     ("colacion_matutina", "09003", 182), ("comida", "15121", 120), ("comida", "20045", 150),
     ("comida", "11205", 100), ("comida", "09037", 70), ("colacion_vespertina", "09226", 150),
     ("cena", "01123", 100), ("cena", "11282", 40), ("cena", "18363", 60)],
    [("desayuno", "01077", 244), ("desayuno", "09040", 118), ("colacion_matutina", "09003", 182),
     ("comida", "05062", 180), ("comida", "16015", 150), ("comida", "18363", 90), ("comida", "11529", 100),
     ("colacion_vespertina", "19905", 20), ("cena", "01009", 30), ("cena", "18363", 60), ("cena", "16043", 100)],
]


class Command(BaseCommand):
    help = "Create three weeks of diary, water, weight and exercise for the demo patient."

    def handle(self, *args, **options):
        from accounts.models import User

        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            self.stdout.write("No demo patient (run seed_demo first); nothing to do.")
            return
        if DiaryEntry.objects.filter(user=user).exists():
            self.stdout.write("The demo patient already has a diary; nothing to do.")
            return
        foods = {f.external_id: f.pk for f in Food.objects.filter(source="usda", external_id__in={
            ndb for menu in MENUS for _, ndb, _ in menu})}
        if not foods:
            self.stdout.write("The food database is empty (run import_foods first); nothing to do.")
            return
        activity = Activity.objects.order_by("-met").filter(met__lte=5).first()
        today = timezone.localdate()
        with transaction.atomic():
            for back in range(DAYS, 0, -1):
                day = today - timedelta(days=back)
                for meal, ndb, grams in MENUS[back % len(MENUS)]:
                    if ndb in foods:
                        svc.diary_entry_add(actor=user, date=day, meal=meal, food_id=foods[ndb], quantity=grams)
                for _ in range(4 + back % 3):
                    svc.water_add(actor=user, ml=250, date=day)
                if back % 3 == 0:
                    # a slow, realistic loss: about 0.4 kg a week with day-to-day noise
                    weight = 68.5 + 0.06 * back + (0.3 if back % 2 else -0.2)
                    svc.weight_log_set(actor=user, weight_kg=round(weight, 1), date=day)
                if activity and back % 2 == 0:
                    svc.exercise_add(actor=user, activity_code=activity.code, minutes=30 + back % 4 * 10, date=day)
        self.stdout.write(self.style.SUCCESS(f"Demo diary created for {DEMO_EMAIL} ({DAYS} days)."))
