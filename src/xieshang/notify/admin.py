from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "verb", "title", "read_at"]
    list_filter = ["verb"]
    search_fields = ["title"]
