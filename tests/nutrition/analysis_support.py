"""Shared helpers of the meal photo analysis tests: real image bytes and uploads."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_bytes(color=(200, 120, 40), size=(64, 48), exif: bool = True) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "CamaraDePrueba"  # Make
        data[0x0110] = "Modelo 1"  # Model
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def png_bytes(color=(10, 200, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), color).save(out, format="PNG")
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("P", (20, 20)).save(out, format="GIF")
    return out.getvalue()


def upload(data: bytes, name: str = "comida.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


TACOS_REPLY = {
    "foods": [
        {"name": "Tacos al pastor", "name_en": "Pork tacos", "portion_grams": 225, "pieces": 3,
         "confidence": 8, "estimated_calories": 900},
        {"name": "Frijoles refritos", "name_en": "Refried beans", "portion_grams": 120, "confidence": 5,
         "estimated_calories": 200},
    ]
}

PLAIN_REPLY = {
    "foods": [
        {"name": "Manzana", "name_en": "Apple", "portion_grams": 180, "confidence": 9, "estimated_calories": 95},
        {"name": "Tortillas de maíz", "name_en": "Corn tortillas", "portion_grams": 60, "confidence": 7,
         "estimated_calories": 130},
    ]
}
