"""Keys given to the application from outside the database: 32 random bytes, urlsafe base64."""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured


def decode_key(value: str, setting: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(value.strip())
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"{setting} is not urlsafe base64.") from error
    if len(key) != 32:
        raise ImproperlyConfigured(f"{setting} must be 32 bytes (urlsafe base64).")
    return key


def derive(master: bytes, info: bytes) -> bytes:
    """A key for one purpose, derived from a configured key (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def key_id(master: bytes, purpose: bytes) -> str:
    """The public name of a key (16 hex digits), stored with what it sealed; it reveals nothing of it."""
    return hashlib.sha256(derive(master, purpose + b" key id")).hexdigest()[:16]
