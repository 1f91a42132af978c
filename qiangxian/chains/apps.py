from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "qiangxian.chains"
    label = "chains"
    verbose_name = "产业链"

    def ready(self) -> None:
        from qiangxian.core import navigation

        nav = navigation.NavItem
        navigation.register(
            nav(
                "chains",
                "产业链图谱",
                "chains:index",
                icon="diagram-3",
                url_prefix="/chains/",
                roles=frozenset({"admin", "office", "leader", "bureau", "town", "park"}),
            )
        )
