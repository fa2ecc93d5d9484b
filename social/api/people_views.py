"""People API: public profiles with their posts, followers and following, and follow,
block and mute (seed 000 ``/profile/{username}``, follow/unfollow)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from config.api import error_responses
from social.api.base import SocialApiView, page_args, posts_response
from social.payloads import user_brief
from social.selectors import posts as selectors
from social.services import people as services

TAG = ["Comunidad: personas"]
PAGING = [OpenApiParameter("page", int), OpenApiParameter("limit", int, description="1–100")]
PEOPLE = inline_serializer("PeopleList", {"results": serializers.ListField(child=serializers.DictField()),
                                          "total_results": serializers.IntegerField()})
STATE = inline_serializer("RelationshipState", {"following": serializers.BooleanField(), "blocked": serializers.BooleanField(),
                                                "muted": serializers.BooleanField()})


def _profile_payload(view) -> dict:
    profile = getattr(view.user, "profile", None)
    return {
        "user": user_brief(view.user),
        "bio": getattr(profile, "bio", ""),
        "state": getattr(profile, "state", ""),
        "city": getattr(profile, "city", ""),
        "followers_count": view.followers_count,
        "following_count": view.following_count,
        "posts_count": view.posts_count,
        "is_me": view.is_me,
        "is_following": view.is_following,
        "follows_me": view.follows_me,
        "is_muted": view.is_muted,
        "is_blocked": view.is_blocked,
        "achievements": [
            {"post_id": a["pk"], "title": a["title"] or a["body"][:80], "achievement_data": a["achievement_data"],
             "created_at": a["created_at"].isoformat()}
            for a in view.achievements
        ],
    }


class ProfileView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="profiles_get", summary="Perfil público",
                   responses={200: inline_serializer("PublicProfile", {"user": serializers.DictField(),
                                                                       "followers_count": serializers.IntegerField()}),
                              **error_responses(401, 404, 429)})
    def get(self, request, username):
        return Response(_profile_payload(selectors.profile_get(viewer=request.user, username=username)))


class ProfilePostsView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="profiles_posts", summary="Publicaciones de una persona", parameters=PAGING,
                   responses={200: inline_serializer("ProfilePosts", {"results": serializers.ListField()}),
                              **error_responses(400, 401, 404, 429)})
    def get(self, request, username):
        view = selectors.profile_get(viewer=request.user, username=username)
        page, limit = page_args(request)
        return posts_response(selectors.profile_posts(viewer=request.user, user=view.user, page=page, limit=limit))


class FollowListView(SocialApiView):
    direction = "followers"

    def get(self, request, username):
        view = selectors.profile_get(viewer=request.user, username=username)
        page, limit = page_args(request)
        users, total = selectors.follow_list(viewer=request.user, user=view.user, direction=self.direction,
                                             page=page, limit=limit)
        return Response({
            "results": [{**user_brief(u), "is_following": u.viewer_follows} for u in users],
            "page": page, "limit": limit, "total_pages": max((total + limit - 1) // limit, 1), "total_results": total,
        })


class FollowersView(FollowListView):
    direction = "followers"

    @extend_schema(tags=TAG, operation_id="profiles_followers", summary="Seguidores", parameters=PAGING,
                   responses={200: PEOPLE, **error_responses(400, 401, 404, 429)})
    def get(self, request, username):
        return super().get(request, username)


class FollowingView(FollowListView):
    direction = "following"

    @extend_schema(tags=TAG, operation_id="profiles_following", summary="Personas que sigue", parameters=PAGING,
                   responses={200: PEOPLE, **error_responses(400, 401, 404, 429)})
    def get(self, request, username):
        return super().get(request, username)


def _state(request, username) -> dict:
    view = selectors.profile_get(viewer=request.user, username=username)
    return {"following": view.is_following, "blocked": view.is_blocked, "muted": view.is_muted}


class FollowView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="people_follow", summary="Seguir", request=None,
                   responses={201: STATE, 200: STATE, **error_responses(401, 404, 429)})
    def post(self, request, username):
        _row, created = services.follow(actor=request.user, username=username)
        return Response(_state(request, username), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(tags=TAG, operation_id="people_unfollow", summary="Dejar de seguir",
                   responses={200: STATE, **error_responses(401, 404, 429)})
    def delete(self, request, username):
        services.unfollow(actor=request.user, username=username)
        return Response(_state(request, username))


class BlockView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="people_block", summary="Bloquear", request=None,
                   responses={200: STATE, **error_responses(401, 404, 429)})
    def post(self, request, username):
        services.block(actor=request.user, username=username)
        return Response(_state(request, username))

    @extend_schema(tags=TAG, operation_id="people_unblock", summary="Desbloquear",
                   responses={200: STATE, **error_responses(401, 404, 429)})
    def delete(self, request, username):
        services.unblock(actor=request.user, username=username)
        return Response(_state(request, username))


class MuteView(SocialApiView):
    @extend_schema(tags=TAG, operation_id="people_mute", summary="Silenciar", request=None,
                   responses={200: STATE, **error_responses(401, 404, 429)})
    def post(self, request, username):
        services.mute(actor=request.user, username=username)
        return Response(_state(request, username))

    @extend_schema(tags=TAG, operation_id="people_unmute", summary="Quitar silencio",
                   responses={200: STATE, **error_responses(401, 404, 429)})
    def delete(self, request, username):
        services.unmute(actor=request.user, username=username)
        return Response(_state(request, username))
