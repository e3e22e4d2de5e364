from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "schutznetz.welfare"
    label = "welfare"
    verbose_name = "Kinder- und Jugendhilfe (§ 8a SGB VIII)"

    def ready(self) -> None:
        from schutznetz.cases import inbox, sections
        from schutznetz.welfare import policy, queries

        inbox.register("welfare", queries.incoming_intakes)
        inbox.register("welfare_moves", queries.incoming_moves)
        sections.register(
            sections.Section(
                key="gefaehrdungseinschaetzung",
                title="Gefährdungseinschätzung (§ 8a SGB VIII)",
                url_name="welfare:assessment",
                visible=policy.can_assess,
            )
        )
        sections.register(
            sections.Section(
                key="schutz",
                title="Schutzmaßnahmen",
                url_name="welfare:protection",
                visible=policy.can_assess,
            )
        )
        sections.register(
            sections.Section(
                key="fallkonferenzen",
                title="Fallkonferenzen",
                url_name="welfare:conferences",
                visible=policy.can_read_conferences,
            )
        )
        sections.register(
            sections.Section(
                key="wegzug",
                title="Wegzug der Familie (§ 8a Abs. 6 SGB VIII)",
                url_name="welfare:moves",
                visible=policy.can_assess,
            )
        )
        sections.register(
            sections.Section(
                key="hilfeplan",
                title="Hilfeplan (§ 36 SGB VIII)",
                url_name="welfare:help_plan",
                visible=policy.can_read_help_plans,
            )
        )
