"""Staff views of the social network in the Django admin (moderation itself happens on the
moderation queue page, which informs reporters and authors)."""

from django.contrib import admin

from social.models import Comment, FamilyCircle, FamilyCircleMember, Follow, Group, GroupMember, Post, Report


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "author", "type", "visibility", "moderation_status", "reactions_count", "comments_count",
                    "is_featured", "created_at", "deleted_at")
    list_filter = ("type", "visibility", "moderation_status", "is_featured", "is_trending")
    search_fields = ("body", "title", "author__username", "author__email")
    raw_id_fields = ("author", "recipe", "shared_post", "group", "family_circle", "featured_by", "moderated_by")
    readonly_fields = ("reactions_count", "comments_count", "shares_count", "saves_count", "views_count", "virality_score")
    date_hierarchy = "created_at"


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "post", "author", "depth", "moderation_status", "is_deleted", "created_at")
    list_filter = ("moderation_status", "is_deleted")
    search_fields = ("body", "author__username")
    raw_id_fields = ("post", "author", "parent")


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    raw_id_fields = ("user", "invited_by")
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "category", "member_count", "post_count", "is_featured", "deleted_at")
    list_filter = ("type", "category", "is_featured")
    search_fields = ("name", "slug")
    inlines = [GroupMemberInline]
    raw_id_fields = ("created_by",)


class CircleMemberInline(admin.TabularInline):
    model = FamilyCircleMember
    raw_id_fields = ("user", "invited_by")
    extra = 0


@admin.register(FamilyCircle)
class FamilyCircleAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "created_at")
    raw_id_fields = ("owner",)
    inlines = [CircleMemberInline]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "reason", "status", "post", "comment", "reporter", "created_at")
    list_filter = ("status", "reason")
    raw_id_fields = ("reporter", "post", "comment", "resolved_by")


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("follower", "followee", "created_at")
    raw_id_fields = ("follower", "followee")
