"""``schutznetz check-setup``: what an operator must fix before going live."""

from __future__ import annotations

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
    if settings.SCHUTZNETZ_INDEX_KEY.strip() == settings.SCHUTZNETZ_VAULT_KEY.strip():
        problems.append(
            "SCHUTZNETZ_INDEX_KEY ist gleich SCHUTZNETZ_VAULT_KEY: zwei verschiedene Schlüssel erzeugen."
        )
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
