from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qiangxian.core"
    label = "core"
    verbose_name = "系统管理"

    def ready(self) -> None:
        from . import access, navigation

        access.scope_choices()

        navigation.register(navigation.NavItem("home", "首页", "core:home", icon="house"))
        admin_roles = frozenset({"office", "admin"})
        navigation.register(
            navigation.NavItem(
                "admin",
                "系统管理",
                "core:user_list",
                icon="gear",
                roles=admin_roles,
                url_prefix="/system/",
                children=(
                    navigation.NavItem("users", "用户管理", "core:user_list", roles=admin_roles),
                    navigation.NavItem("units", "单位管理", "core:orgunit_list", roles=admin_roles),
                    navigation.NavItem("logins", "登录日志", "core:login_logs", roles=admin_roles),
                ),
            )
        )
