from django.apps import AppConfig


class WaitlistConfig(AppConfig):
    name = "trellis.waitlist"
    label = "waitlist"
    default_auto_field = "django.db.models.BigAutoField"
