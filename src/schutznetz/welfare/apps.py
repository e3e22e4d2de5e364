from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "schutznetz.welfare"
    label = "welfare"
    verbose_name = "Kinder- und Jugendhilfe (§ 8a SGB VIII)"

    def ready(self) -> None:
        from schutznetz.cases import inbox
        from schutznetz.welfare import queries

        inbox.register("welfare", queries.incoming_intakes)
