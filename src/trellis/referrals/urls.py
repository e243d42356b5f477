from django.urls import path

from trellis.referrals import views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.worklist, name="worklist"),
    path("referrals/<uuid:referral_id>/", views.detail, name="detail"),
    path("referrals/<uuid:referral_id>/move/", views.move, name="move"),
    path("people/<uuid:person_id>/referrals/", views.person, name="person"),
    path("people/<uuid:person_id>/referrals/send/", views.send, name="send"),
    path("me/referrals/", views.mine, name="mine"),
]
