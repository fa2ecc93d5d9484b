"""Deterministic safety checks that run BEFORE any model is asked (the system prompt repeats
the same rules for what slips through).

The rules are data: per category, regular expressions over the normalised question
(lowercase, no accents), in Spanish and English, plus two numeric rules (a daily energy target
under 1200 kcal, and losing weight faster than about 1 kg a week). The first category that
matches wins, in the order of ``CATEGORIES``: an eating-disorder signal is answered as such
even when the same message also asks for a diet.

The replies are content in both languages kept here, next to the rules, so a safety answer is
never half Spanish, half English while a translation catalogue lags behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nutrition.text import normalize

EATING_DISORDER = "eating_disorder"
EXTREME_DIET = "extreme_diet"
DIAGNOSIS = "diagnosis"
SUPPLEMENTS = "supplements"
CATEGORIES = (EATING_DISORDER, EXTREME_DIET, DIAGNOSIS, SUPPLEMENTS)

MIN_DAILY_KCAL = 1200
MAX_KG_PER_WEEK = 1.0
HELPLINE_NAME = "Línea de la Vida"
HELPLINE_PHONE = "800 911 2000"

_CONDITIONS = (
    r"(diabet\w*|prediabet\w*|hipotiroidismo|hipertiroidismo|tiroides|cancer|anemia|anemic\w*|hipertension|"
    r"presion alta|resistencia a la insulina|higado graso|colitis|gastritis|celiaqu\w*|celiac\w*|"
    r"intolerancia\w*|alergia\w*|ovario poliquistico|sop|gota|acido urico|colesterol alto|trigliceridos altos|"
    r"insuficiencia renal|enfermedad\w*|desnutricion|"
    r"diabetes|thyroid|hypothyroidism|celiac|lactose intolerance|gout|fatty liver|high blood pressure|"
    r"high cholesterol|insulin resistance|pcos|disease|an allergy|anemic|anaemi\w*)"
)
_SUPPLEMENT_PRODUCTS = (
    r"(suplemento\w*|creatina|whey|proteina en polvo|colageno|melatonina|quemador\w*|termogenic\w*|"
    r"pastilla\w*|capsula\w*|tableta\w*|pildora\w*|multivitaminic\w*|metformina|ozempic|semaglutida|"
    r"liraglutida|orlistat|fentermina|sibutramina|insulina|medicamento\w*|medicina\w*|farmaco\w*|"
    r"vitamina \w+ en (pastillas|capsulas)|inyeccion\w* para bajar|"
    r"supplement\w*|creatine|protein powder|collagen|fat burner\w*|pills?|capsules?|tablets?|multivitamin\w*|"
    r"metformin|semaglutide|medication\w*|medicine\w*|drugs?)"
)
_SUPPLEMENT_ASK = (
    r"(dosis|dose|dosage|\d+\s*(mg|mcg|ui)\b|cuant[oa]s?\b.{0,30}\b(tomar|tomo|debo tomar|me tomo)|"
    r"(debo|deberia|puedo|me recomiendas|recomiendas|recomiendame|conviene|sirve)\b.{0,25}\b(tomar|usar|comprar)|"
    r"recomiendame|me recomiendas|que .{0,20}(tomo|tomar)\b|cual .{0,20}(tomo|tomar|es mejor)|"
    r"should i take|how much .{0,30}take|which .{0,30}(take|best)|recommend|can i take)"
)

RULES: dict[str, list[str]] = {
    EATING_DISORDER: [
        r"\bvomit\w*\b.{0,40}\b(despues de comer|despues de cada comida|cuando como|al comer|para no engordar|para bajar|para adelgazar)",
        r"\b(me provoco|me hago|provocarme|provocar(me)? el) (el )?vomit\w*",
        r"\b(atracon\w*|me atasco de comida|como sin control|comer sin control)\b.{0,80}\b(culpa|culpable|verguenza|asco|odio)",
        r"\b(culpa|culpable|verguenza|asco)\b.{0,80}\b(atracon\w*|comer sin control|como sin control)",
        r"\b(no comer|dejar de comer|dejo de comer|no como nada|saltarme (las )?comidas|matarme de hambre)\b.{0,30}\b(para|y asi|hasta) (bajar|adelgazar|perder peso|no engordar|estar flac\w*)",
        r"\blaxante\w*\b",
        r"\b(creo que tengo|tengo|podria tener|sufro de)\b.{0,20}\b(anorexia|bulimia|un trastorno (de la )?alimentari\w*|un tca)\b",
        r"\bmake myself (throw up|vomit|sick)\b|\bthrow(ing)? up after (eating|meals?)\b|\bpurg(e|ing) after (eating|meals?)\b",
        r"\bbing\w*\b.{0,80}\b(guilt\w*|ashamed|shame|disgust\w*|hate myself)",
        r"\b(stop eating|starv\w* myself|not eat(ing)?|skip(ping)? meals)\b.{0,30}\bto (lose weight|get thin|be thin|lose)",
        r"\blaxatives?\b",
    ],
    EXTREME_DIET: [
        r"\bayun\w*\b.{0,30}\b(de|por|durante)\s+([3-9]|\d{2,}|tres|cuatro|cinco|seis|siete|varios|una|dos)\s*(dias|semana\w*|mes\w*)",
        r"\b(ayuno prolongado|ayuno de agua|ayuno seco|solo (tomar|beber) agua)\b",
        r"\b(dejar de comer|no comer nada)\b.{0,30}\b(dias|semana\w*)",
        r"\b(purga\w*|purgar\w*|detox|desintoxica\w*|limpieza de colon|dieta de (jugos|licuados|limon)|cleanse\w*|juice fast\w*)\b",
        r"\b(water fast\w*|dry fast\w*|fast(ing)? for ([3-9]|\d{2,}|three|four|five|six|seven|several) (days|weeks))\b",
        r"\b(dieta|diet) (de|del) (la )?(sopa|manzana|atun|toronja|huevo)\b",
    ],
    DIAGNOSIS: [
        # asking whether one has a condition (a statement like "tengo diabetes, ¿qué desayuno?" is
        # answered normally: it asks about food, not for a diagnosis)
        r"\b(sera que tengo|crees que tengo|puedo tener|podria tener|es posible que tenga|como se si tengo|como saber si tengo|tendre|tendria|me diagnosticas?|soy)\b.{0,30}\b" + _CONDITIONS + r"( o no)?$",
        r"\b(sera que tengo|crees que tengo|es posible que tenga|como se si tengo|como saber si tengo|me diagnosticas?)\b.{0,30}\b" + _CONDITIONS,
        r"(^|\b(y|entonces|osea|o sea)\s+)tengo\s+(\w+\s+){0,2}" + _CONDITIONS + r"( o no)?$",
        # "¿tengo diabetes si me da mucha sed?": a condition asked about from a symptom.
        r"^(\w+\s+)?tengo\s+(\w+\s+){0,2}" + _CONDITIONS + r"\s+(si|porque|por que|ya que)\s+"
        r"(me|mi|mis|siempre|tengo|orino|estoy|ando|siento|no)\b",
        # "me da mucha sed y orino mucho, ¿es diabetes?"
        # (but "¿qué es la diabetes?" is an education question)
        r"(?<!que )(?<!cual )\b(es|sera|puede ser|sera que es)\s+" + _CONDITIONS + r"( o no)?$",
        r"\b(sintomas?|symptoms?)\b.{0,100}\b(tengo|es|sera|do i have|is it|could it be)\s+(\w+\s+){0,2}" + _CONDITIONS,
        r"\b(que enfermedad tengo|diagnosticame|diagnostica(me)? mis sintomas)\b",
        r"\b(mis|mi)\s+(analisis|estudios|resultados|glucosa|hemoglobina|colesterol|trigliceridos|presion)\b.{0,80}\b(significa|tengo|es normal|esta bien|estan bien|salio|salieron|sale)",
        r"\b(do i have|could i have|might i have|i think i have|am i)\b.{0,30}\b" + _CONDITIONS,
        r"\b(diagnose me|what disease do i have|what do i have)\b",
        r"\bmy (blood )?(test|tests|results|glucose|a1c|cholesterol|blood pressure)\b.{0,80}\b(mean|normal|do i have)",
    ],
    SUPPLEMENTS: [
        _SUPPLEMENT_ASK + r".{0,60}\b" + _SUPPLEMENT_PRODUCTS,
        r"\b" + _SUPPLEMENT_PRODUCTS + r"\b.{0,60}" + _SUPPLEMENT_ASK,
        r"\b(dosis|dosage|doses?)\b",
        r"\b(pastillas|pildoras|te|tes|inyecciones) (para|de) (adelgazar|bajar de peso|quemar grasa)\b",
        r"\b(diet|weight loss|slimming) (pills?|shots?|teas?)\b",
    ],
}

_COMPILED = {cat: [re.compile(p) for p in patterns] for cat, patterns in RULES.items()}

_KCAL = re.compile(
    r"(?:(?:dieta|diet|comer|comiendo|consumir|ingerir|eat|eating)\D{0,25}?(\d{2,4})\s*(?:kcal|calorias|cal|calories)\b)"
    r"|(?:(\d{2,4})\s*(?:kcal|calorias|calories)\s*(?:al dia|diarias|por dia|a day|per day|daily|a diario))"
)
_WORD_NUMBERS = {"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "diez": 10, "quince": 15,
                 "veinte": 20, "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "twenty": 20}
_LOSS = re.compile(
    r"\b(?:bajar|perder|adelgazar|quitarme|lose|drop|shed)\b\D{0,20}?(\d+(?:[.,]\d+)?|\w+)\s*(kilos?|kg|kilogramos?|libras?|lbs?|pounds?)"
    r"\D{0,25}?\b(?:en|in)\s+(?:solo\s+|just\s+|only\s+)?(\d+|\w+)?\s*(dias?|days?|semanas?|weeks?|mes(?:es)?|months?)\b"
)


def _number(raw: str | None, default: float | None = None) -> float | None:
    if raw is None or raw == "":
        return default
    raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return _WORD_NUMBERS.get(raw, default)


def _too_few_kcal(text: str) -> bool:
    for match in _KCAL.finditer(text):
        value = _number(match.group(1) or match.group(2))
        if value is not None and 100 <= value < MIN_DAILY_KCAL:
            return True
    return False


def _too_fast_loss(text: str) -> bool:
    for match in _LOSS.finditer(text):
        amount = _number(match.group(1))
        count = _number(match.group(3), 1)
        if amount is None or count is None or count <= 0:
            continue
        kg = amount * (0.4536 if match.group(2).startswith(("lib", "lb", "pound")) else 1)
        unit = match.group(4)
        weeks = count / 7 if unit.startswith(("dia", "day")) else count * 4.3 if unit.startswith(("mes", "month")) else count
        if kg / max(weeks, 1 / 7) > MAX_KG_PER_WEEK:
            return True
    return False


def classify(message: str) -> str | None:
    """The safety category of a question, or None when it may be answered normally."""
    text = normalize(message)
    if not text:
        return None
    for category in CATEGORIES:
        if any(p.search(text) for p in _COMPILED[category]):
            return category
        if category == EXTREME_DIET and (_too_few_kcal(text) or _too_fast_loss(text)):
            return category
    return None


# ---------------------------------------------------------------------------------------
# the replies


@dataclass
class SafetyReply:
    category: str
    content: str
    sources: list[dict] = field(default_factory=list)
    related_questions: list[str] = field(default_factory=list)


REPLIES = {
    "es": {
        DIAGNOSIS: (
            "No puedo diagnosticar enfermedades ni interpretar tus estudios: eso solo lo puede hacer un médico o un "
            "nutriólogo(a) que te valore en persona, con tu historia clínica y tus análisis.\n\n"
            "Si tienes síntomas o dudas sobre un resultado, agenda una consulta. En NutriMX puedes encontrar "
            "nutriólogos(as) con cédula verificada en el directorio (enlace abajo).\n\n"
            "Mientras tanto, con gusto te explico qué es una condición, cómo se relaciona con la alimentación o cómo "
            "preparar tu primera consulta."
        ),
        EXTREME_DIET: (
            "No puedo ayudarte con dietas extremas: comer menos de 1200 kcal al día sin supervisión, ayunos "
            "prolongados, purgas, \"detox\" o bajar muchos kilos en pocos días ponen en riesgo tu salud (pérdida de "
            "músculo, deshidratación, alteraciones del ritmo cardiaco, cálculos en la vesícula) y el peso suele "
            "regresar.\n\n"
            "Una alternativa segura: bajar de 0.5 a 1 kg por semana con un plato equilibrado (mitad verduras, un "
            "cuarto de proteína y un cuarto de cereal integral, como tortilla de maíz), agua simple, menos bebidas "
            "azucaradas y actividad física diaria. Un nutriólogo(a) puede calcular tus necesidades y acompañarte."
        ),
        SUPPLEMENTS: (
            "No puedo recomendarte suplementos ni medicamentos, ni decirte dosis: eso depende de tu salud, de otros "
            "medicamentos que tomes y de tus análisis, y lo debe indicar un médico o un nutriólogo(a) que te "
            "conozca.\n\n"
            "Lo que sí puedo hacer es explicarte qué alimentos aportan un nutriente (por ejemplo, hierro en frijoles, "
            "lentejas y carne; calcio en tortilla nixtamalizada y lácteos) para que lo platiques en tu consulta."
        ),
        EATING_DISORDER: (
            "Gracias por contármelo; lo que describes es importante y no estás sola(o). Vomitar después de comer, "
            "tener atracones con culpa, dejar de comer o usar laxantes para bajar de peso pueden ser señales de un "
            "trastorno de la conducta alimentaria, y tienen tratamiento.\n\n"
            f"Si necesitas hablar con alguien ahora, llama a la {HELPLINE_NAME}: {HELPLINE_PHONE}, gratuita, las "
            "24 horas, en todo México. Si estás en peligro, llama al 911.\n\n"
            "Te animo a platicarlo con un profesional de la salud (médico, psicólogo o nutriólogo(a)) en quien "
            "confíes. No voy a darte indicaciones de dieta en este momento: lo primero es que recibas apoyo."
        ),
    },
    "en": {
        DIAGNOSIS: (
            "I can't diagnose conditions or interpret your test results: only a doctor or a nutritionist who "
            "assesses you in person, with your history and lab work, can do that.\n\n"
            "If you have symptoms or questions about a result, book an appointment. On NutriMX you can find "
            "nutritionists with verified licences in the directory (link below).\n\n"
            "In the meantime, I'm happy to explain what a condition is, how it relates to food, or how to prepare "
            "for your first appointment."
        ),
        EXTREME_DIET: (
            "I can't help with extreme diets: eating under 1200 kcal a day without supervision, prolonged fasting, "
            "purges, \"detox\" cleanses or losing many kilos in a few days put your health at risk (muscle loss, "
            "dehydration, heart rhythm problems, gallstones) and the weight usually comes back.\n\n"
            "A safe alternative: lose 0.5 to 1 kg a week with a balanced plate (half vegetables, a quarter protein "
            "and a quarter whole grains such as corn tortillas), plain water, fewer sugary drinks and daily "
            "activity. A nutritionist can work out your needs and support you."
        ),
        SUPPLEMENTS: (
            "I can't recommend supplements or medication, or give doses: that depends on your health, other "
            "medication you take and your lab work, and should come from a doctor or a nutritionist who knows "
            "you.\n\n"
            "What I can do is explain which foods provide a nutrient (for example, iron in beans, lentils and meat; "
            "calcium in nixtamalised corn tortillas and dairy) so you can discuss it at your appointment."
        ),
        EATING_DISORDER: (
            "Thank you for telling me; what you describe matters and you are not alone. Vomiting after eating, "
            "bingeing with guilt, not eating or using laxatives to lose weight can be signs of an eating disorder, "
            "and it can be treated.\n\n"
            f"If you need to talk to someone now, call the {HELPLINE_NAME} (Mexico's helpline): {HELPLINE_PHONE}, "
            "free, 24 hours a day. If you are in danger, call 911.\n\n"
            "Please consider talking to a health professional you trust (doctor, psychologist or nutritionist). "
            "I won't give diet advice right now: getting support comes first."
        ),
    },
}

RELATED = {
    "es": {
        DIAGNOSIS: ["¿Cómo preparo mi primera consulta con un nutriólogo?", "¿Qué es un plato saludable?",
                    "¿Qué alimentos tienen mucha fibra?"],
        EXTREME_DIET: ["¿Cómo armo un plato equilibrado?", "¿Qué colaciones saludables puedo llevar al trabajo?",
                       "¿Cuánta agua debo tomar al día?"],
        SUPPLEMENTS: ["¿Qué alimentos tienen hierro?", "¿Qué alimentos aportan calcio?",
                      "¿Cómo leo los sellos de advertencia de las etiquetas?"],
        EATING_DISORDER: [],
    },
    "en": {
        DIAGNOSIS: ["How do I prepare for my first appointment with a nutritionist?", "What is a healthy plate?",
                    "Which foods are high in fibre?"],
        EXTREME_DIET: ["How do I build a balanced plate?", "What healthy snacks can I take to work?",
                       "How much water should I drink a day?"],
        SUPPLEMENTS: ["Which foods are high in iron?", "Which foods provide calcium?",
                      "How do I read the warning labels on packaged food?"],
        EATING_DISORDER: [],
    },
}


def safety_reply(category: str, *, language: str) -> SafetyReply:
    """The fixed reply for ``category`` in ``language`` ("es" or "en"), with the links it offers."""
    from django.urls import NoReverseMatch, reverse

    lang = "en" if language == "en" else "es"
    sources = []
    if category == EATING_DISORDER:
        sources.append({"title": f"{HELPLINE_NAME} · {HELPLINE_PHONE} (24 h)", "url": "tel:8009112000", "kind": "helpline"})
    try:
        directory = reverse("clinical:directory")
    except NoReverseMatch:  # pragma: no cover - the practice app is always installed
        directory = ""
    if directory:
        title = "Find a nutritionist on NutriMX" if lang == "en" else "Encuentra un nutriólogo(a) en NutriMX"
        sources.append({"title": title, "url": directory, "kind": "directory"})
    return SafetyReply(category=category, content=REPLIES[lang][category], sources=sources,
                       related_questions=list(RELATED[lang][category]))
