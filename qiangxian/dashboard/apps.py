from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "qiangxian.dashboard"
    label = "dashboard"
    verbose_name = "驾驶舱"

    def ready(self) -> None:
        from qiangxian.core import navigation

        government = frozenset({"admin", "leader", "office", "bureau", "park", "town"})
        navigation.register(
            navigation.NavItem(
                "dashboard", "驾驶舱", "dashboard:index", icon="speedometer2", roles=government
            )
        )

        def above_counties(user) -> bool:
            from .counties import counties_of

            return bool(counties_of(user))

        navigation.register(
            navigation.NavItem(
                "counties",
                "各县对比",
                "dashboard:counties",
                icon="bar-chart-steps",
                roles=frozenset({"admin", "leader", "office"}),
                when=above_counties,
            )
        )
