"""Encryption at rest and keyed blind indexes for identifying data.

One master key (``SCHUTZNETZ_VAULT_KEY``, 32 bytes, urlsafe base64) yields two keys by HKDF: one
for Fernet encryption of identity records, one for the HMAC blind indexes. Search never decrypts:
it compares HMACs of normalised names and dates (exact) or of Kölner Phonetik codes (fuzzy).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import unicodedata
from typing import Any

import cologne_phonetics
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


class Vault:
    def __init__(self, master_key: str) -> None:
        try:
            master = base64.urlsafe_b64decode(master_key)
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured("SCHUTZNETZ_VAULT_KEY is not urlsafe base64.") from error
        if len(master) != 32:
            raise ImproperlyConfigured("SCHUTZNETZ_VAULT_KEY must be 32 bytes (urlsafe base64).")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(master, b"schutznetz identity encryption")))
        self._index_key = _derive(master, b"schutznetz blind index")

    def encrypt(self, record: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(record, ensure_ascii=False).encode()).decode()

    def decrypt(self, token: str) -> dict[str, Any]:
        record: dict[str, Any] = json.loads(self._fernet.decrypt(token.encode()))
        return record

    def blind(self, *parts: str) -> str:
        message = "\x1f".join(parts).encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


@functools.cache
def get_vault() -> Vault:
    key = settings.SCHUTZNETZ_VAULT_KEY
    if not key:
        raise ImproperlyConfigured("SCHUTZNETZ_VAULT_KEY is not set.")
    return Vault(key)


def normalise_name(name: str) -> str:
    """'  Müller-Lüdenscheidt ' -> 'muller ludenscheidt': case, accents and punctuation folded."""
    text = unicodedata.normalize("NFKD", name.casefold().replace("ß", "ss"))
    letters = "".join(c if c.isalpha() else " " for c in text if not unicodedata.combining(c))
    return " ".join(letters.split())


def phonetic(name: str) -> str:
    """Kölner Phonetik, one code per word: 'Meier', 'Mayer' and 'Maier' all give '67'."""
    words = normalise_name(name)
    return " ".join(code for _, code in cologne_phonetics.encode(words)) if words else ""
