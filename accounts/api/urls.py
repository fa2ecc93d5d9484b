"""Accounts API under /api/v1/ (seed 003 paths: no trailing slash)."""

from django.urls import path

from accounts.api import views

app_name = "accounts_api"

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="register"),
    path("auth/login", views.LoginView.as_view(), name="login"),
    path("auth/mfa/verify", views.MfaVerifyView.as_view(), name="mfa-verify"),
    path("auth/refresh", views.RefreshView.as_view(), name="refresh"),
    path("auth/logout", views.LogoutView.as_view(), name="logout"),
    path("auth/password/forgot", views.PasswordForgotView.as_view(), name="password-forgot"),
    path("auth/password/reset", views.PasswordResetView.as_view(), name="password-reset"),
    path("users/profile", views.ProfileView.as_view(), name="profile"),
    path("users/profile/photo", views.ProfilePhotoView.as_view(), name="profile-photo"),
    path("users/notifications", views.NotificationListView.as_view(), name="notifications"),
    path(
        "users/notifications/unread-count",
        views.NotificationUnreadCountView.as_view(),
        name="notifications-unread-count",
    ),
    path("users/notifications/read-all", views.NotificationReadAllView.as_view(), name="notifications-read-all"),
    path(
        "users/notifications/preferences",
        views.NotificationPreferencesView.as_view(),
        name="notifications-preferences",
    ),
    path("users/notifications/<int:pk>/read", views.NotificationReadView.as_view(), name="notification-read"),
]
