"""The identity vault: records bound to their rows, a key id per row, rotation, a separate index key."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

from schutznetz.audit.models import AuditEvent
from schutznetz.audit.services import audit_verify
from schutznetz.cases import queries
from schutznetz.cases.vault_rotation import vault_rotate, vault_status
from schutznetz.people.identity import GuardianIdentity, child_identity, guardian_identity, guardian_seal
from schutznetz.people.models import Child, Guardian
from schutznetz.people.vault import Vault, VaultError, get_vault
from tests import factories as f

OLD_KEY = base64.urlsafe_b64encode(b"o" * 32).decode()
NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()
INDEX_KEY = base64.urlsafe_b64encode(b"i" * 32).decode()


@pytest.fixture
def keys() -> Iterator[Any]:
    """Switch the vault's keys inside a test: ``keys(current, retired=[...])``."""
    overrides: list[Any] = []

    def use(current: str, retired: tuple[str, ...] = ()) -> Vault:
        override = override_settings(
            SCHUTZNETZ_VAULT_KEY=current,
            SCHUTZNETZ_VAULT_RETIRED_KEYS=list(retired),
            SCHUTZNETZ_INDEX_KEY=INDEX_KEY,
        )
        override.enable()
        overrides.append(override)
        get_vault.cache_clear()
        return get_vault()

    yield use
    for override in reversed(overrides):
        override.disable()
    get_vault.cache_clear()


def _cases(n: int) -> list[Any]:
    net = f.build_network()
    names = ["Mia", "Ben", "Lea", "Paul", "Emma"]
    return [
        f.make_case(net.dortmund_professional, net.dortmund, f.child_identity(given=names[i], family="Meier"))
        for i in range(n)
    ]


@pytest.mark.django_db
def test_each_row_records_the_key_that_sealed_it_and_no_clear_text(keys: Any) -> None:
    vault = keys(NEW_KEY)
    case = _cases(1)[0]
    child = Child.objects.get(pk=case.child_id)
    assert child.key_id == vault.key_id and len(vault.key_id) == 16
    assert "Mia" not in child.identity and "Meier" not in child.identity and "2021" not in child.identity
    assert child_identity(child).full_name == "Mia Meier"


@pytest.mark.django_db
def test_identities_swapped_between_rows_do_not_open(keys: Any) -> None:
    """A database writer who swaps two children's records does not make one child look like another."""
    keys(NEW_KEY)
    first, second = (Child.objects.get(pk=c.child_id) for c in _cases(2))
    Child.objects.filter(pk=first.pk).update(identity=second.identity)
    first.refresh_from_db()
    with pytest.raises(VaultError, match="belongs to another row"):
        child_identity(first)
    with pytest.raises(VaultError):
        queries.identity_of(first)


@pytest.mark.django_db
def test_guardian_records_are_bound_to_their_row_too(keys: Any) -> None:
    keys(NEW_KEY)
    case = _cases(1)[0]
    guardians = []
    for given in ("Sandra", "Tom"):
        guardian = Guardian.objects.create(child_id=case.child_id, relation="custodial_parent")
        guardian_seal(guardian, GuardianIdentity(given_name=given, family_name="Meier"))
        guardian.save()
        guardians.append(guardian)
    assert [guardian_identity(g).given_name for g in guardians] == ["Sandra", "Tom"]
    guardians[0].identity = guardians[1].identity
    with pytest.raises(VaultError):
        guardian_identity(guardians[0])


@pytest.mark.django_db
def test_an_altered_record_does_not_open(keys: Any) -> None:
    keys(NEW_KEY)
    child = Child.objects.get(pk=_cases(1)[0].child_id)
    raw = bytearray(base64.urlsafe_b64decode(child.identity))
    raw[20] ^= 1
    child.identity = base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(VaultError, match="altered"):
        child_identity(child)


@pytest.mark.django_db
def test_a_retired_key_opens_its_rows_and_an_unknown_key_is_named(keys: Any) -> None:
    keys(OLD_KEY)
    child = Child.objects.get(pk=_cases(1)[0].child_id)
    keys(NEW_KEY)
    with pytest.raises(VaultError, match="not configured"):
        child_identity(child)
    keys(NEW_KEY, retired=(OLD_KEY,))
    assert child_identity(child).given_name == "Mia"


@pytest.mark.django_db
def test_rotation_reseals_in_batches_resumes_and_is_audited(keys: Any) -> None:
    old = keys(OLD_KEY)
    cases = _cases(5)
    new = keys(NEW_KEY, retired=(OLD_KEY,))
    assert vault_status().rows_by_key == {old.key_id: 5} and vault_status().pending == 5

    # Interrupted after one batch of two: the next run goes on where it stopped.
    assert vault_rotate(batch_size=2, max_batches=1) == 2
    assert vault_status().rows_by_key == {old.key_id: 3, new.key_id: 2}
    assert vault_rotate(batch_size=2) == 3
    assert vault_status().rows_by_key == {new.key_id: 5} and vault_status().pending == 0

    # The old key can go: every record opens under the new one alone, and search still finds the
    # children (the blind index has its own key).
    keys(NEW_KEY)
    for case in cases:
        assert child_identity(Child.objects.get(pk=case.child_id)).family_name == "Meier"
    found = queries.child_search_for(
        cases[0].created_by, given_name="Lea", family_name="Meier", birth_date=date(2021, 1, 15)
    )
    assert [m.child.pk for m in found if m.exact] == [cases[2].child_id]

    events = AuditEvent.objects.filter(object_type="Identitätstresor").order_by("id")
    purposes = [e.purpose for e in events]
    assert purposes == [
        "Schlüsselwechsel begonnen",
        "Schlüsselwechsel: Identitäten neu versiegelt",
        "Schlüsselwechsel unterbrochen",
        "Schlüsselwechsel begonnen",
        "Schlüsselwechsel: Identitäten neu versiegelt",
        "Schlüsselwechsel: Identitäten neu versiegelt",
        "Schlüsselwechsel beendet",
    ]
    assert sum(e.details.get("rows", 0) for e in events if e.purpose.endswith("versiegelt")) == 5
    assert audit_verify().ok


@pytest.mark.django_db
def test_the_command_reports_status_and_refuses_rows_under_unknown_keys(keys: Any) -> None:
    keys(OLD_KEY)
    _cases(2)
    new = keys(NEW_KEY, retired=(OLD_KEY,))
    out = StringIO()
    call_command("vault", "rotate", "--batch-size", "1", stdout=out)
    assert "Schlüsselwechsel: 2 Datensätze neu versiegelt." in out.getvalue()
    assert f"Alle Datensätze unter dem aktuellen Schlüssel {new.key_id}." in out.getvalue()

    keys(OLD_KEY)  # the new key lost: its rows cannot be read, and the command says so
    with pytest.raises(CommandError, match="2 Datensätze sind mit einem Schlüssel versiegelt"):
        call_command("vault", "status", stdout=StringIO())


def test_the_blind_index_does_not_depend_on_the_vault_key() -> None:
    one = Vault(OLD_KEY, index_key=INDEX_KEY)
    other = Vault(NEW_KEY, index_key=INDEX_KEY)
    assert one.blind("exact", "meier") == other.blind("exact", "meier")
    assert one.blind("exact", "meier") != Vault(OLD_KEY, index_key=NEW_KEY).blind("exact", "meier")


@pytest.mark.django_db
def test_first_version_rows_are_resealed_and_reindexed_by_the_migration(keys: Any) -> None:
    """Rows of the first version (Fernet, no key id, index keys derived from the vault key) open after
    the migration, bound to their rows, and are found by search."""
    from importlib import import_module

    vault = keys(OLD_KEY)
    case = _cases(1)[0]
    master = base64.urlsafe_b64decode(OLD_KEY)
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"schutznetz identity encryption"
    ).derive(master)
    record = {"given_name": "Mia", "family_name": "Meier", "birth_date": "2021-01-15"}
    legacy = Fernet(base64.urlsafe_b64encode(derived)).encrypt(json.dumps(record).encode()).decode()
    Child.objects.filter(pk=case.child_id).update(identity=legacy, key_id="", exact_key="stale")

    import_module("schutznetz.people.migrations.0002_vault_key_id").reseal(apps, None)

    child = Child.objects.get(pk=case.child_id)
    assert child.key_id == vault.key_id and child_identity(child).full_name == "Mia Meier"
    assert child.exact_key != "stale"
    found = queries.child_search_for(
        case.created_by, given_name="Mia", family_name="Meier", birth_date=date(2021, 1, 15)
    )
    assert [m.child.pk for m in found if m.exact] == [case.child_id]


@pytest.mark.django_db
def test_check_setup_names_a_shared_key_and_retired_keys_left_configured(capsys: Any) -> None:
    from schutznetz.kit.setup_check import run_checks

    with override_settings(
        SCHUTZNETZ_VAULT_KEY=OLD_KEY, SCHUTZNETZ_INDEX_KEY=OLD_KEY, SCHUTZNETZ_VAULT_RETIRED_KEYS=[NEW_KEY]
    ):
        assert run_checks() == 1
    out = capsys.readouterr().out
    assert "Ein Schlüssel ist mehrfach verwendet" in out
    assert "Ausgemusterte Tresorschlüssel sind konfiguriert" in out
