from django.urls import path

from trellis.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("people/<uuid:person_id>/progress/", views.progress, name="progress"),
    path("proposals/<uuid:proposal_id>/accept/", views.accept, name="accept"),
    path("proposals/<uuid:proposal_id>/reject/", views.reject, name="reject"),
]
