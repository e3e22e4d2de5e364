"""Identity records sealed with AES-GCM to their row, with the sealing key's id per row; the blind
indexes under the separate index key.

Rows of the first version (Fernet under a key derived from the vault key, indexes under a key derived
from it as well) are opened once with the configured vault keys and sealed anew, in batches.
"""

import base64
import json

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import migrations, models

_BATCH = 1000


def _first_version_ciphers() -> list[Fernet]:
    ciphers = []
    for value in [settings.SCHUTZNETZ_VAULT_KEY, *settings.SCHUTZNETZ_VAULT_RETIRED_KEYS]:
        master = base64.urlsafe_b64decode(value.strip())
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"schutznetz identity encryption"
        ).derive(master)
        ciphers.append(Fernet(base64.urlsafe_b64encode(derived)))
    return ciphers


def _open_first_version(ciphers: list[Fernet], token: str) -> dict:
    for cipher in ciphers:
        try:
            return json.loads(cipher.decrypt(token.encode()))
        except InvalidToken:
            continue
    raise RuntimeError("An identity record opens under none of the configured vault keys.")


def reseal(apps, schema_editor) -> None:
    Child = apps.get_model("people", "Child")
    Guardian = apps.get_model("people", "Guardian")
    if not (Child.objects.filter(key_id="").exists() or Guardian.objects.filter(key_id="").exists()):
        return
    from datetime import date

    from schutznetz.people.identity import CHILD, GUARDIAN, index_keys
    from schutznetz.people.vault import get_vault

    vault = get_vault()
    ciphers = _first_version_ciphers()
    for model, kind in ((Child, CHILD), (Guardian, GUARDIAN)):
        while True:
            rows = list(model.objects.filter(key_id="").order_by("pk")[:_BATCH])
            if not rows:
                break
            for row in rows:
                record = _open_first_version(ciphers, row.identity)
                row.key_id, row.identity = vault.seal(record, kind=kind, row_id=row.pk)
                if kind == CHILD:
                    keys = index_keys(
                        given_name=record["given_name"],
                        family_name=record["family_name"],
                        birth_date=date.fromisoformat(record["birth_date"]),
                    )
                    row.exact_key, row.fuzzy_family_month, row.fuzzy_names = (
                        keys.exact,
                        keys.family_month,
                        keys.names,
                    )
            fields = ["key_id", "identity"]
            if kind == CHILD:
                fields += ["exact_key", "fuzzy_family_month", "fuzzy_names"]
            model.objects.bulk_update(rows, fields)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="child",
            name="key_id",
            field=models.CharField(db_index=True, default="", editable=False, max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="guardian",
            name="key_id",
            field=models.CharField(db_index=True, default="", editable=False, max_length=16),
            preserve_default=False,
        ),
        migrations.RunPython(reseal, elidable=True),
    ]
