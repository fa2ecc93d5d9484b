"""A lively community for the demo: the demo people follow each other, share progress with a
photo, a recipe, a question and an achievement, react and comment; an open group "Sin azúcar
CDMX" with members and posts; the demo patient's family circle with her nutritionist (added
automatically) and Jorge as "esposo". Built through the same services the pages use.

Idempotent: does nothing when the demo patient already has posts. Needs seed_demo and
seed_demo_practice first (for the nutritionist and the extra patients).
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

PATIENT = "paciente@demo.nutrimx.mx"
NUTRITIONIST = "nutriologa@demo.nutrimx.mx"
OTHERS = ["jorge.ramirez@demo.nutrimx.mx", "mariana.lopez@demo.nutrimx.mx", "ricardo.torres@demo.nutrimx.mx",
          "fernanda.cruz@demo.nutrimx.mx"]


def _photo(color, label: str) -> SimpleUploadedFile:
    """A plate drawn locally (no downloads): a coloured circle on a table."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (236, 226, 208))
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 50, 650, 550), fill=(250, 250, 248), outline=(200, 200, 200), width=6)
    draw.ellipse((230, 130, 570, 470), fill=color)
    draw.text((30, 560), label, fill=(90, 70, 50))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{label}.jpg", out.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Create the demo community: follows, posts, reactions, comments, a group and a family circle."

    @override_settings(API_RATE_LIMITS_ENABLED=False, CELERY_TASK_ALWAYS_EAGER=True)
    def handle(self, *args, **options):
        from accounts.models import User
        from social.models import Post

        patient = User.objects.filter(email=PATIENT).first()
        nutritionist = User.objects.filter(email=NUTRITIONIST).first()
        by_email = {u.email: u for u in User.objects.filter(email__in=OTHERS)}
        others = [by_email[e] for e in OTHERS if e in by_email]
        if len(others) < 4:
            self.stdout.write("seed_demo_social: run seed_demo_practice first (it creates the other demo patients).")
            return
        if patient is None or nutritionist is None:
            self.stdout.write("seed_demo_social: run seed_demo first; nothing to do.")
            return
        if Post.objects.filter(author=patient).exists():
            self.stdout.write("seed_demo_social: the demo community already exists.")
            return
        with transaction.atomic():
            self._build(patient, nutritionist, others)
        self.stdout.write(self.style.SUCCESS("seed_demo_social: community created (posts, group, family circle)."))

    def _build(self, patient, nutritionist, others):
        from social.models import Post
        from social.services import circles, groups, interactions, people, posts

        everyone = [patient, nutritionist, *others]
        for a in everyone:
            for b in everyone:
                if a.pk != b.pk:
                    people.follow(actor=a, user_id=b.pk)
        now = timezone.now()

        def aged(post, hours):
            Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(hours=hours))
            return post

        progress = aged(posts.post_create(
            actor=patient, type="progress", title="Mi primer mes",
            body="Un mes registrando lo que como y caminando 30 minutos diarios. ¡Sí se puede! #progreso #motivacion",
            progress_data={"weight_before_kg": 78.4, "weight_after_kg": 75.1, "time_period_days": 30},
            images=[_photo((120, 170, 90), "antes"), _photo((90, 150, 70), "ahora")], state="Ciudad de México",
            city="Coyoacán",
        ), 5)
        tip = aged(posts.post_create(
            actor=nutritionist, type="text",
            body="Tip de la semana: cambia el refresco por agua de jamaica sin azúcar y suma 2 verduras en la comida. "
                 "Pequeños cambios, grandes resultados. #hidratacion #comidamexicana",
        ), 20)
        question = aged(posts.post_create(
            actor=others[0], type="question",
            body="¿Qué colación llevan al trabajo? Busco opciones con fruta de temporada que no necesiten refrigerador.",
        ), 9)
        plate = aged(posts.post_create(
            actor=others[1], type="photo", body="Tacos de frijol con nopales y pico de gallo 🌮 #recetas",
            images=[_photo((150, 90, 60), "tacos")],
        ), 30)
        achievement = aged(posts.post_create(
            actor=others[2], type="achievement", title="30 días seguidos",
            body="¡30 días seguidos registrando mis comidas! Gracias a todos por los ánimos.",
            achievement_data={"badge_name": "30_day_streak"},
        ), 48)
        for post, fans in ((progress, [nutritionist, *others]), (tip, [patient, others[0], others[3]]),
                           (achievement, [patient, nutritionist, others[1]]), (plate, [patient, others[2]])):
            for i, fan in enumerate(fans):
                interactions.reaction_set(actor=fan, post_id=post.pk,
                                          reaction_type=["heart", "clap", "fire", "strong", "celebrate"][i % 5])
        first = interactions.comment_create(actor=nutritionist, post_id=progress.pk,
                                            content="¡Qué orgullo! Sigue así; la próxima semana revisamos tu plan.")
        interactions.comment_create(actor=patient, post_id=progress.pk, content="¡Gracias, doctora! 🙌",
                                    parent_comment_id=first.pk)
        interactions.comment_create(actor=others[0], post_id=progress.pk, content="¡Felicidades! Me motivas.")
        interactions.comment_create(actor=patient, post_id=question.pk,
                                    content="Yo llevo jícama con limón y chile, o una mandarina con almendras.")
        posts.post_share(actor=others[3], post_id=tip.pk, body="Justo lo que necesitaba leer hoy 💧")

        group = groups.group_create(actor=nutritionist, data={
            "name": "Sin azúcar CDMX", "type": "open", "category": "goal_based", "state": "CMX",
            "description": "Reto de 21 días para dejar el azúcar añadida. Compartimos recetas, dudas y avances.",
            "rules": [{"title": "Respeto mutuo", "description": "Aquí nos apoyamos; nada de burlas."},
                      {"title": "Sin productos milagro", "description": "No se permite vender ni recomendar suplementos."}],
            "tags": ["sinazucar", "reto"],
        })
        for member in (patient, *others[:3]):
            groups.group_join(actor=member, group_id=group.pk)
        posts.post_create(actor=patient, visibility="group", group_id=group.pk,
                          body="Día 3 sin refresco. Extraño el café con azúcar, pero ya casi no lo pido. #sinazucar")
        posts.post_create(actor=others[1], visibility="group", group_id=group.pk,
                          body="Receta: agua fresca de pepino con limón y hierbabuena, sin azúcar. ¡Queda riquísima!")

        circle = circles.circle_create(actor=patient, name="Familia Hernández",
                                       description="Para echarnos porras en casa.")
        circles.circle_invite(actor=patient, circle_id=circle.pk, username=others[0].username,
                              role="family_member", relationship="esposo")
        circles.circle_invitation_respond(actor=others[0], circle_id=circle.pk, accept=True)
        circles.circle_goal_add(actor=patient, circle_id=circle.pk, title="Cenar juntos sin pantallas", target="5 días a la semana")
        posts.post_create(actor=others[0], visibility="family_circle", family_circle_id=circle.pk,
                          body="Hoy cocinamos juntos calabacitas a la mexicana. ¡Los niños repitieron!")
