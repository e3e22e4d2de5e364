from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "schutznetz.welfare"
    label = "welfare"
    verbose_name = "Kinder- und Jugendhilfe (§ 8a SGB VIII)"
