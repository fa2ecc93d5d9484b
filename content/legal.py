"""Legal pages editors maintain in Wagtail, and what publishing one does.

Publishing a privacy notice or terms page records its version as an ``accounts.LegalDocument``
(created, or updated when the version is the same), so ``accounts.services.privacy_notice_version``
names it, sign-up consents record it, and the consent middleware asks everyone who accepted
an older version to accept again. The cookie policy is a page only (the banner links to it).
"""

from __future__ import annotations

import html
import re

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|ul|ol|div|blockquote)>|<br\s*/?>|<hr\s*/?>", re.I)


def rich_text_plain(value: str) -> str:
    """Rich text as plain paragraphs (LegalDocument.body is shown with ``linebreaks``)."""
    from wagtail.rich_text import expand_db_html

    text = _BLOCK_END.sub("\n\n", expand_db_html(value or ""))
    text = html.unescape(strip_tags(text))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@transaction.atomic
def legal_document_record(*, page):
    """Create or update the accounts.LegalDocument for a published privacy/terms page."""
    from accounts.models import LegalDocument
    from content.models import LegalKind

    if page.kind not in (LegalKind.PRIVACY, LegalKind.TERMS):
        return None
    doc, _created = LegalDocument.objects.update_or_create(
        kind=page.kind,
        version=page.version.strip(),
        defaults={"title": page.title[:200], "body": rich_text_plain(page.body), "published_at": timezone.now()},
    )
    return doc


def _on_page_published(sender, instance, **kwargs):
    from content.context_processors import chrome_invalidate
    from content.models import LegalPage

    page = instance.specific if not isinstance(instance, LegalPage) else instance
    if isinstance(page, LegalPage):
        legal_document_record(page=page)
        chrome_invalidate()


def _on_page_unpublished(sender, instance, **kwargs):
    from content.context_processors import chrome_invalidate
    from content.models import LegalPage

    if isinstance(instance, LegalPage) or type(instance.specific) is LegalPage:
        chrome_invalidate()


def connect() -> None:
    """Wire the signals (called from ``ContentConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Site
    from wagtail.signals import page_published, page_unpublished

    from content.context_processors import chrome_invalidate
    from content.models import LegalPage, Navigation, SiteSettings

    page_published.connect(_on_page_published, sender=LegalPage, dispatch_uid="content_legal_published")
    page_unpublished.connect(_on_page_unpublished, sender=LegalPage, dispatch_uid="content_legal_unpublished")
    for model in (SiteSettings, Navigation, Site):
        post_save.connect(chrome_invalidate, sender=model, dispatch_uid=f"content_chrome_save_{model.__name__}")
        post_delete.connect(chrome_invalidate, sender=model, dispatch_uid=f"content_chrome_delete_{model.__name__}")
