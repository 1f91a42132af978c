from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "qiangxian.reports"
    label = "reports"
    verbose_name = "报告"

    def ready(self) -> None:
        from qiangxian.core import navigation

        from . import signals  # noqa: F401  (the scheduled monthly report)

        navigation.register(
            navigation.NavItem(
                "reports",
                "报告",
                "reports:index",
                icon="file-earmark-text",
                url_prefix="/reports/",
                roles=frozenset({"admin", "office", "leader", "town", "park"}),
            )
        )
