from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "schutznetz.cases"
    label = "cases"
    verbose_name = "Fälle"

    def ready(self) -> None:
        from schutznetz.cases import queries, sections
        from schutznetz.cases.advice import policy as advice_policy

        queries.register_participation_fact(advice_policy.SPECIALIST_ASKED, advice_policy.specialist_asked)
        sections.register(
            sections.Section(
                key="beratungsergebnis",
                title="Beratung durch die insoweit erfahrene Fachkraft",
                url_name="cases:advice",
                visible=advice_policy.can_read_advice,
            )
        )
