from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, through the application's services only."""

    list_display = [
        "id",
        "at",
        "actor_label",
        "subject_type",
        "subject_id",
        "action",
        "from_status",
        "to_status",
    ]
    list_filter = ["subject_type", "action"]
    search_fields = ["subject_id", "actor_label", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
