"""Feed and post API for the mobile app (seed 000 §4.3): the ranked feed, trending, featured
and saved lists, posts (create as JSON or multipart with up to four images, read with its
comments, edit, delete), reactions, comments (nested, edit, delete, like), saves and shares.

Views parse input and call ``social.services`` / ``social.selectors``, the same functions the
pages and the websocket handlers call. A post the caller may not see answers 404
POST_NOT_FOUND exactly like one that does not exist.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from config.api import body_dict, error_responses
from social import rules
from social.api.base import SocialApiView, page_args, posts_response
from social.models import CommentLike, PostType, ReactionType
from social.payloads import post_payload
from social.selectors import posts as selectors
from social.services import interactions
from social.services import posts as services
from social.services.interactions import comment_payload

TAG = ["Comunidad"]
POST = inline_serializer("SocialPost", {"id": serializers.IntegerField(), "type": serializers.CharField(),
                                        "body": serializers.CharField(), "body_html": serializers.CharField()})
POST_LIST = inline_serializer("SocialPostList", {
    "results": serializers.ListField(child=serializers.DictField()),
    "page": serializers.IntegerField(), "limit": serializers.IntegerField(),
    "total_pages": serializers.IntegerField(), "total_results": serializers.IntegerField(),
})
PAGING = [OpenApiParameter("page", int), OpenApiParameter("limit", int, description="1–100, por omisión 20")]


class FeedView(SocialApiView):
    @extend_schema(
        tags=TAG, operation_id="feed_get", summary="Mi inicio (feed personalizado)",
        description="Publicaciones de quienes sigues, tus grupos, tu círculo familiar y tu nutriólogo(a), ordenadas "
                    "por recencia con impulso por cercanía e interacción. La página 1 vuelve a ordenar; las siguientes "
                    "conservan ese orden 10 minutos.",
        parameters=[*PAGING, OpenApiParameter("type", str, enum=PostType.values)],
        responses={200: POST_LIST, **error_responses(400, 401, 429)},
    )
    def get(self, request):
        page, limit = page_args(request)
        result = selectors.feed_page(viewer=request.user, page=page, limit=limit, post_type=request.query_params.get("type"))
        return posts_response(result)


class TrendingView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="feed_trending", summary="Tendencias",
                   description="Publicaciones públicas con mayor viralidad: (reacciones + 3×comentarios + 5×compartidas) / horas.",
                   responses={200: POST_LIST, **error_responses(401, 429)})
    def get(self, request):
        posts = selectors.trending_posts(viewer=request.user, limit=30)
        return Response({"results": [post_payload(p) for p in posts], "page": 1, "limit": 30, "total_pages": 1,
                         "total_results": len(posts)})


class FeaturedView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="feed_featured", summary="Destacadas por el equipo",
                   responses={200: POST_LIST, **error_responses(401, 429)})
    def get(self, request):
        posts = selectors.featured_posts(viewer=request.user, limit=20)
        return Response({"results": [post_payload(p) for p in posts], "page": 1, "limit": 20, "total_pages": 1,
                         "total_results": len(posts)})


class SavedView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="posts_saved", summary="Mis guardados", parameters=PAGING,
                   responses={200: POST_LIST, **error_responses(400, 401, 429)})
    def get(self, request):
        page, limit = page_args(request)
        return posts_response(selectors.saved_posts(viewer=request.user, page=page, limit=limit))


def _images(request) -> list:
    files = request.FILES.getlist("files[]") or request.FILES.getlist("files") or request.FILES.getlist("images")
    return files


class PostCreateView(SocialApiView):
    @extend_schema(
        tags=TAG, operation_id="posts_create", summary="Publicar",
        description="JSON o multipart: type, body, title, visibility (public, followers, group, family_circle, "
                    "nutritionist_only), group_id, family_circle_id, progress_data {weight_before_kg, weight_after_kg, "
                    "time_period_days}, recipe_id, state, city y hasta 4 imágenes en files[]. Límite: 20 por hora.",
        request=inline_serializer("PostCreate", {"type": serializers.ChoiceField(PostType.values), "body": serializers.CharField()}),
        responses={201: POST, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request):
        data = body_dict(request)
        post = services.post_create(
            actor=request.user,
            type=data.get("type") or PostType.TEXT,
            title=data.get("title", ""),
            body=data.get("body", data.get("caption", "")),
            visibility=data.get("visibility") or "public",
            group_id=data.get("group_id"),
            family_circle_id=data.get("family_circle_id"),
            images=_images(request),
            progress_data=data.get("progress_data"),
            recipe_id=data.get("recipe_id"),
            state=data.get("state", ""),
            city=data.get("city", ""),
        )
        post = selectors.post_get(viewer=request.user, post_id=post.pk)
        return Response({"post": post_payload(post)}, status=status.HTTP_201_CREATED)


class PostDetailView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="posts_get", summary="Una publicación con sus comentarios",
                   responses={200: inline_serializer("PostWithComments", {"post": serializers.DictField(),
                                                                          "comments": serializers.ListField()}),
                              **error_responses(401, 404, 429)})
    def get(self, request, post_id):
        audience = rules.audience_for(request.user)
        post = selectors.post_get(viewer=request.user, post_id=post_id, audience=audience)
        services.post_view_count(viewer=request.user, post=post)
        comments = selectors.comment_list_flat(viewer=request.user, post=post, audience=audience)
        return Response({"post": post_payload(post),
                         "comments": [comment_payload(c, viewer_liked=c.has_liked) for c in comments]})

    @extend_schema(tags=TAG, operation_id="posts_update", summary="Editar mi publicación",
                   description="title, body, visibility, state, city. Queda marcada como editada.",
                   request=inline_serializer("PostUpdate", {"body": serializers.CharField(required=False)}),
                   responses={200: POST, **error_responses(400, 401, 404, 429)})
    def patch(self, request, post_id):
        services.post_update(actor=request.user, post_id=post_id, data=body_dict(request))
        return Response({"post": post_payload(selectors.post_get(viewer=request.user, post_id=post_id))})

    @extend_schema(tags=TAG, operation_id="posts_delete", summary="Eliminar mi publicación",
                   responses={204: None, **error_responses(401, 404, 429)})
    def delete(self, request, post_id):
        services.post_delete(actor=request.user, post_id=post_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReactionView(SocialApiView):
    @extend_schema(
        tags=TAG, operation_id="posts_react", summary="Reaccionar",
        description="Una reacción por persona y publicación; otra reacción reemplaza la anterior.",
        request=inline_serializer("ReactionIn", {"reaction_type": serializers.ChoiceField(ReactionType.values)}),
        responses={201: inline_serializer("ReactionOut", {"reaction": serializers.DictField(), "reactions": serializers.DictField()}),
                   200: None, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request, post_id):
        data = body_dict(request)
        reaction, changed = interactions.reaction_set(actor=request.user, post_id=post_id,
                                                      reaction_type=data.get("reaction_type"))
        post = selectors.post_get(viewer=request.user, post_id=post_id)
        body = {
            "reaction": {"id": reaction.pk, "reaction_type": reaction.type, "created_at": reaction.created_at.isoformat()},
            "reactions": post_payload(post, include_shared=False)["reactions"],
            "likes_count": post.reactions_count,
        }
        return Response(body, status=status.HTTP_201_CREATED if changed else status.HTTP_200_OK)

    @extend_schema(tags=TAG, operation_id="posts_unreact", summary="Quitar mi reacción",
                   responses={204: None, **error_responses(401, 404, 429)})
    def delete(self, request, post_id):
        interactions.reaction_remove(actor=request.user, post_id=post_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SaveView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="posts_save", summary="Guardar en Guardados", request=None,
                   responses={200: inline_serializer("SavedOut", {"has_saved": serializers.BooleanField()}),
                              **error_responses(401, 404, 429)})
    def post(self, request, post_id):
        return Response({"has_saved": services.post_save_set(actor=request.user, post_id=post_id, saved=True)})

    @extend_schema(tags=TAG, operation_id="posts_unsave", summary="Quitar de Guardados",
                   responses={200: inline_serializer("UnsavedOut", {"has_saved": serializers.BooleanField()}),
                              **error_responses(401, 404, 429)})
    def delete(self, request, post_id):
        return Response({"has_saved": services.post_save_set(actor=request.user, post_id=post_id, saved=False)})


class ShareView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="posts_share", summary="Compartir con mis seguidores",
                   description="Comparte una publicación pública con un comentario. Compartirla otra vez devuelve la misma (200).",
                   request=inline_serializer("ShareIn", {"body": serializers.CharField(required=False),
                                                         "visibility": serializers.ChoiceField(["public", "followers"], required=False)}),
                   responses={201: POST, 200: POST, **error_responses(400, 401, 404, 429)})
    def post(self, request, post_id):
        data = body_dict(request)
        share = services.post_share(actor=request.user, post_id=post_id, body=data.get("body", ""),
                                    visibility=data.get("visibility") or "public")
        replayed = bool(getattr(share, "replayed", False))
        post = selectors.post_get(viewer=request.user, post_id=share.pk)
        return Response({"post": post_payload(post), "replayed": replayed},
                        status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)


class CommentsView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="comments_list", summary="Comentarios (en orden de lectura)",
                   responses={200: inline_serializer("CommentList", {"results": serializers.ListField()}),
                              **error_responses(401, 404, 429)})
    def get(self, request, post_id):
        post = selectors.post_get(viewer=request.user, post_id=post_id)
        rows = selectors.comment_list_flat(viewer=request.user, post=post)
        return Response({"results": [comment_payload(c, viewer_liked=c.has_liked) for c in rows]})

    @extend_schema(tags=TAG, operation_id="comments_create", summary="Comentar o responder",
                   description="content y parent_comment_id (null o el comentario al que respondes; hasta 3 niveles).",
                   request=inline_serializer("CommentIn", {"content": serializers.CharField(),
                                                           "parent_comment_id": serializers.IntegerField(required=False, allow_null=True)}),
                   responses={201: inline_serializer("CommentOut", {"comment": serializers.DictField()}),
                              **error_responses(400, 401, 403, 404, 429)})
    def post(self, request, post_id):
        data = body_dict(request)
        comment = interactions.comment_create(actor=request.user, post_id=post_id, content=data.get("content"),
                                              parent_comment_id=data.get("parent_comment_id"))
        return Response({"comment": comment_payload(comment)}, status=status.HTTP_201_CREATED)


class CommentDetailView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="comments_update", summary="Editar mi comentario",
                   request=inline_serializer("CommentEdit", {"content": serializers.CharField()}),
                   responses={200: inline_serializer("CommentEdited", {"comment": serializers.DictField()}),
                              **error_responses(400, 401, 404, 429)})
    def patch(self, request, comment_id):
        comment = interactions.comment_update(actor=request.user, comment_id=comment_id,
                                              content=body_dict(request).get("content"))
        return Response({"comment": comment_payload(comment)})

    @extend_schema(tags=TAG, operation_id="comments_delete", summary="Eliminar un comentario",
                   description="El tuyo, o uno en tu publicación. Sus respuestas siguen visibles.",
                   responses={204: None, **error_responses(401, 404, 429)})
    def delete(self, request, comment_id):
        interactions.comment_delete(actor=request.user, comment_id=comment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentLikeView(SocialApiView):
    def _answer(self, request, comment_id, liked):
        comment = interactions.comment_like_set(actor=request.user, comment_id=comment_id, liked=liked)
        has = CommentLike.objects.filter(user=request.user, comment_id=comment.pk).exists()
        return Response({"comment_id": comment.pk, "likes_count": comment.likes_count, "has_liked": has})

    @extend_schema(tags=TAG, operation_id="comments_like", summary="Me gusta en un comentario", request=None,
                   responses={200: inline_serializer("CommentLiked", {"likes_count": serializers.IntegerField(),
                                                                      "has_liked": serializers.BooleanField()}),
                              **error_responses(401, 404, 429)})
    def post(self, request, comment_id):
        return self._answer(request, comment_id, True)

    @extend_schema(tags=TAG, operation_id="comments_unlike", summary="Quitar me gusta",
                   responses={200: inline_serializer("CommentUnliked", {"likes_count": serializers.IntegerField(),
                                                                        "has_liked": serializers.BooleanField()}),
                              **error_responses(401, 404, 429)})
    def delete(self, request, comment_id):
        return self._answer(request, comment_id, False)


class FeatureView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="posts_feature", summary="Destacar (personal del equipo)",
                   request=inline_serializer("FeatureIn", {"featured": serializers.BooleanField()}),
                   responses={200: POST, **error_responses(400, 401, 404, 429)})
    def post(self, request, post_id):
        featured = body_dict(request).get("featured", True) in (True, "true", "1", 1)
        post = services.post_feature_set(actor=request.user, post_id=post_id, featured=featured)
        return Response({"post": post_payload(selectors.post_get(viewer=request.user, post_id=post.pk))})



