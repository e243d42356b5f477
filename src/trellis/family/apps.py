from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "trellis.family"
    default_auto_field = "django.db.models.BigAutoField"
