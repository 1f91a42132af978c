from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "qiangxian.portal"
    label = "portal"
    verbose_name = "企业服务"

    def ready(self) -> None:
        from qiangxian.core import navigation

        nav = navigation.NavItem
        enterprise = frozenset({"enterprise"})
        navigation.register_home("enterprise", "portal:home")
        navigation.open_to_enterprises(
            "portal:home",
            "portal:record",
            "portal:figures",
            "portal:tiers",
            "portal:policies",
            "portal:demands",
            "portal:visits",
            "portal:projects",
            "portal:land",
            "portal:accounts",
            "portal:account_remove",
            "portal:data_list",
            "portal:data_detail",
            "portal:data_evidence",
            "portal:register",
        )
        navigation.register(
            nav(
                "portal",
                "企业服务",
                "portal:home",
                icon="building-check",
                url_prefix="/portal/",
                roles=enterprise,
                children=(
                    nav("portal_home", "企业首页", "portal:home", roles=enterprise),
                    nav("portal_record", "企业信息", "portal:record", roles=enterprise),
                    nav("portal_figures", "运行数据", "portal:figures", roles=enterprise),
                    nav("portal_tiers", "梯度培育", "portal:tiers", roles=enterprise),
                    nav("portal_policies", "惠企政策", "portal:policies", roles=enterprise),
                    nav("portal_demands", "我的诉求", "portal:demands", roles=enterprise),
                    nav("portal_visits", "走访记录", "portal:visits", roles=enterprise),
                    nav("portal_projects", "投资项目", "portal:projects", roles=enterprise),
                    nav("portal_land", "亩均评价", "portal:land", roles=enterprise),
                    nav("portal_data", "数据填报", "portal:data_list", roles=enterprise),
                    nav("portal_accounts", "企业账号", "portal:accounts", roles=enterprise),
                ),
            )
        )
        officials = frozenset({"admin", "office", "town", "park"})
        navigation.register(
            nav(
                "enterprise_accounts",
                "企业账号",
                "portal:registrations",
                icon="person-badge",
                url_prefix="/portal/registrations/",
                roles=officials,
                children=(
                    nav("portal_registrations", "注册审核与账号", "portal:registrations", roles=officials),
                    nav("portal_data_requests", "企业数据填报", "portal:data_list", roles=officials),
                ),
            )
        )
