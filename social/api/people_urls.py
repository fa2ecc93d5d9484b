"""People endpoints."""

from django.urls import path

from social.api import people_views as views

urlpatterns = [
    path("profiles/<str:username>", views.ProfileView.as_view(), name="api-profile"),
    path("profiles/<str:username>/posts", views.ProfilePostsView.as_view(), name="api-profile-posts"),
    path("profiles/<str:username>/followers", views.FollowersView.as_view(), name="api-profile-followers"),
    path("profiles/<str:username>/following", views.FollowingView.as_view(), name="api-profile-following"),
    path("profiles/<str:username>/follow", views.FollowView.as_view(), name="api-follow"),
    path("profiles/<str:username>/block", views.BlockView.as_view(), name="api-block"),
    path("profiles/<str:username>/mute", views.MuteView.as_view(), name="api-mute"),
]
