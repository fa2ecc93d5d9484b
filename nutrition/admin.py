"""Django admin for staff: recipes (moderation queue with approve/reject actions, inlines for
ingredients and steps), foods (verification of custom foods), food groups, SMAE groups and
activities.

Admin actions call the same services as the pages and the API, so moderation notifies the
author and recipe edits recompute the nutrition.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from nutrition.models import (
    Activity,
    Food,
    FoodGroup,
    FoodPortion,
    FoodSource,
    Recipe,
    RecipeIngredient,
    RecipeStep,
    SmaeGroup,
)
from nutrition.services import foods as food_services
from nutrition.services import recipes as recipe_services


class RecipeIngredientInline(admin.TabularInline):
    model = RecipeIngredient
    extra = 0
    autocomplete_fields = ("food",)
    fields = ("position", "food", "name", "quantity", "unit", "grams", "note", "is_optional", "substitutions")


class RecipeStepInline(admin.TabularInline):
    model = RecipeStep
    extra = 0
    fields = ("number", "instruction", "duration_min", "photo")


@admin.register(Recipe)
class RecipeAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "meal_type", "moderation_status", "is_published", "is_system", "is_verified",
                    "energy_kcal", "rating_average", "created_at")
    list_filter = ("moderation_status", "is_system", "is_verified", "is_published", "meal_type", "difficulty",
                   "is_traditional_mexican")
    search_fields = ("title", "title_en", "slug", "author__email", "author__username")
    readonly_fields = ("nutrition", "energy_kcal", "food", "search_text", "rating_average", "rating_count",
                       "saves_count", "tried_count", "views_count", "verified_by", "verified_at", "published_at",
                       "created_at", "updated_at")
    raw_id_fields = ("author",)
    inlines = [RecipeIngredientInline, RecipeStepInline]
    actions = ["approve", "reject"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def save_related(self, request, form, formsets, change):
        """After the inlines are saved: search text and nutrition follow the new content."""
        super().save_related(request, form, formsets, change)
        recipe = form.instance
        names = list(recipe.ingredients.values_list("name", flat=True))
        recipe.search_text = recipe_services.recipe_search_text(recipe, names)
        recipe.total_time_min = recipe.prep_time_min + recipe.cook_time_min
        Recipe.objects.filter(pk=recipe.pk).update(search_text=recipe.search_text,
                                                   total_time_min=recipe.total_time_min)
        recipe_services.recipe_nutrition_refresh(recipe)

    def _moderate(self, request, queryset, approve: bool):
        done = 0
        for recipe in queryset:
            try:
                recipe_services.recipe_moderate(actor=request.user, recipe_id=recipe.pk, approve=approve,
                                                notes=recipe.moderation_notes)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{recipe.title}: {exc}", level=messages.ERROR)
                continue
            done += 1
        if approve:
            text = ngettext("%(n)d receta publicada.", "%(n)d recetas publicadas.", done) % {"n": done}
        else:
            text = ngettext("%(n)d receta rechazada.", "%(n)d recetas rechazadas.", done) % {"n": done}
        self.message_user(request, text, level=messages.SUCCESS)

    @admin.action(description=_("Aprobar y publicar (avisa a su autor/a)"))
    def approve(self, request, queryset):
        self._moderate(request, queryset, True)

    @admin.action(description=_("Rechazar (avisa a su autor/a con las notas de moderación)"))
    def reject(self, request, queryset):
        self._moderate(request, queryset, False)


class FoodPortionInline(admin.TabularInline):
    model = FoodPortion
    extra = 0
    fields = ("seq", "amount", "description_es", "description_en", "grams")


@admin.register(Food)
class FoodAdmin(admin.ModelAdmin):
    list_display = ("name_es", "name_en", "source", "external_id", "category", "smae_group", "energy_kcal",
                    "is_verified", "is_active")
    list_filter = ("source", "is_verified", "category", "smae_group", "is_active")
    search_fields = ("name_es", "name_en", "external_id", "barcode", "brand")
    raw_id_fields = ("author", "verified_by")
    readonly_fields = ("created_at", "updated_at", "usage_count")
    inlines = [FoodPortionInline]
    actions = ["verify"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("smae_group")

    @admin.action(description=_("Verificar (hacer público) los alimentos personalizados"))
    def verify(self, request, queryset):
        done = 0
        for food in queryset.filter(source=FoodSource.CUSTOM):
            food_services.custom_food_verify(actor=request.user, food_id=food.pk, verified=True)
            done += 1
        skipped = queryset.exclude(source=FoodSource.CUSTOM).count()
        self.message_user(
            request,
            ngettext("%(n)d alimento verificado.", "%(n)d alimentos verificados.", done) % {"n": done},
            level=messages.SUCCESS,
        )
        if skipped:
            self.message_user(request, _("Solo se verifican alimentos personalizados; se omitieron %(n)d.")
                              % {"n": skipped}, level=messages.WARNING)


@admin.register(FoodGroup)
class FoodGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "name_en", "category")
    search_fields = ("code", "name_es", "name_en")


@admin.register(SmaeGroup)
class SmaeGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "energy_kcal", "protein_g", "fat_g", "carbs_g", "sort_order")
    ordering = ("sort_order",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "name_en", "met")
    search_fields = ("code", "name_es", "name_en")
