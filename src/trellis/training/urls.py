from django.urls import path

from trellis.training import views

app_name = "training"
urlpatterns = [
    path("training/", views.home, name="home"),
    path("training/agreement/", views.agreement, name="agreement"),
    path("training/agreement.csv", views.agreement_csv, name="agreement_csv"),
    path("training/answers/", views.submit, name="submit"),
    path("training/answers/<uuid:answer_id>/", views.answer, name="answer"),
    path("training/vignettes/<slug:vignette_id>/", views.vignette, name="vignette"),
]
