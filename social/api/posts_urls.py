"""Feed and post endpoints (seed 000 §4.3)."""

from django.urls import path

from social.api import posts_views as views

urlpatterns = [
    path("feed", views.FeedView.as_view(), name="api-feed"),
    path("feed/trending", views.TrendingView.as_view(), name="api-feed-trending"),
    path("feed/featured", views.FeaturedView.as_view(), name="api-feed-featured"),
    path("posts", views.PostCreateView.as_view(), name="api-posts"),
    path("posts/saved", views.SavedView.as_view(), name="api-posts-saved"),
    path("posts/<int:post_id>", views.PostDetailView.as_view(), name="api-post"),
    path("posts/<int:post_id>/reactions", views.ReactionView.as_view(), name="api-post-reactions"),
    path("posts/<int:post_id>/save", views.SaveView.as_view(), name="api-post-save"),
    path("posts/<int:post_id>/share", views.ShareView.as_view(), name="api-post-share"),
    path("posts/<int:post_id>/feature", views.FeatureView.as_view(), name="api-post-feature"),
    path("posts/<int:post_id>/comments", views.CommentsView.as_view(), name="api-post-comments"),
    path("comments/<int:comment_id>", views.CommentDetailView.as_view(), name="api-comment"),
    path("comments/<int:comment_id>/like", views.CommentLikeView.as_view(), name="api-comment-like"),
]
