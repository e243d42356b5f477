from django.urls import path

from trellis.waitlist import views

app_name = "waitlist"
urlpatterns = [
    path("allocation/", views.overview, name="overview"),
    path("allocation/programs/<uuid:program_id>/", views.program, name="program"),
    path("allocation/programs/<uuid:program_id>/capacity/", views.capacity, name="capacity"),
    path("allocation/waitlist/new/", views.entry_new, name="entry_new"),
    path("allocation/waitlist/removed/", views.removed, name="removed"),
    path(
        "allocation/waitlist/<uuid:waitlist_entry_id>/remove/",
        views.entry_remove,
        name="entry_remove",
    ),
    path("allocation/runs/new/", views.run_new, name="run_new"),
    path("allocation/runs/<uuid:run_id>/", views.run, name="run"),
    path("allocation/runs/<uuid:run_id>/change/", views.run_change, name="run_change"),
    path("allocation/runs/<uuid:run_id>/accept/", views.run_accept, name="run_accept"),
]
