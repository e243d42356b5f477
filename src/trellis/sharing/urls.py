from django.urls import path

from trellis.sharing import views

app_name = "sharing"
urlpatterns = [
    path("me/sharing/", views.consents, name="consents"),
    path("me/sharing/new/", views.consent_new, name="consent_new"),
    path("me/sharing/disclosures/", views.disclosures, name="disclosures"),
    path("me/sharing/disclosures.csv", views.disclosures_csv, name="disclosures_csv"),
    path("me/sharing/invite/", views.invite, name="invite"),
    path(
        "me/sharing/invitations/<uuid:invitation_id>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("me/sharing/family/<uuid:link_id>/end/", views.link_end, name="link_end"),
    path("me/sharing/<uuid:consent_id>/", views.consent, name="consent"),
    path("me/sharing/<uuid:consent_id>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("join/<str:token>/", views.join, name="join"),
    path("family/people/<uuid:person_id>/", views.shared, name="shared"),
    path(
        "family/people/<uuid:person_id>/<slug:category>/",
        views.shared_category,
        name="shared_category",
    ),
    path("family/sessions/", views.family_sessions, name="family_sessions"),
    path("family/sessions/<uuid:invite_id>/reply/", views.session_reply, name="session_reply"),
    path("people/<uuid:person_id>/family/", views.care_team, name="care_team"),
    path("people/<uuid:person_id>/family/sessions/", views.session_new, name="session_new"),
    path(
        "people/<uuid:person_id>/family/sessions/<uuid:session_id>/",
        views.session,
        name="session",
    ),
    path("people/<uuid:person_id>/family/invite/", views.staff_invite, name="staff_invite"),
    path(
        "people/<uuid:person_id>/consents/<uuid:consent_id>/disclosure/",
        views.disclosure,
        name="disclosure",
    ),
    path(
        "people/<uuid:person_id>/consents/<uuid:consent_id>/revoke/",
        views.staff_revoke,
        name="staff_revoke",
    ),
    path(
        "people/<uuid:person_id>/consents/<uuid:consent_id>/ended/",
        views.consent_ended,
        name="consent_ended",
    ),
]
