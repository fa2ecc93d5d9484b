"""Nutrition data: the food database (SR28, custom foods, recipe foods), SMAE exchange groups,
the food diary (entries, water, weight, exercise), personal targets and recipes.

Nutrient values are per 100 g and nullable: a missing value is "sin dato", never zero.
Diary entries keep a snapshot of what was eaten (name and nutrients) so the history stays
true when a food is corrected later, and so a day's totals are one aggregate query.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Fixed per-100 g columns and the USDA nutrient number each comes from.
FIXED_NUTRIENTS = {
    "energy_kcal": "208",
    "protein_g": "203",
    "fat_g": "204",
    "carbs_g": "205",
    "fiber_g": "291",
    "sugars_g": "269",
    "sodium_mg": "307",
    "saturated_fat_g": "606",
    "trans_fat_g": "605",
    "cholesterol_mg": "601",
}
# The nutrients a diary entry snapshots (the day page and analytics sum these).
ENTRY_NUTRIENTS = (
    "energy_kcal",
    "protein_g",
    "fat_g",
    "carbs_g",
    "fiber_g",
    "sugars_g",
    "sodium_mg",
    "saturated_fat_g",
)


def is_spanish(language: str | None = None) -> bool:
    return (language or get_language() or "es").lower().startswith("es")


class FoodGroup(models.Model):
    """A USDA SR28 food group (``0900`` Fruits and Fruit Juices...)."""

    code = models.CharField(max_length=4, primary_key=True)
    name_en = models.CharField(max_length=80)
    name_es = models.CharField(max_length=80)
    category = models.CharField(max_length=20)

    class Meta:
        ordering = ["code"]
        verbose_name = _("grupo de alimentos")
        verbose_name_plural = _("grupos de alimentos")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if is_spanish() else self.name_en


class Nutrient(models.Model):
    """A USDA nutrient definition (NUTR_DEF): number, unit, names."""

    number = models.CharField(max_length=3, primary_key=True)
    tagname = models.CharField(max_length=20, blank=True)
    name_en = models.CharField(max_length=80)
    name_es = models.CharField(max_length=80, blank=True)
    unit = models.CharField(max_length=10)
    decimals = models.PositiveSmallIntegerField(default=2)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]

    def __str__(self):
        return f"{self.number} {self.name_en} ({self.unit})"

    @property
    def name(self) -> str:
        return (self.name_es or self.name_en) if is_spanish() else self.name_en


class SmaeGroup(models.Model):
    """A group of the Sistema Mexicano de Alimentos Equivalentes (4th edition): what one
    equivalent of the group contributes."""

    code = models.SlugField(max_length=30, primary_key=True)
    name_es = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)
    short_es = models.CharField(max_length=120, help_text="plural label used in '2 cereales'")
    short_en = models.CharField(max_length=120)
    energy_kcal = models.FloatField()
    protein_g = models.FloatField(default=0)
    fat_g = models.FloatField(default=0)
    carbs_g = models.FloatField(default=0)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("grupo SMAE")
        verbose_name_plural = _("grupos SMAE")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if is_spanish() else self.name_en

    @property
    def short(self) -> str:
        return self.short_es if is_spanish() else self.short_en


class FoodSource(models.TextChoices):
    USDA = "usda", "USDA SR28"
    CUSTOM = "custom", _("Personalizado")
    RECIPE = "recipe", _("Receta")


class Food(models.Model):
    """One food with its nutrients per 100 g.

    ``search_text`` is the lowercase, accent-free join of the Spanish name, synonyms, English
    name and brand; both database backends search it (PostgreSQL with full text and trigrams).
    """

    source = models.CharField(max_length=10, choices=FoodSource.choices, db_index=True)
    source_version = models.CharField(max_length=20, blank=True)
    external_id = models.CharField(max_length=20, blank=True)
    name_en = models.CharField(max_length=250)
    name_es = models.CharField(max_length=250, blank=True)
    synonyms = models.CharField(max_length=500, blank=True)
    name_normalized = models.CharField(max_length=250, blank=True)
    search_text = models.TextField(blank=True)
    group = models.ForeignKey(FoodGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="foods")
    category = models.CharField(max_length=20, blank=True, db_index=True)
    brand = models.CharField(max_length=120, blank=True)
    barcode = models.CharField(max_length=20, blank=True, db_index=True)
    is_common = models.BooleanField(default=False)
    refuse_pct = models.FloatField(null=True, blank=True)

    energy_kcal = models.FloatField(null=True, blank=True)
    protein_g = models.FloatField(null=True, blank=True)
    fat_g = models.FloatField(null=True, blank=True)
    carbs_g = models.FloatField(null=True, blank=True)
    fiber_g = models.FloatField(null=True, blank=True)
    sugars_g = models.FloatField(null=True, blank=True)
    sodium_mg = models.FloatField(null=True, blank=True)
    saturated_fat_g = models.FloatField(null=True, blank=True)
    trans_fat_g = models.FloatField(null=True, blank=True)
    cholesterol_mg = models.FloatField(null=True, blank=True)
    # Every other value, keyed by USDA nutrient number: {"301": 6.0, "318": 54.0, ...}
    nutrients = models.JSONField(default=dict, blank=True)

    smae_group = models.ForeignKey(SmaeGroup, null=True, blank=True, on_delete=models.SET_NULL)
    smae_grams = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0.1)])

    # Custom foods: the label's serving, and who may see them until staff verify.
    serving_size_g = models.FloatField(null=True, blank=True)
    serving_description = models.CharField(max_length=120, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="custom_foods"
    )
    is_verified = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=300, blank=True, db_index=True)
    usage_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alimento")
        verbose_name_plural = _("alimentos")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], condition=~models.Q(external_id=""), name="food_source_external_uniq"
            )
        ]
        indexes = [models.Index(fields=["author", "is_verified"], name="food_author_verified_idx")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if is_spanish():
            return self.name_es or self.name_en
        return self.name_en or self.name_es

    @property
    def public_id(self) -> str:
        """The id the API shows (seed 003: ``usda_169905``)."""
        return f"{self.source}_{self.pk}"


class FoodPortion(models.Model):
    """A household measure of a food (SR28 WEIGHT, a label serving, or a recipe serving)."""

    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="portions")
    seq = models.PositiveSmallIntegerField(default=1)
    amount = models.FloatField(default=1)
    description_en = models.CharField(max_length=120)
    description_es = models.CharField(max_length=120, blank=True)
    grams = models.FloatField(validators=[MinValueValidator(0.01)])

    class Meta:
        ordering = ["food_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["food", "seq"], name="food_portion_seq_uniq")]

    def __str__(self):
        return self.label

    @property
    def description(self) -> str:
        if is_spanish():
            return self.description_es or self.description_en
        return self.description_en

    @property
    def label(self) -> str:
        amount = f"{self.amount:g}"
        return f"{amount} {self.description} ({self.grams:g} g)"


# ---------------------------------------------------------------------------------------
# diary


class Meal(models.TextChoices):
    DESAYUNO = "desayuno", _("Desayuno")
    COLACION_MATUTINA = "colacion_matutina", _("Colación matutina")
    COMIDA = "comida", _("Comida")
    COLACION_VESPERTINA = "colacion_vespertina", _("Colación vespertina")
    CENA = "cena", _("Cena")


# Seed 003's English meal types, accepted by the API.
MEAL_ALIASES = {
    "breakfast": Meal.DESAYUNO,
    "lunch": Meal.COMIDA,
    "dinner": Meal.CENA,
    "snack": Meal.COLACION_VESPERTINA,
}
# And back, for seed 003 shaped answers (meal_distribution).
MEAL_TO_SEED = {
    Meal.DESAYUNO: "breakfast",
    Meal.COLACION_MATUTINA: "snack",
    Meal.COMIDA: "lunch",
    Meal.COLACION_VESPERTINA: "snack",
    Meal.CENA: "dinner",
}


class EntryUnit(models.TextChoices):
    GRAMS = "g", _("gramos")
    PORTION = "portion", _("porción casera")
    SMAE = "smae", _("equivalentes SMAE")
    SERVING = "serving", _("porciones de receta")
    QUICK = "quick", _("registro rápido")


class DiaryEntry(models.Model):
    """One thing eaten: a food or a recipe serving in grams/portion/equivalents, or a quick
    add of calories and macros. Nutrients are a snapshot computed when logged or edited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_entries")
    date = models.DateField()
    meal = models.CharField(max_length=20, choices=Meal.choices)
    food = models.ForeignKey(Food, null=True, blank=True, on_delete=models.SET_NULL, related_name="diary_entries")
    recipe = models.ForeignKey(
        "nutrition.Recipe", null=True, blank=True, on_delete=models.SET_NULL, related_name="diary_entries"
    )
    portion = models.ForeignKey(FoodPortion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.CharField(max_length=10, choices=EntryUnit.choices, default=EntryUnit.GRAMS)
    quantity = models.FloatField()
    grams = models.FloatField(null=True, blank=True)
    name = models.CharField(max_length=250)
    note = models.CharField(max_length=250, blank=True)
    energy_kcal = models.FloatField(null=True, blank=True)
    protein_g = models.FloatField(null=True, blank=True)
    fat_g = models.FloatField(null=True, blank=True)
    carbs_g = models.FloatField(null=True, blank=True)
    fiber_g = models.FloatField(null=True, blank=True)
    sugars_g = models.FloatField(null=True, blank=True)
    sodium_mg = models.FloatField(null=True, blank=True)
    saturated_fat_g = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "meal", "created_at", "id"]
        verbose_name = _("registro de alimento")
        verbose_name_plural = _("registros de alimentos")
        indexes = [
            models.Index(fields=["user", "date"], name="diary_user_date_idx"),
            models.Index(fields=["user", "food", "-created_at"], name="diary_user_food_idx"),
        ]

    def __str__(self):
        return f"{self.date} {self.meal}: {self.name}"


class WaterLog(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="water_logs")
    date = models.DateField()
    ml = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5000)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "created_at"]
        indexes = [models.Index(fields=["user", "date"], name="water_user_date_idx")]

    def __str__(self):
        return f"{self.date}: {self.ml} ml"


class WeightLog(models.Model):
    """Body weight, one per user and day (logging again the same day corrects it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weight_logs")
    date = models.DateField()
    weight_kg = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(20), MaxValueValidator(500)]
    )
    note = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="weight_user_date_uniq")]

    def __str__(self):
        return f"{self.date}: {self.weight_kg} kg"


class Activity(models.Model):
    """A physical activity with its MET value (Compendium of Physical Activities)."""

    code = models.CharField(max_length=10, primary_key=True)
    name_es = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    met = models.FloatField(validators=[MinValueValidator(1), MaxValueValidator(25)])

    class Meta:
        ordering = ["name_es"]
        verbose_name = _("actividad física")
        verbose_name_plural = _("actividades físicas")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if is_spanish() else self.name_en


class ExerciseLog(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_logs")
    date = models.DateField()
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=120)
    minutes = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(1440)])
    energy_kcal = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "created_at"]
        indexes = [models.Index(fields=["user", "date"], name="exercise_user_date_idx")]

    def __str__(self):
        return f"{self.date}: {self.name} {self.minutes} min"


class NutritionTarget(models.Model):
    """Overrides of the computed daily targets (by the user, or later by their nutritionist).
    A null field means "use the value computed from the profile"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nutrition_target")
    energy_kcal = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(800), MaxValueValidator(6000)]
    )
    protein_g = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(500)])
    fat_g = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(400)])
    carbs_g = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(900)])
    fiber_g = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(150)])
    sodium_mg = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(10000)])
    water_ml = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(10000)])
    # SMAE exchanges per meal slot set by the nutritionist: {"desayuno": {"cereales_sin_grasa": 2, ...}}
    meal_equivalents = models.JSONField(default=dict, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Metas de {self.user_id}"


# ---------------------------------------------------------------------------------------
# recipes


class RecipeMealType(models.TextChoices):
    DESAYUNO = "desayuno", _("Desayuno")
    COLACION = "colacion", _("Colación")
    COMIDA = "comida", _("Comida")
    CENA = "cena", _("Cena")
    POSTRE = "postre", _("Postre")
    BEBIDA = "bebida", _("Bebida")


class Cuisine(models.TextChoices):
    MEXICANA = "mexicana", _("Mexicana")
    INTERNACIONAL = "internacional", _("Internacional")
    FUSION = "fusion", _("Fusión")


class Difficulty(models.TextChoices):
    FACIL = "facil", _("Fácil")
    MEDIA = "media", _("Media")
    DIFICIL = "dificil", _("Difícil")


class CostLevel(models.TextChoices):
    ECONOMICO = "economico", _("Económico")
    MODERADO = "moderado", _("Moderado")
    CARO = "caro", _("Caro")


class DietaryTag(models.TextChoices):
    VEGETARIAN = "vegetarian", _("Vegetariana")
    VEGAN = "vegan", _("Vegana")
    GLUTEN_FREE = "gluten_free", _("Sin gluten")
    DAIRY_FREE = "dairy_free", _("Sin lácteos")
    LOW_CARB = "low_carb", _("Baja en carbohidratos")
    HIGH_PROTEIN = "high_protein", _("Alta en proteína")
    DIABETIC_FRIENDLY = "diabetic_friendly", _("Apta para diabetes")
    LOW_SODIUM = "low_sodium", _("Baja en sodio")


class Season(models.TextChoices):
    PRIMAVERA = "primavera", _("Primavera")
    VERANO = "verano", _("Verano")
    OTONO = "otono", _("Otoño")
    INVIERNO = "invierno", _("Invierno")
    CUARESMA = "cuaresma", _("Cuaresma")
    FIESTAS_PATRIAS = "fiestas_patrias", _("Fiestas patrias")
    DIA_DE_MUERTOS = "dia_de_muertos", _("Día de Muertos")
    NAVIDAD = "navidad", _("Navidad")


class Moderation(models.TextChoices):
    PENDING = "pending", _("En revisión")
    APPROVED = "approved", _("Aprobada")
    REJECTED = "rejected", _("Rechazada")


def recipe_photo_path(instance, filename):
    return f"recipes/{uuid.uuid4().hex}.jpg"


class Recipe(models.Model):
    """A recipe (seed 000 ``recipes``). Nutrition per serving is computed from the
    ingredients by ``recipe_nutrition_refresh`` and cached in the ``nutrition`` field."""

    slug = models.SlugField(max_length=140, unique=True)
    title = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="recipes"
    )
    author_type = models.CharField(max_length=20, blank=True)
    is_system = models.BooleanField(default=False)
    is_verified = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    meal_type = models.CharField(max_length=20, choices=RecipeMealType.choices)
    cuisine_type = models.CharField(max_length=20, choices=Cuisine.choices, default=Cuisine.MEXICANA)
    dietary_tags = models.JSONField(default=list, blank=True)
    difficulty = models.CharField(max_length=20, choices=Difficulty.choices, default=Difficulty.FACIL)
    prep_time_min = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(1440)])
    cook_time_min = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(2880)])
    total_time_min = models.PositiveIntegerField(default=0)
    servings = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    cooked_yield_g = models.FloatField(null=True, blank=True, validators=[MinValueValidator(1)])
    cost_estimate_mxn = models.PositiveIntegerField(null=True, blank=True)
    cost_level = models.CharField(max_length=20, choices=CostLevel.choices, blank=True)
    is_traditional_mexican = models.BooleanField(default=False)
    region_origin = models.CharField(max_length=100, blank=True)
    history_story = models.TextField(blank=True)
    chef_tips = models.JSONField(default=list, blank=True)
    storage_instructions = models.TextField(blank=True)
    reheating_instructions = models.TextField(blank=True)
    main_photo = models.ImageField(upload_to=recipe_photo_path, blank=True)
    video_url = models.URLField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    is_featured = models.BooleanField(default=False)
    is_trending = models.BooleanField(default=False)
    is_seasonal = models.BooleanField(default=False)
    season = models.CharField(max_length=20, choices=Season.choices, blank=True)
    moderation_status = models.CharField(max_length=20, choices=Moderation.choices, default=Moderation.PENDING)
    moderation_notes = models.TextField(blank=True)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # {"energy_kcal": .., "protein_g": .., ..., "coverage_pct": 100, "missing": ["..."],
    #  "serving_g": 250, "equivalents": [{"group": "cereales_sin_grasa", "count": 2.0}, ...]}
    nutrition = models.JSONField(default=dict, blank=True)
    energy_kcal = models.FloatField(null=True, blank=True, help_text="per serving, for sorting and filtering")
    food = models.OneToOneField(
        Food, null=True, blank=True, on_delete=models.SET_NULL, related_name="recipe"
    )
    search_text = models.TextField(blank=True)
    views_count = models.PositiveIntegerField(default=0)
    saves_count = models.PositiveIntegerField(default=0)
    tried_count = models.PositiveIntegerField(default=0)
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("receta")
        verbose_name_plural = _("recetas")
        indexes = [
            models.Index(fields=["is_published", "meal_type"], name="recipe_pub_meal_idx"),
            models.Index(fields=["-rating_average"], name="recipe_rating_idx"),
            models.Index(fields=["author"], name="recipe_author_idx"),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title if is_spanish() or not self.title_en else self.title_en

    @property
    def display_description(self) -> str:
        return self.description if is_spanish() or not self.description_en else self.description_en


class RecipeIngredient(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ingredients")
    position = models.PositiveSmallIntegerField(default=0)
    food = models.ForeignKey(Food, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=200)
    quantity = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    grams = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    note = models.CharField(max_length=200, blank=True)
    is_optional = models.BooleanField(default=False)
    substitutions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["recipe_id", "position", "id"]

    def __str__(self):
        return self.name


class RecipeStep(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    instruction = models.TextField()
    photo = models.ImageField(upload_to=recipe_photo_path, blank=True)
    duration_min = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["recipe_id", "number"]

    def __str__(self):
        return f"{self.recipe_id} paso {self.number}"


class RecipePhoto(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="gallery")
    image = models.ImageField(upload_to=recipe_photo_path)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["recipe_id", "position", "id"]

    def __str__(self):
        return f"{self.recipe_id} foto {self.position}"


class RecipeRating(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recipe_ratings")
    stars = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipe", "user"], name="recipe_rating_uniq")]

    def __str__(self):
        return f"{self.recipe_id}: {self.stars}★"


class RecipeSave(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="saves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_recipes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipe", "user"], name="recipe_save_uniq")]

    def __str__(self):
        return f"{self.user_id} guardó {self.recipe_id}"


class RecipeTried(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="tried")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tried_recipes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipe", "user"], name="recipe_tried_uniq")]

    def __str__(self):
        return f"{self.user_id} preparó {self.recipe_id}"


# ---------------------------------------------------------------------------------------
# meal photo analysis


def analysis_upload_path(instance, filename):
    return f"analysis/uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def analysis_image_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"analysis/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext[:4]}"


def private_storage():
    """Meal photos are personal: never under the public /media/ URL."""
    from django.core.files.storage import storages

    return storages["private"]


class AnalysisStatus(models.TextChoices):
    PROCESSING = "processing", _("Procesando")
    COMPLETED = "completed", _("Completado")
    FAILED = "failed", _("Falló")


class AnalysisStep(models.TextChoices):
    QUEUED = "queued", _("En cola")
    VALIDATING = "validating", _("Revisando la foto")
    DETECTING = "detecting", _("Identificando alimentos")
    MATCHING = "matching", _("Buscando en la base de alimentos")
    COMPUTING = "computing", _("Calculando nutrimentos")
    DONE = "done", _("Listo")


class FoodAnalysis(models.Model):
    """One meal photo and what was found in it (seed 003 ``/analyze``).

    ``raw_upload`` holds the bytes exactly as received until the task validates them; the
    task then writes ``image`` (re-encoded, EXIF stripped) and deletes the raw copy.
    ``items`` are the detected foods with OUR nutrition (see ``nutrition.services.analysis``);
    the model's own calorie estimate is kept per item only for the sanity check.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="food_analyses")
    status = models.CharField(max_length=12, choices=AnalysisStatus.choices, default=AnalysisStatus.PROCESSING)
    current_step = models.CharField(max_length=12, choices=AnalysisStep.choices, default=AnalysisStep.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    meal = models.CharField(max_length=20, choices=Meal.choices, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    raw_upload = models.FileField(upload_to=analysis_upload_path, storage=private_storage, blank=True)
    image = models.ImageField(upload_to=analysis_image_path, storage=private_storage, blank=True)
    image_hash = models.CharField(max_length=64, blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    image_size_bytes = models.PositiveIntegerField(null=True, blank=True)
    items = models.JSONField(default=list, blank=True)
    totals = models.JSONField(default=dict, blank=True)
    confidence_score = models.FloatField(null=True, blank=True)
    error_code = models.CharField(max_length=30, blank=True)
    error_message = models.CharField(max_length=300, blank=True)
    processing_time_ms = models.PositiveIntegerField(null=True, blank=True)
    reused_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Diary entries created from this analysis (ids), so logging twice never duplicates.
    logged_entry_ids = models.JSONField(default=list, blank=True)
    logged_date = models.DateField(null=True, blank=True)
    logged_meal = models.CharField(max_length=20, choices=Meal.choices, blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("análisis de foto")
        verbose_name_plural = _("análisis de fotos")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="analysis_user_created_idx"),
            models.Index(fields=["user", "image_hash"], name="analysis_user_hash_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_processing(self) -> bool:
        return self.status == AnalysisStatus.PROCESSING

    @property
    def is_completed(self) -> bool:
        return self.status == AnalysisStatus.COMPLETED

    @property
    def is_failed(self) -> bool:
        return self.status == AnalysisStatus.FAILED
