"""Photos of findings: checked to be an image, stripped of every metadata (EXIF with place, time and
device), re-encoded as JPEG and sealed like the identity vault (AES-256-GCM, the row's id as
associated data). Shown only to those who may read the findings; never put in a mail."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

MAX_BYTES = 20 * 1024 * 1024
MAX_SIDE = 4000  # pixels: enough to measure a finding with the scale in the picture
ACCEPTED = {"JPEG", "PNG", "HEIF"}
MSG_NOT_IMAGE = "Die Datei ist kein Foto im Format JPEG, PNG oder HEIC."
MSG_SVG = "SVG-Grafiken werden nicht angenommen: bitte ein Foto im Format JPEG, PNG oder HEIC."
MSG_TOO_BIG = "Das Foto ist größer als 20 MB."
MSG_EMPTY = "Die Datei ist leer."


@dataclass(frozen=True)
class CleanPhoto:
    jpeg: bytes
    width: int
    height: int


def clean_photo(upload: IO[bytes], *, size: int) -> CleanPhoto:
    """The photo as it is stored: upright, without metadata, JPEG. A clear German error otherwise."""
    if size > MAX_BYTES:
        raise ValidationError({"photo": MSG_TOO_BIG})
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError({"photo": MSG_TOO_BIG})
    if not raw:
        raise ValidationError({"photo": MSG_EMPTY})
    head = raw[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        raise ValidationError({"photo": MSG_SVG})
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in ACCEPTED:
            raise ValidationError({"photo": MSG_NOT_IMAGE})
        with Image.open(io.BytesIO(raw)) as image:
            upright = ImageOps.exif_transpose(image) or image
            picture = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photo": MSG_NOT_IMAGE}) from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # A new image from the pixels alone: no EXIF, no XMP, no ICC profile, no comment.
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    clean.save(out, format="JPEG", quality=90)
    return CleanPhoto(out.getvalue(), clean.width, clean.height)
