from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "trellis.assessments"
    label = "assessments"
    default_auto_field = "django.db.models.BigAutoField"
