from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "qiangxian.enterprises"
    label = "enterprises"
    verbose_name = "企业库"

    def ready(self) -> None:
        from qiangxian.core import navigation

        from . import exports

        exports.register()

        managers = frozenset({"office", "admin"})
        navigation.register(
            navigation.NavItem(
                "enterprises",
                "企业库",
                "enterprises:list",
                icon="building",
                url_prefix="/enterprises/",
                children=(
                    navigation.NavItem("registry", "企业名录", "enterprises:list"),
                    navigation.NavItem("mine", "我的包联企业", "enterprises:mine"),
                    navigation.NavItem("designations", "企业称号", "enterprises:designation_list"),
                    navigation.NavItem("expiring", "称号到期提醒", "enterprises:designation_expiring"),
                    navigation.NavItem("plans", "一企一策", "enterprises:plan_list"),
                    navigation.NavItem("overdue", "逾期措施", "enterprises:plan_overdue"),
                    navigation.NavItem("clusters", "产业集群", "enterprises:cluster_list"),
                    navigation.NavItem("task_forces", "专班", "enterprises:task_force_list"),
                    navigation.NavItem(
                        "import",
                        "名录导入",
                        "enterprises:import",
                        roles=managers,
                        # The registry is the county's: a city's office reads it, imports nothing.
                        when=lambda user: user.can_manage,
                    ),
                ),
            )
        )

        from qiangxian.core import search, workbench

        from . import search as finding
        from . import workbench as items

        workbench.register("enterprises", items.sections, roles=items.ROLES)
        search.register("enterprises", finding.group, roles=finding.ROLES, order=10)
