"""What the meal-plan generator may put on the table, and what each food contains that a
person may have to avoid.

``CATALOG`` lists the simple foods (SR28 numbers of the curated Spanish list) with their role
in a Mexican meal, the meal slots where they make sense and the portion range and step the
optimiser may use. System recipes join them as main dishes (desayuno, comida, cena) or snacks
(colación); desserts and drinks are left out of generated plans on purpose.

Allergies and restrictions are mapped to foods by the USDA group, the Spanish and English
name and a few explicit exceptions (``food_tags``); a recipe carries the tags of every
ingredient, optional ones included, so an excluded ingredient excludes the dish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

D, CM, C, CV, CE = "desayuno", "colacion_matutina", "comida", "colacion_vespertina", "cena"
SNACKS = (CM, CV)
MAIN_SLOTS = (D, C, CE)

# Roles. "main" fills the one main-dish place of desayuno, comida and cena.
MAIN, CEREAL, VEG, LEGUME, FRUIT, DAIRY, FAT = "main", "cereal", "veg", "legume", "fruit", "dairy", "fat"


@dataclass(frozen=True)
class CatalogFood:
    ndb: str
    role: str  # the role in desayuno/comida/cena
    slots: tuple[str, ...]
    min_g: int
    max_g: int
    step_g: int
    main_in: tuple[str, ...] = ()  # slots where this food is the main dish (eggs at breakfast, lentils)


def _f(ndb, role, slots, low, high, step, main_in=()):
    return CatalogFood(ndb, role, tuple(slots), low, high, step, tuple(main_in))


CATALOG: tuple[CatalogFood, ...] = (
    # proteins: the main dish of a meal
    _f("05064", MAIN, (C, CE), 60, 220, 10, (C, CE)),        # pechuga de pollo asada
    _f("05013", MAIN, (C, CE), 60, 220, 10, (C, CE)),        # pollo sin piel al horno
    _f("13891", MAIN, (C, CE), 60, 200, 10, (C, CE)),        # bistec de res
    _f("23567", MAIN, (C,), 60, 180, 10, (C,)),              # carne molida de res
    _f("15262", MAIN, (C, CE), 80, 240, 10, (C, CE)),        # tilapia asada
    _f("15121", MAIN, (C, CE), 60, 160, 10, (C, CE)),        # atún en agua
    _f("10060", MAIN, (C, CE), 60, 200, 10, (C, CE)),        # filete de cerdo
    _f("01123", MAIN, (D, CE), 50, 150, 50, (D, CE)),        # huevo (pieza de 50 g)
    _f("01124", MAIN, (D, CE), 66, 198, 33, (D, CE)),        # claras (33 g cada una)
    _f("16126", MAIN, (D, C, CE), 80, 300, 10, (D, C, CE)),  # tofu
    _f("16106", MAIN, (C, CE), 20, 90, 5, (C, CE)),          # soya texturizada (seca)
    _f("01256", MAIN, (D, CM, CV), 100, 300, 10, (D,)),      # yogur griego natural
    # cereals and tubers
    _f("18363", CEREAL, (D, C, CE), 30, 180, 30),            # tortilla de maíz (30 g)
    _f("20045", CEREAL, (C,), 60, 250, 10),                  # arroz blanco cocido
    _f("20121", CEREAL, (C,), 60, 250, 10),                  # pasta cocida
    _f("08120", CEREAL, (D,), 20, 90, 5),                    # avena en hojuelas
    _f("18075", CEREAL, (D, CE), 28, 112, 28),               # pan integral (rebanada)
    _f("18349", CEREAL, (D, CE), 30, 90, 10),                # bolillo
    _f("11367", CEREAL, (C, CE), 80, 300, 10),               # papa cocida
    _f("11510", CEREAL, (C, CM, CV), 80, 250, 10),           # camote cocido
    _f("18952", CEREAL, (CE,), 12, 48, 12),                  # tostadas (12 g)
    _f("20137", CEREAL, (C,), 80, 250, 10),                  # quinoa cocida
    _f("11167", CEREAL, (C, CM, CV), 80, 200, 10),           # elote
    # legumes
    _f("16015", LEGUME, (D, C, CE), 60, 250, 10, (C, CE)),  # frijoles negros
    _f("16043", LEGUME, (D, C, CE), 60, 250, 10, (C, CE)),  # frijoles pintos
    _f("16070", LEGUME, (C, CE), 60, 250, 10, (C, CE)),  # lentejas
    _f("16057", LEGUME, (C,), 60, 250, 10, (C,)),  # garbanzos
    # vegetables
    _f("11964", VEG, (D, C, CE), 50, 250, 10),               # nopales
    _f("11478", VEG, (C, CE), 50, 250, 10),                  # calabacita
    _f("11125", VEG, (C, CE), 50, 200, 10),                  # zanahoria
    _f("11091", VEG, (C, CE), 50, 250, 10),                  # brócoli
    _f("11458", VEG, (D, C, CE), 50, 200, 10),               # espinaca
    _f("11251", VEG, (C, CE), 50, 200, 10),                  # lechuga
    _f("11529", VEG, (D, C, CE), 50, 250, 10),               # jitomate
    _f("11205", VEG, (C, CE, CM, CV), 50, 250, 10),          # pepino
    _f("11150", VEG, (C, CE), 50, 250, 10),                  # chayote
    _f("11053", VEG, (C, CE), 50, 250, 10),                  # ejotes
    _f("11603", VEG, (C, CM, CV), 50, 250, 10),              # jícama
    _f("11260", VEG, (D, C, CE), 50, 200, 10),               # champiñones
    # fruit
    _f("09040", FRUIT, (D, CM, CV), 60, 180, 10),            # plátano
    _f("09003", FRUIT, (D, CM, CV), 100, 250, 10),           # manzana
    _f("09226", FRUIT, (D, CM, CV), 100, 300, 10),           # papaya
    _f("09176", FRUIT, (D, CM, CV), 80, 250, 10),            # mango
    _f("09181", FRUIT, (D, CM, CV), 100, 300, 10),           # melón
    _f("09316", FRUIT, (D, CM, CV), 100, 300, 10),           # fresa
    _f("09139", FRUIT, (D, CM, CV), 80, 200, 10),            # guayaba
    _f("09200", FRUIT, (D, CM, CV), 100, 250, 10),           # naranja
    _f("09266", FRUIT, (D, CM, CV), 80, 250, 10),            # piña
    _f("09326", FRUIT, (D, CM, CV), 150, 400, 10),           # sandía
    _f("09218", FRUIT, (D, CM, CV), 80, 250, 10),            # mandarina
    _f("09252", FRUIT, (D, CM, CV), 100, 250, 10),           # pera
    _f("09287", FRUIT, (D, CM, CV), 80, 250, 10),            # tuna
    # dairy
    _f("01079", DAIRY, (D, CE, CM, CV), 120, 250, 10),       # leche semidescremada
    _f("01085", DAIRY, (D, CE, CM, CV), 120, 250, 10),       # leche descremada
    _f("01117", DAIRY, (D, CM, CV), 100, 250, 10),           # yogur natural
    _f("01228", DAIRY, (D, C, CE), 20, 80, 10),              # queso fresco
    _f("01166", DAIRY, (CE,), 20, 60, 10),                   # queso Oaxaca
    # fats
    _f("09037", FAT, (D, C, CE), 20, 80, 10),                # aguacate
    _f("04053", FAT, (D, C, CE), 5, 20, 5),                  # aceite de oliva
    _f("04582", FAT, (D, C, CE), 5, 20, 5),                  # aceite de canola
    _f("12061", FAT, (D, CM, CV), 10, 40, 5),                # almendras
    _f("16090", FAT, (CM, CV), 10, 40, 5),                   # cacahuate tostado
    _f("12142", FAT, (D, CM, CV), 10, 30, 5),                # nuez pecana
    _f("16098", FAT, (D, CM, CV), 10, 32, 8),                # crema de cacahuate
)

# Recipes: meal type -> the slots where the dish may go; desserts and drinks are not planned.
RECIPE_SLOTS = {
    "desayuno": (D, CE),
    "comida": (C,),
    "cena": (CE, C),
    "colacion": (CM, CV),
}
RECIPE_SERVINGS = (0.5, 2.0, 0.5)  # min, max, step
# Recipes that are a side, not a main dish (rice, beans, a vegetable dish), by slug.
RECIPE_SIDES = {
    "arroz-rojo": "cereal",
    "frijoles-refritos": "legume",
    "nopales-a-la-mexicana": "veg",
    "ensalada-de-nopales": "veg",
}
# A snack recipe must be food, not a salsa: at least this many kcal per serving.
SNACK_MIN_KCAL = 60

# ---------------------------------------------------------------------------------------
# allergies and restrictions

ALLERGIES = {
    "gluten": _("Gluten (trigo, avena, cebada, centeno)"),
    "lacteos": _("Lácteos"),
    "huevo": _("Huevo"),
    "cacahuate": _("Cacahuate"),
    "nueces": _("Nueces y almendras"),
    "mariscos": _("Mariscos"),
    "pescado": _("Pescado"),
    "soya": _("Soya"),
}
RESTRICTIONS = {
    "vegetariano": _("Vegetariana (sin carne, aves, pescado ni mariscos)"),
    "vegano": _("Vegana (nada de origen animal)"),
    "sin_cerdo": _("Sin cerdo"),
}
# Tags each choice excludes.
EXCLUDES = {
    "gluten": {"gluten"}, "lacteos": {"lacteos"}, "huevo": {"huevo"}, "cacahuate": {"cacahuate"},
    "nueces": {"nueces"}, "mariscos": {"mariscos"}, "pescado": {"pescado"}, "soya": {"soya"},
    "vegetariano": {"carne"}, "vegano": {"carne", "lacteos", "huevo", "miel"}, "sin_cerdo": {"cerdo"},
}

def _words(*patterns: str) -> re.Pattern:
    """Whole-word matching (a pattern may end in ``\\w*`` for plurals): "oat" must not match
    "goat", nor "ham" "Graham", nor "egg" "eggplant"."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


_EGG = _words(r"huevos?", r"claras?", r"yemas?", r"eggs?", r"mayonesa", r"mayonnaise")
_DAIRY = _words(r"leches?", r"milk", r"quesos?", r"cheese", r"crema", r"cream", r"yogur\w*", r"mantequilla",
                r"butter", r"cajeta", r"rompope", r"helados?", r"suero")
_NOT_DAIRY = _words(r"cacahuate", r"peanut", r"coco", r"coconut", r"almendras?", r"soya", r"soy", r"cacao")
_GLUTEN = _words(r"trigo", r"wheat", r"pan", r"panes", r"bolillos?", r"galletas?", r"pastas?", r"avena", r"oats?",
                 r"oatmeal", r"cebada", r"barley", r"centeno", r"rye", r"hot cakes", r"bísquet", r"cuernitos?",
                 r"salsa de soya", r"soy sauce", r"cerveza", r"beer", r"bread\w*", r"salchichas?", r"granola",
                 r"sémola", r"semolina", r"couscous", r"espagueti", r"macarr\w*", r"harina", r"flour")
_CORN = _words(r"maíz", r"corn", r"nixtamal\w*", r"tostadas?", r"taco shells?", r"arroz", r"rice")
_SHELLFISH = _words(r"camar\w*", r"shrimp", r"pulpo", r"octopus", r"ostion\w*", r"ostión", r"oysters?",
                    r"calamar\w*", r"squid", r"jaibas?", r"crab", r"langost\w*", r"lobster", r"almejas?", r"clams?",
                    r"mejill\w*", r"mussels?", r"surimi")
_TREE_NUTS = _words(r"almendras?", r"almonds?", r"nuez", r"nueces", r"walnuts?", r"pecans?", r"pistach\w*",
                    r"avellanas?", r"hazelnuts?", r"macadamia", r"cashews?", r"piñón", r"piñones")
_NUTMEG = _words(r"nuez moscada", r"nutmeg")
_PEANUT = _words(r"cacahuates?", r"peanuts?")
_SOY = _words(r"soya", r"soy", r"soybeans?", r"tofu")
_PORK = _words(r"cerdo", r"pork", r"puerco", r"tocino", r"bacon", r"jamón", r"ham", r"chorizo", r"salchichas?",
               r"frankfurter", r"chicharr\w*", r"manteca", r"lard")
_TURKEY = _words(r"pavo", r"turkey")
_MEAT = _words(r"pollo", r"chicken", r"res", r"beef", r"carnes?", r"meat", r"cerdo", r"pork", r"pescados?", r"fish",
               r"caldo de (?:pollo|res|pescado|camarón)", r"broth", r"consomé", r"gelatina", r"gelatin")
_HONEY = _words(r"miel de abeja", r"honey")
_MEAT_GROUPS = ("0500", "0700", "1000", "1300", "1500", "1700")


def food_tags(*, group: str | None, name_es: str = "", name_en: str = "") -> set[str]:
    """What a food contains among the things people avoid: gluten, lacteos, huevo, cacahuate,
    nueces, mariscos, pescado, soya, cerdo, carne (any animal flesh, broth or lard), miel."""
    name = f" {name_es} | {name_en} ".lower()
    tags: set[str] = set()
    group = group or ""
    if group == "0100":
        # the USDA group joins dairy and eggs; scrambled eggs and omelettes carry milk and butter
        if _EGG.search(name):
            tags.add("huevo")
            if _words(r"revueltos?", r"omelet\w*", r"scrambled", r"milk").search(name):
                tags.add("lacteos")
        else:
            tags.add("lacteos")
    if _DAIRY.search(name) and not _NOT_DAIRY.search(name):
        tags.add("lacteos")
    if _EGG.search(name) and group != "1200":
        tags.add("huevo")
    if group == "1800" and not _CORN.search(name) and not _words(r"polvo para hornear", r"baking powder").search(name):
        tags.add("gluten")
    if _GLUTEN.search(name) and not _CORN.search(name):
        tags.add("gluten")
    if _PEANUT.search(name):
        tags.add("cacahuate")
    if _TREE_NUTS.search(name) and not _NUTMEG.search(name):
        tags.add("nueces")
    # the Spanish name decides shellfish outside the fish group ("oyster crackers" are crackers)
    shellfish = _SHELLFISH.search(name if group == "1500" else name_es.lower())
    if group == "1500" or shellfish:
        tags.add("mariscos" if shellfish else "pescado")
    if _SOY.search(name):
        tags.add("soya")
    if group == "1000" or (_PORK.search(name) and not _TURKEY.search(name)):
        tags.add("cerdo")
    if group in _MEAT_GROUPS or "cerdo" in tags or (_MEAT.search(name) and "soya" not in tags):
        tags.add("carne")
    if _HONEY.search(name):
        tags.add("miel")
    return tags


def excluded_tags(choices) -> set[str]:
    """The food tags the person's allergies and restrictions rule out."""
    out: set[str] = set()
    for choice in choices:
        out |= EXCLUDES.get(choice, set())
    return out
