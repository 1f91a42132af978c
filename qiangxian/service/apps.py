from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "qiangxian.service"
    label = "service"
    verbose_name = "服务企业"

    def ready(self) -> None:
        from qiangxian.core import navigation

        nav = navigation.NavItem
        GOVERNMENT = frozenset({"admin", "leader", "office", "bureau", "park", "town"})
        HANDLERS = frozenset({"admin", "office", "bureau", "park", "town"})
        # The enterprise follows its demand and rates the answer on the demand's own page.
        navigation.open_to_enterprises("service:demand_detail")
        navigation.register(
            nav(
                "demands",
                "服务企业",
                "service:demands",
                icon="chat-square-text",
                url_prefix="/service/",
                children=(
                    nav("service_demands", "企业诉求", "service:demands"),
                    nav("service_my_work", "我的待办", "service:my_work", roles=HANDLERS),
                    nav("service_recruitment", "用工需求", "service:recruitment", roles=GOVERNMENT),
                    nav("service_finance", "融资需求", "service:finance", roles=GOVERNMENT),
                    nav("service_visits", "企业走访", "service:visits"),
                    nav("service_campaigns", "走访活动", "service:campaigns", roles=GOVERNMENT),
                    nav("service_plans", "走访计划", "service:plans", roles=GOVERNMENT),
                    nav("service_league", "晾晒排名", "service:league", roles=GOVERNMENT),
                    nav(
                        "service_groups",
                        "举一反三",
                        "service:groups",
                        roles=frozenset({"office", "admin", "leader"}),
                        # As the page allows: the county office and the leaders.
                        when=lambda user: user.can_manage or user.role == "leader",
                    ),
                    nav("service_rules", "分办规则", "service:rules", roles=frozenset({"office", "admin"})),
                ),
            )
        )

        from qiangxian.core import search, workbench

        from . import search as finding
        from . import workbench as items

        workbench.register("service", items.sections, roles=items.ROLES)
        search.register("service", finding.group, roles=finding.ROLES, order=40)
