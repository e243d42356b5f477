from django.urls import path

from trellis.family import views

app_name = "family"
urlpatterns = [
    path("family/", views.home, name="home"),
    path("family/learn/", views.learn, name="learn"),
    path("family/learn/<slug:topic_id>/", views.topic, name="topic"),
    path("family/support-groups/", views.support_groups, name="support_groups"),
    path("family/boundaries/", views.boundaries, name="boundaries"),
    path("family/boundaries/<uuid:family_sheet_id>/", views.boundaries, name="boundary"),
    path("family/empathy/", views.empathy, name="empathy"),
    path("family/craft/", views.craft, name="craft"),
    path("family/craft/<slug:module_id>/", views.craft_module, name="craft_module"),
    path("family/wellbeing/", views.wellbeing, name="wellbeing"),
    path("family/self-care/", views.self_care, name="self_care"),
    path(
        "family/self-care/<uuid:family_activity_id>/", views.self_care_mark, name="self_care_mark"
    ),
]
