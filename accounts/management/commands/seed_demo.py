"""Create the demo accounts (patient, nutritionist, admin, editor, moderator) with profiles. Idempotent:
a second run finds them, resets their password to DEMO_PASSWORD and creates nothing new."""

from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import ActivityLevel, ConsentRecord, Goal, Profile, Role, RoleGrant, Sex, User, UserType
from accounts.services import user_onboard

DEMO_ACCOUNTS = [
    {
        "key": "patient",
        "email": "paciente@demo.nutrimx.mx",
        "first_name": "Lucía",
        "last_name": "Hernández",
        "user_type": UserType.PATIENT,
        "profile": {
            "date_of_birth": date(1992, 4, 18),
            "sex": Sex.FEMALE,
            "height_cm": 162,
            "weight_kg": 68.5,
            "activity_level": ActivityLevel.LIGHT,
            "goal": Goal.WEIGHT_LOSS,
            "target_weight_kg": 62,
            "state": "CMX",
            "city": "Ciudad de México",
            "phone": "+525512345678",
            "allergies": ["cacahuate"],
            "bio": "Aprendiendo a comer mejor sin dejar los tacos.",
        },
    },
    {
        "key": "nutritionist",
        "email": "nutriologa@demo.nutrimx.mx",
        "first_name": "Sara",
        "last_name": "Gallegos",
        "user_type": UserType.NUTRITIONIST,
        "roles": [Role.NUTRITIONIST, Role.PATIENT],
        "profile": {
            "date_of_birth": date(1986, 9, 2),
            "sex": Sex.FEMALE,
            "height_cm": 168,
            "weight_kg": 61,
            "activity_level": ActivityLevel.ACTIVE,
            "goal": Goal.MAINTENANCE,
            "state": "JAL",
            "city": "Guadalajara",
            "phone": "+523312345678",
            "bio": "Nutrióloga clínica. Diabetes y nutrición deportiva.",
        },
    },
    {
        "key": "admin",
        "email": "admin@demo.nutrimx.mx",
        "first_name": "Admin",
        "last_name": "NutriMX",
        "user_type": UserType.ADMIN,
        "staff": True,
        "roles": [Role.ADMIN],
        "profile": {"state": "CMX", "city": "Ciudad de México"},
    },
    {
        "key": "editor",
        "email": "editor@demo.nutrimx.mx",
        "first_name": "Elena",
        "last_name": "Editora",
        "user_type": UserType.PATIENT,
        "groups": ["Editores"],
        "profile": {"state": "NLE", "city": "Monterrey"},
    },
    {
        "key": "moderator",
        "email": "moderadora@demo.nutrimx.mx",
        "first_name": "Marta",
        "last_name": "Moderadora",
        "user_type": UserType.PATIENT,
        "groups": ["Moderadores"],
        "profile": {"state": "YUC", "city": "Mérida"},
    },
]


class Command(BaseCommand):
    help = "Crea las cuentas de demostración (idempotente) e imprime sus accesos."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No imprimir los accesos.")

    @transaction.atomic
    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD
        created_any = False
        for spec in DEMO_ACCOUNTS:
            user = User.objects.filter(email=spec["email"]).first()
            created = user is None
            if created:
                user = User.objects.create_user(
                    email=spec["email"],
                    password=password,
                    first_name=spec["first_name"],
                    last_name=spec["last_name"],
                    user_type=spec["user_type"],
                    is_staff=spec.get("staff", False),
                    is_superuser=spec.get("staff", False),
                )
                user_onboard(user=user, accept_marketing=False)
                Profile.objects.filter(user=user).update(**spec["profile"])
                created_any = True
            elif not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"primary": True, "verified": True}
            )
            if not ConsentRecord.objects.filter(user=user).exists():
                user_onboard(user=user)
            for role in spec.get("roles", []):
                RoleGrant.objects.get_or_create(user=user, role=role)
            for name in spec.get("groups", []):
                group = Group.objects.filter(name=name).first()
                if group:
                    user.groups.add(group)
        if options["quiet"]:
            return
        self.stdout.write(self.style.SUCCESS("Datos de demostración listos." if created_any else "Datos de demostración ya existían."))
        self.stdout.write("")
        self.stdout.write(f"  Accesos de demostración (contraseña para todos: {password})")
        labels = {
            "patient": "Paciente",
            "nutritionist": "Nutrióloga (verificada)",
            "admin": "Administrador (pedirá activar 2FA al entrar; /django-admin/)",
            "editor": "Editora de contenidos (/cms/)",
            "moderator": "Moderadora: aprueba y publica en /cms/",
        }
        for spec in DEMO_ACCOUNTS:
            self.stdout.write(f"  - {labels[spec['key']]:<62} {spec['email']}")
        self.stdout.write("")
