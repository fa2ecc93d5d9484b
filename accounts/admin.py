"""Django admin for staff: users (ban, roles), consents, security audit, legal documents."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import (
    AuditEvent,
    ConsentRecord,
    LegalDocument,
    Notification,
    Profile,
    Role,
    RoleGrant,
    User,
)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    extra = 0
    fk_name = "user"


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    readonly_fields = ("role", "granted_by", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # grants go through the actions so they are audited


class BanForm(forms.Form):
    reason = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("-date_joined",)
    list_display = ("email", "username", "full_name", "user_type", "is_banned", "is_active", "date_joined")
    list_filter = ("user_type", "is_banned", "is_active", "is_staff")
    search_fields = ("email", "username", "first_name", "last_name")
    readonly_fields = ("banned_at", "deleted_at", "last_login", "date_joined")
    inlines = [ProfileInline, RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("email", "username", "password")}),
        (_("Datos personales"), {"fields": ("first_name", "last_name", "user_type", "language", "time_zone")}),
        (_("Estado"), {"fields": ("is_active", "is_banned", "banned_reason", "banned_at", "deleted_at")}),
        (_("Permisos"), {"fields": ("is_staff", "is_superuser", "groups")}),
        (_("Fechas"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "password1", "password2")}),)
    actions = ["grant_nutritionist", "revoke_nutritionist", "grant_admin", "ban_users", "unban_users"]

    def get_readonly_fields(self, request, obj=None):
        # Bans go through the action (reason + audit + session revocation), not a checkbox.
        return (*self.readonly_fields, "is_banned", "banned_reason")

    @admin.display(description=_("Nombre"))
    def full_name(self, obj):
        return obj.full_name

    def _each(self, request, queryset, func, done_msg):
        count = 0
        for user in queryset:
            try:
                func(user)
                count += 1
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{user.email}: {exc}", messages.ERROR)
        if count:
            self.message_user(request, done_msg % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Verificar como nutriólogo(a) (otorgar rol)"))
    def grant_nutritionist(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda u: services.role_grant(actor=request.user, user=u, role=Role.NUTRITIONIST, request=request),
            _("Rol de nutriólogo(a) otorgado a %(n)s usuario(s)."),
        )

    @admin.action(description=_("Retirar rol de nutriólogo(a)"))
    def revoke_nutritionist(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda u: services.role_revoke(actor=request.user, user=u, role=Role.NUTRITIONIST, request=request),
            _("Rol retirado a %(n)s usuario(s)."),
        )

    @admin.action(description=_("Otorgar rol de administrador(a)"))
    def grant_admin(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda u: services.role_grant(actor=request.user, user=u, role=Role.ADMIN, request=request),
            _("Rol de administrador(a) otorgado a %(n)s usuario(s)."),
        )

    @admin.action(description=_("Suspender (con motivo)"))
    def ban_users(self, request, queryset):
        if "apply" in request.POST:
            form = BanForm(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                self._each(
                    request,
                    queryset,
                    lambda u: services.user_ban(actor=request.user, user=u, reason=reason, request=request),
                    _("%(n)s cuenta(s) suspendida(s)."),
                )
                return redirect(request.get_full_path())
        else:
            form = BanForm()
        return render(
            request,
            "admin/accounts/ban_users.html",
            {**self.admin_site.each_context(request), "form": form, "users": queryset, "title": _("Suspender cuentas")},
        )

    @admin.action(description=_("Retirar suspensión"))
    def unban_users(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda u: services.user_unban(actor=request.user, user=u, request=request),
            _("Suspensión retirada a %(n)s cuenta(s)."),
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "user", "actor", "ip_address", "short_agent")
    list_filter = ("kind",)
    search_fields = ("user__email", "ip_address")
    date_hierarchy = "created_at"
    list_select_related = ("user", "actor")

    @admin.display(description=_("Navegador"))
    def short_agent(self, obj):
        return obj.user_agent[:60]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "kind", "version", "granted", "ip_address")
    list_filter = ("kind", "granted", "version")
    search_fields = ("user__email",)
    list_select_related = ("user",)


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "title", "published_at")
    list_filter = ("kind",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "read_at")
    list_filter = ("category", "kind")
    search_fields = ("user__email", "title")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
