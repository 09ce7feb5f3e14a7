from django.urls import include, path

from alongside.api import api
from alongside.core import design
from alongside.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("design/", design.design, name="design"),
    path("accounts/", include("alongside.accounts.urls")),
    path("people/", include("alongside.coaching.urls")),
    path("me/", include("alongside.coaching.me_urls")),
    path("listening/", include("alongside.listening.urls")),
    path("convening/", include("alongside.convening.urls")),
    path("insight/", include("alongside.insight.urls")),
    # The system-health pulse is answered through a private link, with no account (issue 14).
    path("pulse/", include("alongside.insight.pulse_urls")),
    path("network/", include("alongside.network.urls")),
    # The network's public directory and its Open Referral UK API (issue 15): no sign-in.
    path("directory/", include("alongside.network.directory_urls")),
    path("openreferral/", include("alongside.network.openreferral_urls")),
    path("api/", api.urls),
    path("", include("alongside.home.audit.urls")),
    path("", include("alongside.home.urls")),
]

handler500 = "alongside.core.views.server_error"
