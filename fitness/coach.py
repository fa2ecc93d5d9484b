"""The words of a workout plan: title, description, coaching tips and the safety note.

The deterministic text below is always written. When an AI provider is configured, the
language model may rewrite only the title, description and tips (never the exercises, sets,
or the safety note); any ``AIError`` keeps the deterministic text.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from pydantic import BaseModel, Field

from fitness.generator import PlanDraft

logger = logging.getLogger(__name__)

AI_FEATURE = "workout_plan"
AI_TIMEOUT_SECONDS = 20.0  # the person is waiting for the page; past this, local text
MAX_TIPS = 5
MAX_TIP_CHARS = 240
MAX_TITLE_CHARS = 120
MAX_DESCRIPTION_CHARS = 900
SENIOR_AGE = 60


class WorkoutCopy(BaseModel):
    """What the language model must answer."""

    title: str = Field(min_length=3)
    description: str = Field(min_length=10)
    tips: list[str] = Field(default_factory=list)


def _labels():
    from fitness.models import Focus, Goal, Level

    return dict(Goal.choices), dict(Level.choices), dict(Focus.choices)


def local_copy(draft: PlanDraft) -> dict:
    """Deterministic title, description and tips for a plan."""
    goals, levels, focuses = _labels()
    days = len(draft.sessions)
    title = _("%(goal)s · %(days)s · %(level)s") % {
        "goal": goals[draft.goal],
        "days": ngettext("%(n)s día por semana", "%(n)s días por semana", days) % {"n": days},
        "level": levels[draft.level],
    }
    strength = [s for s in draft.sessions if s.kind == "fuerza"]
    conditioning = [s for s in draft.sessions if s.kind != "fuerza"]
    split = sorted({str(focuses[s.focus]).lower() for s in strength})
    parts = []
    if strength:
        parts.append(
            ngettext(
                "%(n)s sesión de fuerza (%(split)s)", "%(n)s sesiones de fuerza (%(split)s)", len(strength)
            ) % {"n": len(strength), "split": ", ".join(split)}
        )
    if conditioning:
        parts.append(
            ngettext("%(n)s de cardio o intervalos", "%(n)s de cardio o intervalos", len(conditioning))
            % {"n": len(conditioning)}
        )
    description = _(
        "Semana de %(parts)s, de unos %(minutes)s minutos cada una con calentamiento y enfriamiento. "
        "Los días sin sesión son de descanso: camina o estírate suave si te apetece."
    ) % {"parts": _(" y ").join(parts), "minutes": draft.session_minutes}
    progression = {
        "principiante": _(
            "Las primeras dos semanas aprende la técnica con un esfuerzo moderado (podrías hacer 3 o 4 "
            "repeticiones más al terminar cada serie)."
        ),
        "intermedio": _(
            "Cuando completes todas las series con buena técnica, agrega una o dos repeticiones la semana "
            "siguiente; al llegar a 15, sube el peso o usa una variante más difícil."
        ),
        "avanzado": _(
            "Sube la carga entre 2.5 y 5 % cuando completes todas las series, y cada cuarta semana baja el "
            "volumen a la mitad para recuperarte."
        ),
    }[draft.level]
    description = f"{description} {progression}"
    tips = {
        "perder_grasa": [
            _("La pérdida de grasa depende sobre todo de tu alimentación: registra lo que comes en tu diario."),
            _("Entrena fuerza aunque tu meta sea bajar de peso: ayuda a conservar músculo."),
            _("Suma pasos en tu día: caminar 7,000 a 10,000 pasos ayuda tanto como una sesión extra."),
        ],
        "ganar_musculo": [
            _("Come suficiente proteína (1.6 a 2.2 g por kg de peso al día), repartida en tus comidas."),
            _("Duerme 7 a 9 horas: el músculo se construye al recuperarte."),
            _("Termina cada serie a 1 o 2 repeticiones de no poder más, con buena técnica."),
        ],
        "condicion_fisica": [
            _("En los intervalos debes quedar agitado(a) pero recuperarte en el descanso."),
            _("En el cardio continuo mantén un ritmo en el que puedas hablar con frases cortas."),
            _("Hidrátate antes, durante y después, sobre todo con calor."),
        ],
        "salud_general": [
            _("La meta de la OMS es 150 a 300 minutos de actividad moderada a la semana y fuerza 2 días."),
            _("Lo más importante es la constancia: un entrenamiento corto es mejor que ninguno."),
            _("Levántate y muévete unos minutos por cada hora sentado(a)."),
        ],
    }[draft.goal]
    return {"title": title[:MAX_TITLE_CHARS], "description": description, "tips": [str(t) for t in tips]}


def safety_note(draft: PlanDraft, *, user) -> str:
    """The medical safety note: for beginners, people 60 or older and anyone whose profile
    lists a health condition. Always deterministic (never written by the language model)."""
    profile = getattr(user, "profile", None)
    conditions = list(getattr(profile, "conditions", None) or [])
    birth = getattr(profile, "date_of_birth", None)
    age = None
    if birth:
        today = date.today()
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if draft.level != "principiante" and not conditions and not (age and age >= SENIOR_AGE):
        return ""
    note = _(
        "Antes de empezar, consulta a tu médico si tienes una enfermedad del corazón, presión alta, diabetes, "
        "dolor de pecho, mareos, una lesión, estás embarazada o hace mucho que no haces ejercicio. Detén la "
        "sesión si sientes dolor en el pecho, falta de aire fuera de lo normal, mareo o dolor en las articulaciones."
    )
    if conditions:
        note += " " + _("Tu perfil indica: %(conditions)s; coméntale este plan a tu médico o nutriólogo(a).") % {
            "conditions": ", ".join(str(c) for c in conditions[:5])
        }
    return note


def _prompt(draft: PlanDraft, local: dict) -> list[dict]:
    goals, levels, focuses = _labels()
    from fitness.models import Weekday

    weekdays = dict(Weekday.choices)
    lines = []
    for s in draft.sessions:
        names = ", ".join((i.exercise.name or i.exercise.code) for i in s.items if i.block in ("principal", "final"))
        lines.append(f"- {weekdays[s.weekday]}: {focuses[s.focus]} ({s.minutes} min): {names}")
    language = "español de México" if (get_language() or "es").startswith("es") else "English"
    system = (
        "Eres entrenador(a) personal certificado(a) y escribes para una app de nutrición mexicana. "
        f"Escribe en {language}, cálido(a) y claro(a), sin prometer resultados ni dar diagnósticos médicos. "
        "No cambies ejercicios, series, repeticiones ni días: solo redacta. "
        f"Devuelve JSON con: title (máximo 80 caracteres), description (2 a 4 frases) y tips (3 a {MAX_TIPS} "
        "consejos breves de entrenamiento, descanso o hidratación)."
    )
    user_text = (
        f"Objetivo: {goals[draft.goal]}. Nivel: {levels[draft.level]}. "
        f"Sesiones de {draft.session_minutes} min. Equipo: {', '.join(draft.equipment) or 'peso corporal'}.\n"
        + "\n".join(lines)
        + f"\nTítulo provisional: {local['title']}"
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user_text}]


def ai_copy(draft: PlanDraft, local: dict, *, user) -> dict | None:
    """Title, description and tips written by the language model, or None when no provider is
    configured or it fails (timeout, rate limit, malformed reply): the caller keeps ``local``."""
    from integrations.ai import AIError, ai_enabled, chat_json

    if not ai_enabled():
        return None
    timeout = min(float(settings.AI_TIMEOUT_SECONDS), AI_TIMEOUT_SECONDS)
    try:
        reply = chat_json(_prompt(draft, local), WorkoutCopy, feature=AI_FEATURE, user=user, timeout=timeout,
                          temperature=0.4)
    except AIError as exc:
        logger.info("workout plan text kept local: %s", exc.code)
        return None
    title = " ".join(reply.title.split())[:MAX_TITLE_CHARS]
    description = reply.description.strip()[:MAX_DESCRIPTION_CHARS]
    tips = [" ".join(str(t).split())[:MAX_TIP_CHARS] for t in reply.tips if str(t).strip()][:MAX_TIPS]
    if len(title) < 3 or len(description) < 10:
        return None
    return {"title": title, "description": description, "tips": tips or local["tips"]}
