from django.urls import path

from trellis.recovery import views

app_name = "recovery"
urlpatterns = [
    path("me/", views.tools, name="home"),
    path("me/check-in/", views.checkin, name="checkin"),
    path("me/check-ins/", views.checkins, name="checkins"),
    path("me/check-ins/<uuid:checkin_id>/", views.checkin_edit, name="checkin_edit"),
    path("me/check-ins/<uuid:checkin_id>/support/", views.support, name="support"),
    path("me/journal/", views.journal, name="journal"),
    path("me/insights/", views.insights, name="insights"),
    path("me/goals/", views.goals, name="goals"),
    path("me/goals/<uuid:goal_id>/", views.goal_detail, name="goal"),
    path("me/coping/", views.coping, name="coping"),
    path("me/exercises/<slug:exercise_id>/", views.exercise, name="exercise"),
    path("me/relapse-prevention/", views.relapse_prevention, name="relapse_prevention"),
    path("me/relapse-prevention/wallet-card.pdf", views.wallet_card, name="wallet_card"),
    path("me/lifestyle/", views.lifestyle, name="lifestyle"),
    path("me/self-care/", views.self_care, name="self_care"),
    path("me/self-care/<uuid:activity_id>/", views.self_care_mark, name="self_care_mark"),
    path("me/assertive/", views.assertive, name="assertive"),
    path("me/problem-solving/", views.problems, name="problems"),
    path("me/problem-solving/<uuid:worksheet_id>/", views.problems, name="problem"),
    path("me/self-compassion/", views.compassion, name="compassion"),
    path("me/mindfulness/", views.mindfulness, name="mindfulness"),
    path("me/timeline/", views.timeline, name="timeline"),
    path("me/crisis/", views.crisis, name="crisis"),
    path("me/reminders/", views.reminders, name="reminders"),
    path("me/manifest.webmanifest", views.manifest, name="manifest"),
    path("me/sw.js", views.service_worker, name="service_worker"),
    path("people/<uuid:person_id>/self-management/", views.self_management, name="care_team"),
]
