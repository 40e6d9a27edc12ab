"""Users in Django's admin (superusers only): deactivating one there ends its sessions and tokens at once,
as `user_deactivate` does."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .account_services import user_deactivated
from .models import User


@admin.register(User)
class SanlianUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "region", "is_active", "is_superuser", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "display_name", "email")
    raw_id_fields = ("region", "enterprise")
    readonly_fields = ("last_login", "date_joined", "password_changed_at")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("平台角色与范围"), {"fields": ("role", "display_name", "region", "enterprise", "password_changed_at")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_deactivated(actor=request.user, user=obj)
