"""Pages of the social network: moderation, under /comunidad/moderacion/."""

from django.urls import path

from social.views import moderation as views

urlpatterns = [
    path("", views.queue, name="moderation"),
    path("publicacion/<str:post_id>/", views.moderate_post, name="moderate_post"),
    path("comentario/<str:comment_id>/", views.moderate_comment, name="moderate_comment"),
    path("reportar/publicacion/<str:post_id>/", views.report_post, name="report_post"),
    path("reportar/comentario/<str:comment_id>/", views.report_comment, name="report_comment"),
]
