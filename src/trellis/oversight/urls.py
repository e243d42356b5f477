from django.urls import path

from trellis.oversight import views

app_name = "oversight"
urlpatterns = [
    path("oversight/", views.index, name="index"),
    path("oversight/fidelity/", views.dashboard, {"section": "fidelity"}, name="fidelity"),
    path("oversight/variation/", views.dashboard, {"section": "variation"}, name="variation"),
    path("oversight/outcomes/", views.dashboard, {"section": "outcomes"}, name="outcomes"),
    path("oversight/access/", views.dashboard, {"section": "access"}, name="access"),
    path("oversight/equity/", views.dashboard, {"section": "equity"}, name="equity"),
    path("people/<uuid:person_id>/visits/", views.visits, name="visits"),
]
