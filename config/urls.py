"""Root URLs: pages, API, operations, admin sites, Wagtail."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.urls import root_patterns as accounts_root
from config import views as ops
from content import views as content_views
from content.api_v2 import api_router

# Django admin signs in through allauth, so staff pass the same 2FA step as everywhere else.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("api/v1/health", ops.health, name="health"),
    path("api/v1/ready", ops.ready, name="ready"),
    path("metrics", ops.metrics, name="metrics"),
    path("api/v1/", include("config.api_urls")),
    # Wagtail API v2 (pages, images, documents) for the mobile app; read-only, public content.
    path("api/v2/", api_router.urls),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", content_views.landing, name="landing"),
    path("", include("accounts.urls")),
    path("", include(accounts_root)),
    path("nutricion/", include("nutrition.urls")),
    path("consulta/", include("clinical.urls")),
    path("comunidad/", include("social.urls")),
    path("retos/", include("gamification.urls")),
    path("entrenamiento/", include("fitness.urls")),
    path("asistente/", include("assistant.urls")),
    path("integraciones/", include("integrations.urls")),
    path("", include("content.urls")),  # blog RSS, sitemap.xml, robots.txt (before Wagtail's catch-all)
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif not settings.AWS_STORAGE_BUCKET_NAME:
    # Local media in the embedded default and the browser tests (DEBUG=0, where `static()` adds
    # nothing); S3 serves its own in production.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Last: every other path is a page editors publish in Wagtail (blog, resources, legal pages,
# forms). Like every page of the platform, the language comes from the person's choice
# (account, cookie, browser): Wagtail serves the translation of the same path in that locale.
urlpatterns += [path("", include(wagtail_urls))]

handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"
