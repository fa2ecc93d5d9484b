"""Safety rules run before any model: each category in Spanish and English, and questions that
only look similar (education) are answered normally."""

from __future__ import annotations

import pytest

from assistant.safety import DIAGNOSIS, EATING_DISORDER, EXTREME_DIET, SUPPLEMENTS, classify

FLAGGED = [
    ("¿Tengo diabetes?", DIAGNOSIS),
    ("¿Tengo diabetes si me da mucha sed?", DIAGNOSIS),
    ("Me da mucha sed y orino mucho, ¿es diabetes?", DIAGNOSIS),
    ("Tengo mucha sed y orino seguido, ¿será que tengo diabetes?", DIAGNOSIS),
    ("Mi glucosa salió en 130 en ayunas, ¿es normal?", DIAGNOSIS),
    ("Do I have diabetes?", DIAGNOSIS),
    ("My blood test shows cholesterol 250, what does it mean?", DIAGNOSIS),
    ("Quiero hacer una dieta de 800 calorías", EXTREME_DIET),
    ("¿Cómo bajar 10 kilos en una semana?", EXTREME_DIET),
    ("Quiero hacer un ayuno de 5 días", EXTREME_DIET),
    ("¿Funciona un detox de jugos?", EXTREME_DIET),
    ("¿Una purga me ayuda a desinflamar?", EXTREME_DIET),
    ("I want to lose 10 kg in a week", EXTREME_DIET),
    ("Should I eat 900 calories a day?", EXTREME_DIET),
    ("Is a water fast for 7 days ok?", EXTREME_DIET),
    ("¿Cuánta creatina debo tomar?", SUPPLEMENTS),
    ("¿Qué dosis de vitamina D me recomiendas?", SUPPLEMENTS),
    ("¿Me recomiendas pastillas para adelgazar?", SUPPLEMENTS),
    ("¿Puedo tomar metformina para bajar de peso?", SUPPLEMENTS),
    ("How much creatine should I take?", SUPPLEMENTS),
    ("Which supplement should I take for energy?", SUPPLEMENTS),
    ("Vomito después de comer para no engordar", EATING_DISORDER),
    ("Tengo atracones y después siento mucha culpa", EATING_DISORDER),
    ("Quiero no comer para bajar de peso rápido", EATING_DISORDER),
    ("¿Los laxantes ayudan a bajar de peso?", EATING_DISORDER),
    ("I make myself throw up after eating", EATING_DISORDER),
    ("I binge at night and feel so much guilt", EATING_DISORDER),
    ("I stop eating to lose weight", EATING_DISORDER),
    # an eating-disorder signal wins over the diet request in the same message
    ("Tomo laxantes y quiero una dieta de 600 calorías", EATING_DISORDER),
]

EDUCATION = [
    "¿Qué es la diabetes?",
    "Tengo diabetes y quiero saber si puedo comer mango",
    "¿Cuál es la gastritis más común?",
    "¿Qué es la diabetes?",
    "¿Qué puedo desayunar si tengo diabetes?",
    "Tengo diabetes, ¿qué puedo cenar?",
    "What is diabetes?",
    "¿Qué es el ayuno intermitente?",
    "¿Cuántas calorías tiene un taco de 250 kcal?",
    "¿Es buena una dieta de 1800 calorías?",
    "Quiero bajar 2 kilos en un mes",
    "¿Cuánta proteína necesito al día?",
    "¿Qué alimentos tienen hierro?",
    "¿Cuánta agua debo tomar?",
    "¿Me recomiendas una receta con nopales?",
    "¿Qué es la bulimia?",
    "What is an eating disorder?",
    "¿Qué como después de vomitar por una infección estomacal?",
]


@pytest.mark.parametrize(("question", "category"), FLAGGED)
def test_flagged_questions(question, category):
    assert classify(question) == category


@pytest.mark.parametrize("question", EDUCATION)
def test_education_questions_are_not_flagged(question):
    assert classify(question) is None


@pytest.mark.django_db
@pytest.mark.parametrize(("question", "category", "expect"), [
    ("¿Tengo diabetes?", DIAGNOSIS, "No puedo diagnosticar"),
    ("Quiero bajar 10 kilos en una semana", EXTREME_DIET, "No puedo ayudarte con dietas extremas"),
    ("¿Qué dosis de creatina debo tomar?", SUPPLEMENTS, "No puedo recomendarte suplementos"),
    ("Vomito después de comer", EATING_DISORDER, "800 911 2000"),
])
def test_safety_replies_never_call_the_model(fake_ai, user, ask, question, category, expect):
    reply = ask(user, question)
    assert reply.mode == "safety"
    assert expect in reply.content
    assert fake_ai.requests == []  # no model call at all
    urls = [s["url"] for s in reply.sources]
    assert "/consulta/nutriologos/" in urls  # the nutritionist directory is offered
    if category == EATING_DISORDER:
        assert "tel:8009112000" in urls
        assert "dieta" not in " ".join(reply.related_questions).lower()  # no diet advice, not even suggested
        assert "Línea de la Vida" in reply.content and "24 horas" in reply.content


@pytest.mark.django_db
def test_safety_reply_in_english_for_english_speakers(make_user, ask):
    person = make_user(language="en")
    reply = ask(person, "Do I have diabetes?")
    assert reply.mode == "safety"
    assert reply.content.startswith("I can't diagnose")
    assert reply.sources[-1]["title"] == "Find a nutritionist on NutriMX"


@pytest.mark.django_db
def test_education_question_is_answered_normally(kb, user, ask, fake_ai):
    fake_ai.reply_text("La diabetes es una condición en la que la glucosa está alta [1].")
    fake_ai.reply_json({"questions": ["¿Qué alimentos tienen fibra?", "¿Cómo leo etiquetas?", "¿Qué ceno?"]})
    reply = ask(user, "¿Qué es la diabetes?")
    assert reply.mode == "ai"
    assert len(fake_ai.requests) == 2
