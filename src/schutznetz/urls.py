from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from two_factor.admin import AdminSiteOTPRequired
from two_factor.urls import urlpatterns as two_factor_urls

from schutznetz.kit.views import healthz

if settings.TWO_FACTOR_REQUIRED:
    # The admin signs in through the login with the second factor, and opens only to verified staff.
    admin.site.__class__ = AdminSiteOTPRequired
admin.site.site_header = "Schutznetz – Verwaltung"
admin.site.site_title = "Schutznetz"

# The API documentation is public in the demo; in production it is for signed-in users (the schema's
# own permission: SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]).
api_docs = SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="kit/swagger_ui.html")
if not settings.DEMO_MODE:
    api_docs = login_required(api_docs)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Our German subclasses of the login and set-up views come first and win.
    path("", include("schutznetz.accounts.urls")),
    path("", include(two_factor_urls)),
    path("", include("schutznetz.dashboard.urls")),
    path("", include("schutznetz.network.urls")),
    path("", include("schutznetz.cases.urls")),
    path("", include("schutznetz.notify.urls")),
    path("", include("schutznetz.meetings.urls")),
    path("", include("schutznetz.outreach.urls")),
    path("", include("schutznetz.medical.urls")),
    path("", include("schutznetz.welfare.urls")),
    path("", include("schutznetz.crisis.urls")),
    path("api/v1/", include("schutznetz.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
]

handler400 = "schutznetz.kit.views.bad_request"
handler403 = "schutznetz.kit.views.permission_denied"
handler404 = "schutznetz.kit.views.not_found"
handler500 = "schutznetz.kit.views.server_error"
