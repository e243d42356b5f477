from django.urls import path

from trellis.directory import views

app_name = "directory"
urlpatterns = [
    path("services/", views.search, name="search"),
    path("services/<str:hsds_id>/", views.service, name="service"),
    path("events/", views.calendar, name="events"),
    path("events.ics", views.calendar_ics, name="events_ics"),
    path("events/new/", views.event_new, name="event_new"),
    path("directory/curate/", views.curate, name="curate"),
    path("directory/services/<str:hsds_id>/", views.service_edit, name="service_edit"),
    path("directory/services/<str:hsds_id>/verify/", views.service_verify, name="service_verify"),
    path("directory/services/<str:hsds_id>/close/", views.service_close, name="service_close"),
]
