"""Pages of the feed and posts under /comunidad/."""

from django.urls import path

from social.views import posts as views

urlpatterns = [
    path("", views.feed, name="feed"),
    path("publicar/", views.post_create, name="post_create"),
    path("guardados/", views.saved, name="saved"),
    path("etiqueta/<str:tag>/", views.tag, name="tag"),
    path("p/<int:post_id>/", views.post_detail, name="post"),
    path("p/<int:post_id>/tarjeta/", views.post_card, name="post_card"),
    path("p/<int:post_id>/hilo/", views.post_comments, name="post_comments"),
    path("p/<int:post_id>/editar/", views.post_edit, name="post_edit"),
    path("p/<int:post_id>/eliminar/", views.post_delete, name="post_delete"),
    path("p/<int:post_id>/reaccion/", views.post_react, name="post_react"),
    path("p/<int:post_id>/guardar/", views.post_save, name="post_save"),
    path("p/<int:post_id>/compartir/", views.post_share, name="post_share"),
    path("p/<int:post_id>/destacar/", views.post_feature, name="post_feature"),
    path("p/<int:post_id>/comentarios/", views.comment_create, name="comment_create"),
    path("comentarios/<int:comment_id>/editar/", views.comment_edit, name="comment_edit"),
    path("comentarios/<int:comment_id>/eliminar/", views.comment_delete, name="comment_delete"),
    path("comentarios/<int:comment_id>/me-gusta/", views.comment_like, name="comment_like"),
]
