from django.apps import AppConfig


class MedicalConfig(AppConfig):
    name = "schutznetz.medical"
    label = "medical"
    verbose_name = "Medizinischer Kinderschutz"

    def ready(self) -> None:
        from schutznetz.cases import inbox, sections
        from schutznetz.cases import queries as case_queries
        from schutznetz.medical import policy, queries

        inbox.register("medical", queries.incoming_reports)
        for name, exists in policy.participation_facts().items():
            case_queries.register_participation_fact(name, exists)

        sections.register(
            sections.Section(
                key="befunde",
                title="Befunde",
                url_name="medical:section",
                visible=policy.can_read_findings,
            )
        )
        sections.register(
            sections.Section(
                key="beratung",
                title="Pseudonymisierte Fallberatung",
                url_name="medical:consultation",
                visible=policy.can_consult,
            )
        )
        sections.register(
            sections.Section(
                key="mitteilung",
                title="Mitteilung an das Jugendamt",
                url_name="medical:reports_section",
                visible=policy.can_see_reports,
            )
        )
