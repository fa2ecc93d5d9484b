"""API of the social network: moderation (under /api/v1/, no trailing slash)."""

from django.urls import path

from social.api import moderation_views as v

urlpatterns = [
    path("reports", v.ReportCreateView.as_view(), name="social-reports"),
    path("moderation/queue", v.QueueView.as_view(), name="moderation-queue"),
    path("moderation/posts/<str:post_id>/<str:action>", v.PostActionView.as_view(), name="moderation-post-action"),
    path("moderation/comments/<str:comment_id>/<str:action>", v.CommentActionView.as_view(),
         name="moderation-comment-action"),
]
