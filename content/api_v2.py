"""Wagtail API v2 at /api/v2/ for the mobile app: pages, images, documents (read-only).

Public content only: pages are the live, public pages of the site (Wagtail excludes drafts and
pages behind a view restriction); documents leave out restricted collections and every file
that belongs to a resource that is not free or asks for an email first (the app links to the
resource page, where the gate or the sign-in applies). Anyone may read it, signed in or not.
"""

from __future__ import annotations

from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class _Public:
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]


class PublicPagesAPIViewSet(_Public, PagesAPIViewSet):
    pass


class PublicImagesAPIViewSet(_Public, ImagesAPIViewSet):
    pass


class PublicDocumentsAPIViewSet(_Public, DocumentsAPIViewSet):
    def get_queryset(self):
        from content.models import AccessLevel, ResourcePage

        open_files = ResourcePage.objects.live().public().filter(
            access_level=AccessLevel.FREE, lead_magnet=False, file__isnull=False
        ).values_list("file_id", flat=True)
        resource_files = ResourcePage.objects.filter(file__isnull=False).values_list("file_id", flat=True)
        # A file attached to any resource is listed only while some live, public, free and
        # ungated resource offers it.
        return super().get_queryset().exclude(pk__in=resource_files.exclude(file_id__in=open_files))


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
