"""Family circles API for the mobile app (under /api/v1/family-circles): my circles and
invitations, create, read, edit and delete (owner), invite and manage members, accept or
decline an invitation, family goals, the recipe collection, the circle feed and encouragement.

Views parse input and call ``social.selectors.circles`` / ``social.services.circles``, the
same functions the pages call. A circle the caller is not an active member of answers 404
CIRCLE_NOT_FOUND, on every endpoint.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from config.api import body_dict, error_responses
from social.api.base import SocialApiView, page_args, posts_response
from social.api.groups_views import PAGE_PARAMS, paginated
from social.rules import id_parse
from social.selectors import circles as selectors
from social.services import circles as services

TAG = ["Círculos familiares"]

PERMS = {p: serializers.BooleanField(required=False) for p in selectors.PERMISSIONS}
CIRCLE = inline_serializer(
    "FamilyCircle",
    {
        "id": serializers.IntegerField(),
        "name": serializers.CharField(),
        "description": serializers.CharField(),
        "owner": serializers.DictField(),
        "share_progress_automatically": serializers.BooleanField(),
        "share_achievements": serializers.BooleanField(),
        "share_meal_logs": serializers.BooleanField(),
        "created_at": serializers.DateTimeField(),
        "my_role": serializers.CharField(required=False),
        "my_permissions": serializers.DictField(required=False),
        "members": serializers.ListField(child=serializers.DictField(), required=False),
        "family_goals": serializers.ListField(child=serializers.DictField(), required=False),
        "recipes": serializers.ListField(child=serializers.DictField(), required=False),
        "meal_log_today": serializers.DictField(allow_null=True, required=False),
    },
)
CIRCLE_WRITE = inline_serializer(
    "FamilyCircleWrite",
    {
        "name": serializers.CharField(max_length=120),
        "description": serializers.CharField(required=False),
        "share_progress_automatically": serializers.BooleanField(required=False),
        "share_achievements": serializers.BooleanField(required=False),
        "share_meal_logs": serializers.BooleanField(required=False),
    },
)
CIRCLE_MEMBER = inline_serializer(
    "FamilyCircleMember",
    {
        "user": serializers.DictField(),
        "role": serializers.CharField(),
        "status": serializers.CharField(),
        "relationship": serializers.CharField(),
        "joined_at": serializers.DateTimeField(),
        **{p: serializers.BooleanField() for p in selectors.PERMISSIONS},
    },
)
GOAL = inline_serializer(
    "FamilyGoal",
    {"index": serializers.IntegerField(), "title": serializers.CharField(), "target": serializers.CharField(),
     "done": serializers.BooleanField()},
)


def _detail(request, circle_id) -> dict:
    circle = selectors.circle_get(user=request.user, circle_id=circle_id)
    return selectors.circle_payload(circle, detail=True)


def _goal(goal: dict) -> dict:
    return {"index": goal["index"], "title": goal["title"], "target": goal.get("target", ""),
            "done": bool(goal.get("done"))}


class CircleListView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Mis círculos e invitaciones", operation_id="circles_list",
        responses={200: inline_serializer("FamilyCircleList", {
            "results": serializers.ListField(child=CIRCLE),
            "invitations": serializers.ListField(child=serializers.DictField()),
        }), **error_responses(401, 429)},
    )
    def get(self, request):
        circles = list(selectors.circle_list(user=request.user))
        invitations = selectors.circle_invitations(user=request.user)
        from social.payloads import user_brief

        return Response({
            "results": [selectors.circle_payload(c) for c in circles],
            "invitations": [
                {"circle_id": i.circle_id, "name": i.circle.name, "owner": user_brief(i.circle.owner),
                 "role": i.role, "relationship": i.relationship}
                for i in invitations
            ],
        })

    @extend_schema(
        tags=TAG, summary="Crear un círculo familiar (pacientes)", operation_id="circles_create",
        description="Tu(s) nutriólogo(a)(s) con atención abierta se agregan solos.",
        request=CIRCLE_WRITE, responses={201: CIRCLE, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request):
        data = body_dict(request)
        privacy = {k: data.get(k) for k in services.PRIVACY if k in data}
        circle = services.circle_create(actor=request.user, name=data.get("name", ""),
                                        description=data.get("description", ""), **privacy)
        return Response(_detail(request, circle.pk), status=status.HTTP_201_CREATED)


class CircleDetailView(SocialApiView):
    @extend_schema(tags=TAG, summary="Un círculo", operation_id="circles_get",
                   responses={200: CIRCLE, **error_responses(401, 404, 429)})
    def get(self, request, circle_id):
        return Response(_detail(request, circle_id))

    @extend_schema(tags=TAG, summary="Editar el círculo (dueño)", operation_id="circles_update",
                   request=CIRCLE_WRITE, responses={200: CIRCLE, **error_responses(400, 401, 404, 429)})
    def patch(self, request, circle_id):
        services.circle_update(actor=request.user, circle_id=circle_id, data=body_dict(request))
        return Response(_detail(request, circle_id))

    @extend_schema(tags=TAG, summary="Eliminar el círculo (dueño)", operation_id="circles_delete",
                   responses={204: None, **error_responses(401, 404, 429)})
    def delete(self, request, circle_id):
        services.circle_delete(actor=request.user, circle_id=circle_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CircleMembersView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Invitar a alguien (dueño)", operation_id="circles_invite",
        request=inline_serializer("FamilyCircleInvite", {
            "username": serializers.CharField(),
            "role": serializers.ChoiceField(choices=["family_member", "support_friend"], required=False),
            "relationship": serializers.CharField(required=False, max_length=50),
            **PERMS,
        }),
        responses={201: CIRCLE_MEMBER, 200: CIRCLE_MEMBER, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request, circle_id):
        data = body_dict(request)
        member = services.circle_invite(
            actor=request.user, circle_id=circle_id, username=data.get("username"),
            role=data.get("role") or "family_member", relationship=data.get("relationship", ""),
            permissions={p: data[p] for p in selectors.PERMISSIONS if p in data},
        )
        return Response(selectors.member_payload(member),
                        status=status.HTTP_200_OK if member.replayed else status.HTTP_201_CREATED)


class CircleMemberView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Cambiar permisos de un miembro (dueño)", operation_id="circles_member_update",
        request=inline_serializer("FamilyCircleMemberUpdate", {
            "relationship": serializers.CharField(required=False, max_length=50),
            "role": serializers.ChoiceField(choices=["family_member", "support_friend"], required=False),
            **PERMS,
        }),
        responses={200: CIRCLE_MEMBER, **error_responses(400, 401, 404, 429)},
    )
    def patch(self, request, circle_id, user_id):
        member = services.circle_member_update(actor=request.user, circle_id=circle_id, user_id=user_id,
                                               data=body_dict(request))
        return Response(selectors.member_payload(member))

    @extend_schema(tags=TAG, summary="Quitar a un miembro (dueño) o salir (tu propio id)",
                   operation_id="circles_member_remove", responses={204: None, **error_responses(400, 401, 404, 429)})
    def delete(self, request, circle_id, user_id):
        services.circle_member_remove(actor=request.user, circle_id=circle_id, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


INVITATION_ANSWER = inline_serializer("FamilyCircleInvitationAnswer", {
    "circle_id": serializers.IntegerField(), "status": serializers.CharField(allow_null=True)})


def _invitation_schema(operation_id: str, summary: str):
    return extend_schema(tags=TAG, summary=summary, operation_id=operation_id, request=None,
                         responses={200: INVITATION_ANSWER, **error_responses(401, 404, 429)})


class CircleInvitationView(SocialApiView):
    accept = True

    def post(self, request, circle_id):
        member = services.circle_invitation_respond(actor=request.user, circle_id=circle_id, accept=self.accept)
        return Response({"circle_id": id_parse(circle_id), "status": member.status if member else None})


class CircleInvitationAcceptView(CircleInvitationView):
    accept = True

    @_invitation_schema("circles_invitation_accept", "Aceptar una invitación a un círculo")
    def post(self, request, circle_id):
        return super().post(request, circle_id)


class CircleInvitationDeclineView(CircleInvitationView):
    accept = False

    @_invitation_schema("circles_invitation_decline", "Rechazar una invitación a un círculo")
    def post(self, request, circle_id):
        return super().post(request, circle_id)


class CircleGoalsView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Agregar una meta familiar", operation_id="circles_goal_add",
        request=inline_serializer("FamilyGoalAdd", {"title": serializers.CharField(max_length=120),
                                                    "target": serializers.CharField(required=False, max_length=200)}),
        responses={201: GOAL, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request, circle_id):
        data = body_dict(request)
        goal = services.circle_goal_add(actor=request.user, circle_id=circle_id, title=data.get("title", ""),
                                        target=data.get("target", ""))
        return Response(_goal(goal), status=status.HTTP_201_CREATED)


class CircleGoalView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Marcar una meta como cumplida (o no)", operation_id="circles_goal_update",
        request=inline_serializer("FamilyGoalDone", {"done": serializers.BooleanField()}),
        responses={200: GOAL, **error_responses(400, 401, 404, 429)},
    )
    def patch(self, request, circle_id, index):
        data = body_dict(request)
        goal = services.circle_goal_set_done(actor=request.user, circle_id=circle_id, index=index,
                                             done=data.get("done", True))
        return Response(_goal(goal))

    @extend_schema(tags=TAG, summary="Borrar una meta", operation_id="circles_goal_delete",
                   responses={204: None, **error_responses(401, 403, 404, 429)})
    def delete(self, request, circle_id, index):
        services.circle_goal_delete(actor=request.user, circle_id=circle_id, index=index)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CircleRecipesView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Agregar una receta a la colección familiar", operation_id="circles_recipe_add",
        request=inline_serializer("FamilyRecipeAdd", {"recipe_id": serializers.CharField(help_text="id o slug")}),
        responses={201: inline_serializer("FamilyRecipe", {
            "id": serializers.IntegerField(), "slug": serializers.CharField(), "title": serializers.CharField()}),
            **error_responses(400, 401, 404, 429)},
    )
    def post(self, request, circle_id):
        data = body_dict(request)
        recipe = services.circle_recipe_add(actor=request.user, circle_id=circle_id, recipe_id=data.get("recipe_id"))
        return Response({"id": recipe.pk, "slug": recipe.slug, "title": recipe.title}, status=status.HTTP_201_CREATED)


class CircleRecipeView(SocialApiView):
    @extend_schema(tags=TAG, summary="Quitar una receta de la colección", operation_id="circles_recipe_remove",
                   responses={204: None, **error_responses(401, 404, 429)})
    def delete(self, request, circle_id, recipe_id):
        services.circle_recipe_remove(actor=request.user, circle_id=circle_id, recipe_id=recipe_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CirclePostsView(SocialApiView):
    @extend_schema(tags=TAG, summary="Publicaciones del círculo", operation_id="circles_posts", parameters=PAGE_PARAMS,
                   responses={200: paginated("FamilyCirclePostList", serializers.DictField()),
                              **error_responses(400, 401, 404, 429)})
    def get(self, request, circle_id):
        circle = selectors.circle_get(user=request.user, circle_id=circle_id)
        page, limit = page_args(request)
        return posts_response(selectors.circle_feed(viewer=request.user, circle=circle, page=page,
                                                              limit=limit))


class CircleEncourageView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Mandar ánimo a quien creó el círculo", operation_id="circles_encourage",
        request=inline_serializer("FamilyEncourage", {
            "message": serializers.ChoiceField(choices=list(services.ENCOURAGEMENTS), required=False)}),
        responses={201: inline_serializer("FamilyEncouraged", {"sent": serializers.BooleanField(),
                                                               "message": serializers.CharField()}),
                   **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request, circle_id):
        data = body_dict(request)
        key = data.get("message") or "tu_puedes"
        services.circle_encourage(actor=request.user, circle_id=circle_id, message=key)
        return Response({"sent": True, "message": services.ENCOURAGEMENTS[key]}, status=status.HTTP_201_CREATED)
