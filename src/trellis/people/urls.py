from django.urls import path

from trellis.monitoring import views as monitoring_views
from trellis.people import views

app_name = "people"
urlpatterns = [
    # The caseload is the monitoring dashboard: riskiest first, alerts to act on.
    path("caseload/", monitoring_views.caseload, name="caseload"),
    path("people/new/", views.person_new, name="new"),
    path("people/<uuid:person_id>/", views.person_detail, name="detail"),
    path("people/<uuid:person_id>/episodes/", views.episode_admit, name="episode_admit"),
    path(
        "people/<uuid:person_id>/episodes/discharge/",
        views.episode_discharge,
        name="episode_discharge",
    ),
    path("people/<uuid:person_id>/care-team/", views.care_team_add, name="care_team_add"),
    path(
        "people/<uuid:person_id>/care-team/<int:membership_id>/end/",
        views.care_team_end,
        name="care_team_end",
    ),
    path("people/<uuid:person_id>/break-glass/", views.break_glass, name="break_glass"),
    path("supervision/break-glass/", views.break_glass_review, name="break_glass_review"),
    path(
        "supervision/break-glass/<uuid:grant_id>/",
        views.break_glass_review_one,
        name="break_glass_review_one",
    ),
]
