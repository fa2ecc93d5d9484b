"""Image uploads: checked by content (not by extension), size-limited, re-encoded with
EXIF stripped. Shared by the profile photo and every later upload (posts, recipes...)."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


def image_decode(data: bytes, *, formats=ALLOWED_FORMATS, invalid_code: str = "INVALID_IMAGE_FORMAT"):
    """Decode ``data`` by its content and return ``(image turned per EXIF, Pillow format)``.

    Raises ValidationError with code ``invalid_code`` (not an image, or a format outside
    ``formats``) or ``IMAGE_TOO_LARGE`` (too many pixels: refused before decoding, so a
    decompression bomb never reaches memory)."""
    Image.MAX_IMAGE_PIXELS = settings.UPLOAD_IMAGE_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()
        if fmt not in formats:
            raise ValidationError(_("Formato no admitido: usa JPG, PNG o WEBP."), code=invalid_code)
        if width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
            # Pillow only warns between 1x and 2x MAX_IMAGE_PIXELS; refuse before decoding.
            raise ValidationError(_("La imagen tiene demasiados píxeles."), code="IMAGE_TOO_LARGE")
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError:
        raise ValidationError(_("La imagen tiene demasiados píxeles."), code="IMAGE_TOO_LARGE")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("El archivo no es una imagen válida (JPG, PNG o WEBP)."), code=invalid_code)
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:  # noqa: S110 - a broken EXIF block must not reject a good picture
        pass
    return image, fmt


def image_clean(upload, *, max_side: int = 2048, max_bytes: int | None = None) -> ContentFile:
    """Return a re-encoded copy of an uploaded image, or raise ValidationError with code
    ``IMAGE_TOO_LARGE`` or ``INVALID_IMAGE_FORMAT``.

    Pillow decodes the bytes to decide the format; the file name is ignored. The copy is
    rotated per EXIF, resized to ``max_side`` and saved without metadata (JPEG, or PNG
    when the image has transparency).
    """
    limit = max_bytes or settings.UPLOAD_IMAGE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size > limit:
        raise ValidationError(
            _("La imagen pesa más de %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, code="IMAGE_TOO_LARGE"
        )
    if size == 0:
        raise ValidationError(_("El archivo está vacío."), code="INVALID_IMAGE_FORMAT")
    upload.seek(0)
    data = upload.read()
    image, _fmt = image_decode(data)
    image.thumbnail((max_side, max_side))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        ext = "png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        ext = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")
