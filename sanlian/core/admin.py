from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is read-only, also for superusers."""

    list_display = (
        "created_at", "actor_username", "action", "result", "target_type", "target_id", "enterprise_id", "ip",
    )  # fmt: skip
    list_filter = ("result", "action", "target_type")
    search_fields = ("target_id", "action", "actor_username", "ip")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from . import account_admin  # noqa: E402,F401  (registers the User admin)
