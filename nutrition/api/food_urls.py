from django.urls import path

from nutrition.api import food_views as v

urlpatterns = [
    path("foods/search", v.FoodSearchView.as_view(), name="foods-search"),
    path("foods", v.FoodCreateView.as_view(), name="foods-create"),
    path("foods/mine", v.FoodMineView.as_view(), name="foods-mine"),
    path("foods/recent", v.FoodRecentView.as_view(), name="foods-recent"),
    path("foods/smae-groups", v.SmaeGroupsView.as_view(), name="smae-groups"),
    path("foods/<str:food_id>", v.FoodDetailView.as_view(), name="foods-detail"),
    path("foods/<str:food_id>/equivalents", v.FoodEquivalentsView.as_view(), name="foods-equivalents"),
    path("activities", v.ActivitiesView.as_view(), name="activities"),
    path("diary", v.DiaryDayView.as_view(), name="diary-day"),
    path("diary/week", v.DiaryWeekView.as_view(), name="diary-week"),
    path("diary/entries", v.DiaryEntryCreateView.as_view(), name="diary-entries"),
    path("diary/entries/<int:entry_id>", v.DiaryEntryDetailView.as_view(), name="diary-entry"),
    path("diary/quick-add", v.DiaryQuickAddView.as_view(), name="diary-quick-add"),
    path("diary/copy", v.DiaryCopyView.as_view(), name="diary-copy"),
    path("diary/water", v.WaterView.as_view(), name="diary-water"),
    path("diary/water/<int:log_id>", v.WaterDetailView.as_view(), name="diary-water-detail"),
    path("diary/weight", v.WeightView.as_view(), name="diary-weight"),
    path("diary/weight/<int:log_id>", v.WeightDetailView.as_view(), name="diary-weight-detail"),
    path("diary/exercise", v.ExerciseView.as_view(), name="diary-exercise"),
    path("diary/exercise/<int:log_id>", v.ExerciseDetailView.as_view(), name="diary-exercise-detail"),
    path("users/targets", v.TargetsView.as_view(), name="targets"),
]
