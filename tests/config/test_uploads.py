"""config.uploads.image_clean: what happens to a picture a person uploads."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from config.uploads import image_clean

ORIENTATION = 0x0112
MAKE = 0x010F
GPS_IFD = 0x8825


def jpeg(size=(40, 20), *, exif: Image.Exif | None = None, left=(255, 0, 0), right=(0, 0, 255)) -> bytes:
    """A JPEG whose left half and right half have different colours."""
    im = Image.new("RGB", size, right)
    im.paste(left, (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=95, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def exif_with(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "CamaraEspia"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (19.0, 25.0, 57.0), 3: "W", 4: (99.0, 7.0, 59.0)})
    return exif


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def reopen(content) -> Image.Image:
    im = Image.open(io.BytesIO(content.read()))
    im.load()
    return im


def code_of(exc: pytest.ExceptionInfo) -> str:
    return exc.value.code


def test_text_file_renamed_jpg_is_rejected():
    with pytest.raises(ValidationError) as exc:
        image_clean(upload(b"esto es texto, no una foto\n" * 20))
    assert code_of(exc) == "INVALID_IMAGE_FORMAT"


def test_truncated_jpeg_is_rejected():
    with pytest.raises(ValidationError) as exc:
        image_clean(upload(jpeg()[:200]))
    assert code_of(exc) == "INVALID_IMAGE_FORMAT"


def test_empty_file_is_rejected():
    with pytest.raises(ValidationError) as exc:
        image_clean(upload(b""))
    assert code_of(exc) == "INVALID_IMAGE_FORMAT"


def test_unsupported_format_is_rejected():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(ValidationError) as exc:
        image_clean(upload(out.getvalue(), name="foto.jpg"))
    assert code_of(exc) == "INVALID_IMAGE_FORMAT"


def test_files_over_5_mb_are_rejected_before_decoding():
    big = jpeg() + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        image_clean(upload(big))
    assert code_of(exc) == "IMAGE_TOO_LARGE"
    assert "5 MB" in exc.value.messages[0]


def test_a_file_just_under_the_limit_is_fine():
    data = jpeg()
    assert len(data) < 5 * 1024 * 1024
    assert image_clean(upload(data)).size > 0


def test_too_many_pixels_is_rejected(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError) as exc:
        image_clean(upload(jpeg(size=(200, 120))))
    assert code_of(exc) == "IMAGE_TOO_LARGE"


def test_exif_is_stripped_including_gps():
    source = jpeg(exif=exif_with(orientation=1))
    assert Image.open(io.BytesIO(source)).getexif().get(MAKE) == "CamaraEspia"  # the input has it
    content = image_clean(upload(source))
    data = content.read()
    assert b"Exif\x00\x00" not in data
    assert b"CamaraEspia" not in data
    im = Image.open(io.BytesIO(data))
    assert im.format == "JPEG"
    assert not im.getexif()
    assert "exif" not in im.info
    assert content.name.endswith(".jpg") and "foto" not in content.name


def test_orientation_is_applied_then_dropped():
    # EXIF orientation 6: the camera was turned; viewers rotate 90° clockwise to display it.
    content = image_clean(upload(jpeg(size=(40, 20), exif=exif_with(orientation=6))))
    im = reopen(content)
    assert im.size == (20, 40)  # now portrait, as the person saw it
    top, bottom = im.getpixel((10, 5)), im.getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60  # the left (red) half is now on top
    assert bottom[2] > 200 and bottom[0] < 60
    assert ORIENTATION not in im.getexif()  # not rotated a second time by viewers


def test_large_pictures_are_resized_to_max_side():
    im = reopen(image_clean(upload(jpeg(size=(1200, 600))), max_side=800))
    assert im.size == (800, 400)


def test_transparent_png_stays_png_without_metadata():
    im = Image.new("RGBA", (30, 30), (0, 128, 0, 0))
    exif = Image.Exif()
    exif[MAKE] = "CamaraEspia"
    out = io.BytesIO()
    im.save(out, format="PNG", exif=exif)
    content = image_clean(upload(out.getvalue(), name="logo.png", content_type="image/png"))
    data = content.read()
    assert content.name.endswith(".png")
    assert b"CamaraEspia" not in data
    assert Image.open(io.BytesIO(data)).mode == "RGBA"
