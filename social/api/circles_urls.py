"""API of the social network: family circles (under /api/v1/, no trailing slash)."""

from django.urls import path

from social.api import circles_views as v

urlpatterns = [
    path("family-circles", v.CircleListView.as_view(), name="circles"),
    path("family-circles/<str:circle_id>", v.CircleDetailView.as_view(), name="circle"),
    path("family-circles/<str:circle_id>/members", v.CircleMembersView.as_view(), name="circle-members"),
    path("family-circles/<str:circle_id>/members/<str:user_id>", v.CircleMemberView.as_view(), name="circle-member"),
    path("family-circles/<str:circle_id>/invitation/accept", v.CircleInvitationAcceptView.as_view(),
         name="circle-invitation-accept"),
    path("family-circles/<str:circle_id>/invitation/decline", v.CircleInvitationDeclineView.as_view(),
         name="circle-invitation-decline"),
    path("family-circles/<str:circle_id>/goals", v.CircleGoalsView.as_view(), name="circle-goals"),
    path("family-circles/<str:circle_id>/goals/<str:index>", v.CircleGoalView.as_view(), name="circle-goal"),
    path("family-circles/<str:circle_id>/recipes", v.CircleRecipesView.as_view(), name="circle-recipes"),
    path("family-circles/<str:circle_id>/recipes/<str:recipe_id>", v.CircleRecipeView.as_view(),
         name="circle-recipe"),
    path("family-circles/<str:circle_id>/posts", v.CirclePostsView.as_view(), name="circle-posts"),
    path("family-circles/<str:circle_id>/encourage", v.CircleEncourageView.as_view(), name="circle-encourage"),
]
