from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "qiangxian.rules"
    label = "rules"
    verbose_name = "规则"

    def ready(self) -> None:
        from qiangxian.core import navigation

        nav = navigation.NavItem
        navigation.register(
            nav(
                "rules",
                "规则",
                "rules:workbench",
                icon="braces",
                url_prefix="/rules/",
                roles=frozenset({"admin", "leader", "office", "bureau", "park", "town"}),
                children=(
                    nav("rules_workbench", "规则工作台", "rules:workbench"),
                    nav("rules_saved", "自定义规则", "rules:list"),
                    nav("rules_reference", "规则语法参考", "rules:reference"),
                ),
            )
        )
