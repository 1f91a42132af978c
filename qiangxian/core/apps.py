from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qiangxian.core"
    label = "core"
    verbose_name = "系统管理"

    def ready(self) -> None:
        from . import access, navigation, signals

        signals.connect()
        access.scope_choices()

        navigation.register(navigation.NavItem("home", "首页", "core:home", icon="house"))
        navigation.open_to_enterprises(
            "core:home",
            "core:login",
            "core:logout",
            "core:password_change",
            "core:roles",
            "core:token_list",
            "core:token_revoke",
        )
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
                    navigation.NavItem("role_requests", "角色变更", "core:role_requests", roles=admin_roles),
                ),
            )
        )
        security_roles = frozenset({"security"})
        navigation.register(
            navigation.NavItem(
                "security",
                "安全管理",
                "core:security_settings",
                icon="shield-lock",
                roles=security_roles,
                url_prefix="/security/",
                children=(
                    navigation.NavItem(
                        "security_settings", "安全设置", "core:security_settings", roles=security_roles
                    ),
                    navigation.NavItem(
                        "role_requests_review", "角色审批", "core:role_requests", roles=security_roles
                    ),
                    navigation.NavItem("lockouts", "账号锁定", "core:login_logs", roles=security_roles),
                    navigation.NavItem("tokens_all", "API 令牌", "core:token_admin", roles=security_roles),
                ),
            )
        )
        navigation.register(
            navigation.NavItem(
                "audit", "安全审计", "core:audit_list", icon="journal-text", roles=frozenset({"auditor"})
            )
        )
