from django.urls import path

from trellis.alerts import views

app_name = "alerts"
urlpatterns = [
    path("alerts/<uuid:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("alerts/<uuid:alert_id>/resolve/", views.resolve, name="resolve"),
]
