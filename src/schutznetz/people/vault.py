"""Encryption at rest and keyed blind indexes for identifying data.

Identity records are sealed with AES-256-GCM under the current vault key
(``SCHUTZNETZ_VAULT_KEY``). Each row stores the id of the key that sealed it, and the row's kind
and primary key are the associated data: a record copied into another row, or altered, does not
open. Keys retired by a rotation (``SCHUTZNETZ_VAULT_RETIRED_KEYS``) still open the rows they
sealed until ``schutznetz vault rotate`` has sealed them anew.

Search never decrypts: it compares HMACs of normalised names and dates (exact) or of Kölner
Phonetik codes (fuzzy), under a key of its own (``SCHUTZNETZ_INDEX_KEY``), so that the vault key can
be rotated without rebuilding the index.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import unicodedata
from collections.abc import Iterable
from typing import Any

import cologne_phonetics
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from schutznetz.kit.keys import decode_key, derive, key_id

_NONCE_BYTES = 12


class VaultError(Exception):
    """An identity record that cannot be opened: its key is not configured, or it was altered."""


class SealingKey:
    """One vault key: its public id (a fingerprint, stored with each row) and its AEAD cipher."""

    def __init__(self, master: bytes) -> None:
        self.id = key_id(master, b"schutznetz vault")
        self.aead = AESGCM(derive(master, b"schutznetz identity encryption v2"))


def _associated_data(kind: str, row_id: object, key_id: str) -> bytes:
    return f"schutznetz/{kind}/{row_id}/{key_id}".encode()


class Vault:
    def __init__(self, current_key: str, *, index_key: str, retired_keys: Iterable[str] = ()) -> None:
        self.current = SealingKey(decode_key(current_key, "SCHUTZNETZ_VAULT_KEY"))
        self._keys = {self.current.id: self.current}
        for value in retired_keys:
            key = SealingKey(decode_key(value, "SCHUTZNETZ_VAULT_RETIRED_KEYS"))
            self._keys.setdefault(key.id, key)
        self._index_key = derive(decode_key(index_key, "SCHUTZNETZ_INDEX_KEY"), b"schutznetz blind index")

    @property
    def key_id(self) -> str:
        return self.current.id

    @property
    def retired_key_ids(self) -> list[str]:
        return [key_id for key_id in self._keys if key_id != self.current.id]

    def seal(self, record: dict[str, Any], *, kind: str, row_id: object) -> tuple[str, str]:
        """(key id, token) of the record sealed for the row ``kind``/``row_id`` under the current key."""
        nonce = os.urandom(_NONCE_BYTES)
        plain = json.dumps(record, ensure_ascii=False).encode()
        sealed = self.current.aead.encrypt(nonce, plain, _associated_data(kind, row_id, self.current.id))
        return self.current.id, base64.urlsafe_b64encode(nonce + sealed).decode()

    def seal_bytes(self, data: bytes, *, kind: str, row_id: object) -> tuple[str, bytes]:
        """(key id, sealed bytes) of a file (a photo) for the row ``kind``/``row_id``."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self.current.aead.encrypt(nonce, data, _associated_data(kind, row_id, self.current.id))
        return self.current.id, nonce + sealed

    def open_bytes(self, sealed: bytes, *, key_id: str, kind: str, row_id: object) -> bytes:
        key = self._keys.get(key_id)
        if key is None:
            raise VaultError(
                f"The file {kind}/{row_id} is sealed under key {key_id!r}, which is not configured."
            )
        try:
            return key.aead.decrypt(
                sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _associated_data(kind, row_id, key_id)
            )
        except (InvalidTag, ValueError) as error:
            raise VaultError(f"The file {kind}/{row_id} does not open: it was altered or moved.") from error

    def open(self, token: str, *, key_id: str, kind: str, row_id: object) -> dict[str, Any]:
        key = self._keys.get(key_id)
        if key is None:
            raise VaultError(
                f"The identity record {kind}/{row_id} is sealed under key {key_id!r}, which is not "
                "configured (SCHUTZNETZ_VAULT_KEY or SCHUTZNETZ_VAULT_RETIRED_KEYS)."
            )
        try:
            raw = base64.urlsafe_b64decode(token)
            plain = key.aead.decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _associated_data(kind, row_id, key_id)
            )
        except (InvalidTag, ValueError) as error:
            raise VaultError(
                f"The identity record {kind}/{row_id} does not open: "
                "it was altered or belongs to another row."
            ) from error
        record: dict[str, Any] = json.loads(plain)
        return record

    def blind(self, *parts: str) -> str:
        message = "\x1f".join(parts).encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


@functools.cache
def get_vault() -> Vault:
    key = settings.SCHUTZNETZ_VAULT_KEY
    if not key:
        raise ImproperlyConfigured("SCHUTZNETZ_VAULT_KEY is not set.")
    index_key = settings.SCHUTZNETZ_INDEX_KEY
    if not index_key:
        raise ImproperlyConfigured("SCHUTZNETZ_INDEX_KEY is not set.")
    return Vault(key, index_key=index_key, retired_keys=settings.SCHUTZNETZ_VAULT_RETIRED_KEYS)


def normalise_name(name: str) -> str:
    """'  Müller-Lüdenscheidt ' -> 'muller ludenscheidt': case, accents and punctuation folded."""
    text = unicodedata.normalize("NFKD", name.casefold().replace("ß", "ss"))
    letters = "".join(c if c.isalpha() else " " for c in text if not unicodedata.combining(c))
    return " ".join(letters.split())


def phonetic(name: str) -> str:
    """Kölner Phonetik, one code per word: 'Meier', 'Mayer' and 'Maier' all give '67'."""
    words = normalise_name(name)
    return " ".join(code for _, code in cologne_phonetics.encode(words)) if words else ""
