"""The audit trail's keys: the MAC key of the chain and the Ed25519 key that signs checkpoints.

Both come from outside the database (settings), so that whoever can write the database can neither
compute a valid MAC nor sign a checkpoint. A rotated MAC key moves to ``SCHUTZNETZ_AUDIT_RETIRED_KEYS``
and stays there: the segment it sealed is verified with it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Iterable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from schutznetz.kit.keys import decode_key, derive, key_id

# Events of the first version carry no key id: their "MAC" is an unkeyed SHA-256, anchored by the
# first keyed event after them.
UNKEYED = ""
PURPOSE = b"schutznetz audit"


class UnknownKey(KeyError):
    """A segment sealed under a key that is not configured."""


class AuditKeys:
    def __init__(self, current: str, *, retired: Iterable[str] = (), signing_key: str) -> None:
        self._macs: dict[str, bytes] = {}
        configured = [(current, "SCHUTZNETZ_AUDIT_KEY")]
        configured += [(value, "SCHUTZNETZ_AUDIT_RETIRED_KEYS") for value in retired]
        for value, setting in configured:
            master = decode_key(value, setting)
            self._macs.setdefault(key_id(master, PURPOSE), derive(master, PURPOSE + b" mac"))
        self.key_id = key_id(decode_key(current, "SCHUTZNETZ_AUDIT_KEY"), PURPOSE)
        self._signer = Ed25519PrivateKey.from_private_bytes(
            decode_key(signing_key, "SCHUTZNETZ_AUDIT_SIGNING_KEY")
        )
        public = self._signer.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key = base64.urlsafe_b64encode(public).decode()
        self.signer_id = hashlib.sha256(public).hexdigest()[:16]

    def mac(self, key_id: str, content: bytes) -> str:
        if key_id == UNKEYED:
            return hashlib.sha256(content).hexdigest()
        try:
            key = self._macs[key_id]
        except KeyError:
            raise UnknownKey(key_id) from None
        return hmac.new(key, content, hashlib.sha256).hexdigest()

    def sign(self, message: bytes) -> str:
        return base64.urlsafe_b64encode(self._signer.sign(message)).decode()

    def signature_valid(self, message: bytes, signature: str) -> bool:
        public: Ed25519PublicKey = self._signer.public_key()
        try:
            public.verify(base64.urlsafe_b64decode(signature), message)
        except (InvalidSignature, ValueError):
            return False
        return True


@functools.cache
def get_audit_keys() -> AuditKeys:
    return AuditKeys(
        settings.SCHUTZNETZ_AUDIT_KEY,
        retired=settings.SCHUTZNETZ_AUDIT_RETIRED_KEYS,
        signing_key=settings.SCHUTZNETZ_AUDIT_SIGNING_KEY,
    )
