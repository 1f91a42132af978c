from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "qiangxian.statistics"
    label = "statistics"
    verbose_name = "运行监测"

    def ready(self) -> None:
        from qiangxian.core import navigation

        government = frozenset({"admin", "leader", "office", "bureau", "park", "town"})
        navigation.register(
            navigation.NavItem(
                "statistics",
                "运行监测",
                "statistics:overview",
                icon="graph-up",
                roles=government,
                url_prefix="/statistics/",
                children=(
                    navigation.NavItem("stat_overview", "指标总览", "statistics:overview", roles=government),
                    navigation.NavItem("stat_warnings", "运行预警", "statistics:warnings", roles=government),
                    navigation.NavItem("stat_targets", "年度目标", "statistics:targets", roles=government),
                    navigation.NavItem(
                        "stat_imports",
                        "数据导入",
                        "statistics:batches",
                        roles=frozenset({"admin", "leader", "office", "bureau"}),
                    ),
                ),
            )
        )

        from qiangxian.core import workbench

        from . import workbench as items

        workbench.register("statistics", items.sections, roles=items.ROLES)
