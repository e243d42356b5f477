from django.urls import path

from trellis.assessments import views

app_name = "assessments"
urlpatterns = [
    path("people/<uuid:person_id>/intakes/", views.intake_list, name="list"),
    path("intakes/<uuid:intake_id>/sections/<slug:section>/", views.section, name="section"),
    path("intakes/<uuid:intake_id>/questionnaires/", views.instruments, name="instruments"),
    path(
        "intakes/<uuid:intake_id>/questionnaires/<slug:instrument_id>/full/",
        views.request_full,
        name="request_full",
    ),
    path("intakes/<uuid:intake_id>/review/", views.review, name="review"),
    path("intakes/<uuid:intake_id>/result/", views.result, name="result"),
    path("intakes/<uuid:intake_id>/override/", views.override, name="override"),
    path("me/questionnaires/", views.self_report_list, name="self_report_list"),
    path("me/questionnaires/<slug:instrument_id>/", views.self_report, name="self_report"),
]
