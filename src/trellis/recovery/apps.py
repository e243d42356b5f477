from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "trellis.recovery"
    verbose_name = "Self-management tools"
