from django.urls import path

from trellis.plans import views

app_name = "plans"
urlpatterns = [
    path("people/<uuid:person_id>/plan/", views.current, name="current"),
    path("plans/<uuid:plan_id>/", views.detail, name="detail"),
    path("plans/<uuid:plan_id>/decisions/", views.decide, name="decide"),
    path(
        "plans/<uuid:plan_id>/decisions/<uuid:decision_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("plans/<uuid:plan_id>/changes/", views.deviate, name="deviate"),
    path("plans/<uuid:plan_id>/cosign/", views.cosign, name="cosign"),
    path("plans/<uuid:plan_id>/compare/<uuid:other_id>/", views.compare, name="compare"),
    path("plans/<uuid:plan_id>/pdf/", views.pdf, name="pdf"),
]
