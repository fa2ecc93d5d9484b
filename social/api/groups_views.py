"""Groups API for the mobile app (under /api/v1/groups): discovery and CRUD, join (with
answers), leave, members and roles, join requests, invitations, the group feed, the post
approval queue and the member's notification preference.

Views parse input and call ``social.selectors.groups`` / ``social.services.groups``, the same
functions the pages call. A group the caller may not see answers 404 GROUP_NOT_FOUND.
"""

from __future__ import annotations

import copy

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from config.api import PagePagination, body_dict, error_responses
from social.api.base import SocialApiView, page_args, posts_response
from social.rules import id_parse
from social.selectors import groups as selectors
from social.services import groups as services
from social.services.common import bool_clean

TAG = ["Grupos"]

GROUP = inline_serializer(
    "Group",
    {
        "id": serializers.IntegerField(),
        "name": serializers.CharField(),
        "slug": serializers.CharField(),
        "description": serializers.CharField(),
        "cover_image_url": serializers.CharField(),
        "type": serializers.ChoiceField(choices=["open", "closed", "private", "nutritionist_only", "patient_only"]),
        "category": serializers.CharField(),
        "tags": serializers.ListField(child=serializers.CharField()),
        "state": serializers.CharField(),
        "city": serializers.CharField(),
        "is_featured": serializers.BooleanField(),
        "member_count": serializers.IntegerField(),
        "post_count": serializers.IntegerField(),
        "last_post_at": serializers.DateTimeField(allow_null=True),
        "created_at": serializers.DateTimeField(),
        "my_role": serializers.CharField(allow_null=True),
        "rules": serializers.ListField(child=serializers.DictField(), required=False),
        "who_can_post": serializers.CharField(required=False),
        "require_post_approval": serializers.BooleanField(required=False),
        "join_questions": serializers.ListField(child=serializers.DictField(), required=False),
        "my_notification_preference": serializers.CharField(allow_null=True, required=False),
    },
)
GROUP_WRITE = inline_serializer(
    "GroupWrite",
    {
        "name": serializers.CharField(max_length=120),
        "description": serializers.CharField(required=False),
        "type": serializers.ChoiceField(choices=["open", "closed", "private", "nutritionist_only", "patient_only"],
                                        required=False),
        "category": serializers.ChoiceField(
            choices=["goal_based", "condition_based", "location_based", "nutritionist_practice", "other"], required=False
        ),
        "rules": serializers.ListField(child=serializers.DictField(), required=False,
                                       help_text="[{title, description}]"),
        "who_can_post": serializers.ChoiceField(choices=["everyone", "admins_only", "approved_members"], required=False),
        "require_post_approval": serializers.BooleanField(required=False),
        "join_questions": serializers.ListField(child=serializers.DictField(), required=False,
                                                help_text="[{question, required}]"),
        "tags": serializers.ListField(child=serializers.CharField(), required=False),
        "state": serializers.CharField(required=False, help_text="Clave del estado (JAL, CMX, ...)"),
        "city": serializers.CharField(required=False),
        "cover_image": serializers.ImageField(required=False, help_text="multipart"),
    },
)
MEMBER = inline_serializer(
    "GroupMember",
    {
        "user": serializers.DictField(),
        "role": serializers.CharField(),
        "joined_at": serializers.DateTimeField(),
        "posts_count": serializers.IntegerField(),
        "join_answers": serializers.ListField(child=serializers.DictField(), required=False),
    },
)
MEMBERSHIP = inline_serializer(
    "GroupMembership",
    {"group_id": serializers.IntegerField(), "role": serializers.CharField(allow_null=True)},
)
OK = inline_serializer("GroupOk", {"ok": serializers.BooleanField()})
PAGE_PARAMS = [OpenApiParameter("page", int), OpenApiParameter("limit", int, description="1–100, por omisión 20")]


def paginated(name: str, item) -> object:
    return inline_serializer(
        name,
        {
            "results": serializers.ListField(child=copy.deepcopy(item)),
            "page": serializers.IntegerField(),
            "limit": serializers.IntegerField(),
            "total_pages": serializers.IntegerField(),
            "total_results": serializers.IntegerField(),
        },
    )


def _page(request, qs, payload, *, view):
    paginator = PagePagination()
    rows = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response([payload(r) for r in rows])


def _group_data(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("cover_image",)}


class GroupListView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Descubrir grupos", operation_id="groups_list",
        description="Destacados primero. `near=1` solo los de tu estado (perfil); `mine=1` tus grupos.",
        parameters=[*PAGE_PARAMS, OpenApiParameter("q", str), OpenApiParameter("category", str),
                    OpenApiParameter("type", str), OpenApiParameter("state", str),
                    OpenApiParameter("near", bool), OpenApiParameter("mine", bool)],
        responses={200: paginated("GroupList", GROUP), **error_responses(400, 401, 429)},
    )
    def get(self, request):
        filters = selectors.group_filters_clean(request.query_params)
        qs = selectors.group_list(user=request.user, **filters)
        paginator = PagePagination()
        rows = paginator.paginate_queryset(qs, request, view=self)
        roles = selectors.my_roles(user=request.user, group_ids=[g.pk for g in rows])
        return paginator.get_paginated_response(
            [selectors.group_payload(g, my_role=roles.get(g.pk), detail=False) for g in rows]
        )

    @extend_schema(
        tags=TAG, summary="Crear un grupo", operation_id="groups_create",
        description="JSON o multipart (con `cover_image`). Quien lo crea queda como administrador(a). 10 al día.",
        request=GROUP_WRITE, responses={201: GROUP, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request):
        group = services.group_create(actor=request.user, data=_group_data(body_dict(request)),
                                      cover=request.FILES.get("cover_image"))
        group = selectors.group_get(user=request.user, group_id=group.pk)
        return Response(selectors.group_payload(group), status=status.HTTP_201_CREATED)


class GroupDetailView(SocialApiView):
    @extend_schema(tags=TAG, summary="Un grupo", operation_id="groups_get",
                   responses={200: GROUP, **error_responses(401, 404, 429)})
    def get(self, request, group_id):
        return Response(selectors.group_payload(selectors.group_get(user=request.user, group_id=group_id)))

    @extend_schema(
        tags=TAG, summary="Editar un grupo (administradores)", operation_id="groups_update",
        description="Solo los campos enviados. Personal del sitio: `is_featured`.",
        request=GROUP_WRITE, responses={200: GROUP, **error_responses(400, 401, 404, 429)},
    )
    def patch(self, request, group_id):
        data = _group_data(body_dict(request))
        featured = data.pop("is_featured", None)
        if featured is not None:
            services.group_feature_set(actor=request.user, group_id=group_id,
                                       featured=bool_clean(featured, "is_featured"))
        if data or request.FILES.get("cover_image") or featured is None:
            services.group_update(actor=request.user, group_id=group_id, data=data,
                                  cover=request.FILES.get("cover_image"))
        return Response(selectors.group_payload(selectors.group_get(user=request.user, group_id=group_id)))

    @extend_schema(tags=TAG, summary="Eliminar un grupo (administradores)", operation_id="groups_delete",
                   responses={204: None, **error_responses(401, 404, 429)})
    def delete(self, request, group_id):
        services.group_delete(actor=request.user, group_id=group_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupJoinView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Unirse a un grupo", operation_id="groups_join",
        description="Abierto: miembro al instante. Cerrado: solicitud `pending` con `answers` (lista, en el orden "
                    "de `join_questions`). Privado: solo por invitación.",
        request=inline_serializer("GroupJoin", {"answers": serializers.ListField(child=serializers.CharField(),
                                                                                 required=False)}),
        responses={201: MEMBERSHIP, 200: MEMBERSHIP, **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request, group_id):
        data = body_dict(request)
        membership = services.group_join(actor=request.user, group_id=group_id, answers=data.get("answers"))
        return Response({"group_id": membership.group_id, "role": membership.role},
                        status=status.HTTP_200_OK if membership.replayed else status.HTTP_201_CREATED)


class GroupLeaveView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Salir de un grupo", operation_id="groups_leave",
        description="La última persona administradora nombra a otra con `new_admin` (id o usuario).",
        request=inline_serializer("GroupLeave", {"new_admin": serializers.CharField(required=False)}),
        responses={200: MEMBERSHIP, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request, group_id):
        data = body_dict(request)
        services.group_leave(actor=request.user, group_id=group_id, new_admin_id=data.get("new_admin"))
        return Response({"group_id": id_parse(group_id), "role": None})


class GroupMembersView(SocialApiView):
    @extend_schema(tags=TAG, summary="Miembros de un grupo", operation_id="groups_members",
                   parameters=PAGE_PARAMS, responses={200: paginated("GroupMemberList", MEMBER),
                                                      **error_responses(400, 401, 404, 429)})
    def get(self, request, group_id):
        group = selectors.group_get(user=request.user, group_id=group_id)
        return _page(request, selectors.group_members(user=request.user, group=group), selectors.member_payload,
                     view=self)


class GroupMemberView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Cambiar el rol de un miembro (administradores)", operation_id="groups_member_role",
        request=inline_serializer("GroupMemberRole", {
            "role": serializers.ChoiceField(choices=["admin", "moderator", "member"])}),
        responses={200: MEMBER, **error_responses(400, 401, 404, 429)},
    )
    def patch(self, request, group_id, user_id):
        data = body_dict(request)
        membership = services.group_member_role_set(actor=request.user, group_id=group_id, user_id=user_id,
                                                    role=data.get("role"))
        return Response(selectors.member_payload(membership))

    @extend_schema(tags=TAG, summary="Quitar a un miembro (administradores)", operation_id="groups_member_remove",
                   responses={204: None, **error_responses(400, 401, 404, 429)})
    def delete(self, request, group_id, user_id):
        services.group_member_remove(actor=request.user, group_id=group_id, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupRequestsView(SocialApiView):
    @extend_schema(tags=TAG, summary="Solicitudes pendientes (administradores y moderadores)",
                   operation_id="groups_requests", parameters=PAGE_PARAMS,
                   responses={200: paginated("GroupRequestList", MEMBER), **error_responses(400, 401, 404, 429)})
    def get(self, request, group_id):
        group = selectors.group_staff_get(user=request.user, group_id=group_id)
        return _page(request, selectors.join_requests(group=group),
                     lambda m: selectors.member_payload(m, with_answers=True), view=self)


def _request_schema(operation_id: str, summary: str):
    return extend_schema(tags=TAG, summary=summary, operation_id=operation_id, request=None,
                         responses={200: MEMBERSHIP, **error_responses(401, 404, 429)})


class GroupRequestDecideView(SocialApiView):
    decision = "approve"

    def post(self, request, group_id, user_id):
        membership = services.group_request_decide(actor=request.user, group_id=group_id, user_id=user_id,
                                                   approve=self.decision == "approve")
        return Response({"group_id": id_parse(group_id), "role": membership.role if membership else None})


class GroupRequestApproveView(GroupRequestDecideView):
    decision = "approve"

    @_request_schema("groups_request_approve", "Aprobar una solicitud")
    def post(self, request, group_id, user_id):
        return super().post(request, group_id, user_id)


class GroupRequestDeclineView(GroupRequestDecideView):
    decision = "decline"

    @_request_schema("groups_request_decline", "Rechazar una solicitud")
    def post(self, request, group_id, user_id):
        return super().post(request, group_id, user_id)


class GroupInvitationsView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Invitar a alguien (administradores y moderadores)", operation_id="groups_invite",
        request=inline_serializer("GroupInvite", {"username": serializers.CharField()}),
        responses={201: MEMBER, 200: MEMBER, **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request, group_id):
        data = body_dict(request)
        membership = services.group_invite(actor=request.user, group_id=group_id, username=data.get("username"))
        return Response(selectors.member_payload(membership),
                        status=status.HTTP_200_OK if membership.replayed else status.HTTP_201_CREATED)


def _invitation_schema(operation_id: str, summary: str):
    return extend_schema(tags=TAG, summary=summary, operation_id=operation_id, request=None,
                         responses={200: MEMBERSHIP, **error_responses(401, 403, 404, 429)})


class GroupInvitationRespondView(SocialApiView):
    accept = True

    def post(self, request, group_id):
        membership = services.group_invitation_respond(actor=request.user, group_id=group_id, accept=self.accept)
        return Response({"group_id": id_parse(group_id), "role": membership.role if membership else None})


class GroupInvitationAcceptView(GroupInvitationRespondView):
    accept = True

    @_invitation_schema("groups_invitation_accept", "Aceptar una invitación")
    def post(self, request, group_id):
        return super().post(request, group_id)


class GroupInvitationDeclineView(GroupInvitationRespondView):
    accept = False

    @_invitation_schema("groups_invitation_decline", "Rechazar una invitación")
    def post(self, request, group_id):
        return super().post(request, group_id)


class GroupPostsView(SocialApiView):
    @extend_schema(tags=TAG, summary="Publicaciones del grupo", operation_id="groups_posts", parameters=PAGE_PARAMS,
                   responses={200: paginated("GroupPostList", serializers.DictField()),
                              **error_responses(400, 401, 404, 429)})
    def get(self, request, group_id):
        group = selectors.group_get(user=request.user, group_id=group_id)
        page, limit = page_args(request)
        return posts_response(selectors.group_feed(viewer=request.user, group=group, page=page, limit=limit))


class GroupPendingPostsView(SocialApiView):
    @extend_schema(tags=TAG, summary="Publicaciones por aprobar (administradores y moderadores)",
                   operation_id="groups_pending_posts", parameters=PAGE_PARAMS,
                   responses={200: paginated("GroupPendingPostList", serializers.DictField()),
                              **error_responses(400, 401, 404, 429)})
    def get(self, request, group_id):
        from social.payloads import post_payload
        from social.selectors.posts import posts_hydrate

        group = selectors.group_staff_get(user=request.user, group_id=group_id)
        paginator = PagePagination()
        rows = paginator.paginate_queryset(selectors.pending_posts(group=group), request, view=self)
        rows = posts_hydrate(viewer=request.user, posts=list(rows))
        return paginator.get_paginated_response([post_payload(p) for p in rows])


POST_DECISION = inline_serializer("GroupPostDecision", {"reason": serializers.CharField(required=False)})
POST_DECIDED = inline_serializer("GroupPostDecided", {
    "post_id": serializers.IntegerField(), "moderation_status": serializers.CharField()})


def _post_decision_schema(operation_id: str, summary: str):
    return extend_schema(tags=TAG, summary=summary, operation_id=operation_id, request=POST_DECISION,
                         responses={200: POST_DECIDED, **error_responses(400, 401, 404, 429)})


class GroupPostDecideView(SocialApiView):
    approve = True

    def post(self, request, group_id, post_id):
        data = body_dict(request)
        post = services.group_post_decide(actor=request.user, group_id=group_id, post_id=post_id,
                                          approve=self.approve, reason=data.get("reason", ""))
        return Response({"post_id": post.pk, "moderation_status": post.moderation_status})


class GroupPostApproveView(GroupPostDecideView):
    approve = True

    @_post_decision_schema("groups_pending_post_approve", "Aprobar una publicación")
    def post(self, request, group_id, post_id):
        return super().post(request, group_id, post_id)


class GroupPostRejectView(GroupPostDecideView):
    approve = False

    @_post_decision_schema("groups_pending_post_reject", "Rechazar una publicación")
    def post(self, request, group_id, post_id):
        return super().post(request, group_id, post_id)


class GroupNotificationsView(SocialApiView):
    @extend_schema(
        tags=TAG, summary="Qué te avisa este grupo", operation_id="groups_notifications",
        request=inline_serializer("GroupNotifyPreference", {
            "preference": serializers.ChoiceField(choices=["all", "mentions_only", "none"])}),
        responses={200: inline_serializer("GroupNotifyPreferenceSet", {
            "group_id": serializers.IntegerField(), "preference": serializers.CharField()}),
            **error_responses(400, 401, 404, 429)},
    )
    def put(self, request, group_id):
        data = body_dict(request)
        membership = services.group_notify_set(actor=request.user, group_id=group_id,
                                               preference=data.get("preference"))
        return Response({"group_id": membership.group_id, "preference": membership.notification_preference})
