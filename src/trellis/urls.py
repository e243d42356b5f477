from django.contrib import admin
from django.urls import include, path

from trellis import errorpages
from trellis.accounts import views as account_views
from trellis.api.fhir import fhir
from trellis.api.v1 import api

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("trellis.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("fhir/", fhir.urls),
    path("admin/", admin.site.urls),
    path("", include("trellis.people.urls")),
    path("", include("trellis.assessments.urls")),
    path("", include("trellis.alerts.urls")),
    path("", include("trellis.plans.urls")),
    path("", include("trellis.recovery.urls")),
    path("", include("trellis.sharing.urls")),
    path("", include("trellis.family.urls")),
    path("", include("trellis.monitoring.urls")),
    path("", include("trellis.directory.urls")),
    path("", include("trellis.referrals.urls")),
    path("", include("trellis.waitlist.urls")),
    path("", include("trellis.oversight.urls")),
    path("", include("trellis.reporting.urls")),
    path("", include("trellis.training.urls")),
]

handler400 = errorpages.bad_request
handler403 = errorpages.forbidden
handler404 = errorpages.not_found
handler500 = errorpages.server_error
