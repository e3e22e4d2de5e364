"""``schutznetz check-setup``: what an operator must fix before going live."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def run_checks() -> int:
    problems: list[str] = []
    try:
        connection.ensure_connection()
        print(f"Datenbank erreichbar: {connection.vendor} ({connection.settings_dict['NAME']})")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            problems.append(
                f"{len(pending)} Datenbankmigration(en) ausstehend: 'schutznetz migrate' ausführen."
            )
    except Exception as error:
        problems.append(f"Datenbank nicht erreichbar ({settings.DATABASES['default']['ENGINE']}): {error}")
    if settings.DEMO_MODE:
        problems.append("Demo-Modus ist aktiv (SCHUTZNETZ_DEMO=1): nicht für echte Daten verwenden.")
    if not settings.TWO_FACTOR_REQUIRED:
        problems.append("Zwei-Faktor-Authentifizierung ist nicht verpflichtend (TWO_FACTOR_REQUIRED).")
    keys = [settings.SCHUTZNETZ_VAULT_KEY, settings.SCHUTZNETZ_INDEX_KEY, settings.SCHUTZNETZ_AUDIT_KEY]
    keys.append(settings.SCHUTZNETZ_AUDIT_SIGNING_KEY)
    if len({key.strip() for key in keys}) < len(keys):
        problems.append(
            "Ein Schlüssel ist mehrfach verwendet: SCHUTZNETZ_VAULT_KEY, SCHUTZNETZ_INDEX_KEY, "
            "SCHUTZNETZ_AUDIT_KEY und SCHUTZNETZ_AUDIT_SIGNING_KEY müssen verschieden sein."
        )
    checkpoints = Path(settings.SCHUTZNETZ_AUDIT_CHECKPOINT_DIR)
    try:
        checkpoints.mkdir(parents=True, exist_ok=True)
        writable = os.access(checkpoints, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        problems.append(f"Das Verzeichnis der Audit-Checkpoints ist nicht beschreibbar: {checkpoints}")
    if settings.SCHUTZNETZ_VAULT_RETIRED_KEYS:
        problems.append(
            "Ausgemusterte Tresorschlüssel sind konfiguriert: 'schutznetz vault rotate' ausführen und "
            "sie danach aus SCHUTZNETZ_VAULT_RETIRED_KEYS entfernen."
        )
    if connection.vendor == "sqlite" and not settings.DEMO_MODE:
        problems.append("SQLite ist nur für Demo und Einzelplatz gedacht; im Betrieb PostgreSQL verwenden.")
    try:
        call_command("check", deploy=True, fail_level="WARNING")
    except Exception as error:
        problems.append(f"Django-Sicherheitsprüfung: {error}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if not problems:
        print("Einrichtung in Ordnung.")
    return 1 if problems else 0
