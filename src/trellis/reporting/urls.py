from functools import partial

from django.urls import path

from trellis.reporting import views

app_name = "reporting"
urlpatterns = [
    path("reporting/episodes/", views.episodes, name="episodes"),
    path(
        "reporting/episodes/admissions.csv",
        partial(views.episodes_csv, kind="admissions"),
        name="admissions_csv",
    ),
    path(
        "reporting/episodes/discharges.csv",
        partial(views.episodes_csv, kind="discharges"),
        name="discharges_csv",
    ),
    path("reporting/research/", views.research, name="research"),
]
