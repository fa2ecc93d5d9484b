"""API of the social network: groups (under /api/v1/, no trailing slash)."""

from django.urls import path

from social.api import groups_views as v

urlpatterns = [
    path("groups", v.GroupListView.as_view(), name="groups"),
    path("groups/<str:group_id>", v.GroupDetailView.as_view(), name="group"),
    path("groups/<str:group_id>/join", v.GroupJoinView.as_view(), name="group-join"),
    path("groups/<str:group_id>/leave", v.GroupLeaveView.as_view(), name="group-leave"),
    path("groups/<str:group_id>/members", v.GroupMembersView.as_view(), name="group-members"),
    path("groups/<str:group_id>/members/<str:user_id>", v.GroupMemberView.as_view(), name="group-member"),
    path("groups/<str:group_id>/requests", v.GroupRequestsView.as_view(), name="group-requests"),
    path("groups/<str:group_id>/requests/<str:user_id>/approve", v.GroupRequestApproveView.as_view(),
         name="group-request-approve"),
    path("groups/<str:group_id>/requests/<str:user_id>/decline", v.GroupRequestDeclineView.as_view(),
         name="group-request-decline"),
    path("groups/<str:group_id>/invitations", v.GroupInvitationsView.as_view(), name="group-invitations"),
    path("groups/<str:group_id>/invitation/accept", v.GroupInvitationAcceptView.as_view(),
         name="group-invitation-accept"),
    path("groups/<str:group_id>/invitation/decline", v.GroupInvitationDeclineView.as_view(),
         name="group-invitation-decline"),
    path("groups/<str:group_id>/posts", v.GroupPostsView.as_view(), name="group-posts"),
    path("groups/<str:group_id>/pending-posts", v.GroupPendingPostsView.as_view(), name="group-pending-posts"),
    path("groups/<str:group_id>/pending-posts/<str:post_id>/approve", v.GroupPostApproveView.as_view(),
         name="group-pending-post-approve"),
    path("groups/<str:group_id>/pending-posts/<str:post_id>/reject", v.GroupPostRejectView.as_view(),
         name="group-pending-post-reject"),
    path("groups/<str:group_id>/notifications", v.GroupNotificationsView.as_view(), name="group-notifications"),
]
