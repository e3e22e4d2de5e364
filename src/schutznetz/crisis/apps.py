from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "schutznetz.crisis"
    label = "crisis"
    verbose_name = "Krisenprotokoll"

    def ready(self) -> None:
        from schutznetz.cases import sections
        from schutznetz.crisis import policy

        sections.register(
            sections.Section(
                key="krise",
                title="Krise",
                url_name="crisis:section",
                visible=policy.can_read_case_crises,
            )
        )
