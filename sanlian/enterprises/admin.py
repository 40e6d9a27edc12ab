"""Admin for reference data only: registry records change through the services (and their audit trail)."""

from django.contrib import admin

from .models import CertificationType, Cluster, Park, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "path")
    readonly_fields = ("path",)


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "town", "aliases")


admin.site.register(Cluster)
admin.site.register(CertificationType)
