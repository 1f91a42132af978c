from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "qiangxian.policies"
    label = "policies"
    verbose_name = "惠企政策"

    def ready(self) -> None:
        from qiangxian.core import navigation

        nav = navigation.NavItem
        officers = frozenset({"admin", "leader", "office", "bureau", "park", "town"})
        # The enterprise's side of fulfilment: what it may get, confirming, applying, its evidence.
        navigation.open_to_enterprises(
            "policies:mine",
            "policies:clause",
            "policies:application",
            "policies:apply",
            "policies:evidence",
        )
        navigation.register(
            nav(
                "policies",
                "惠企政策",
                "policies:overview",
                icon="award",
                url_prefix="/policies/",
                children=(
                    nav("policies_list", "政策库", "policies:list", roles=officers),
                    nav("policies_runs", "政策找人", "policies:runs", roles=officers),
                    nav("policies_exposure", "兑现测算", "policies:exposure", roles=officers),
                    nav("policies_applications", "兑现办理", "policies:applications"),
                    nav("policies_mine", "我可享受的政策", "policies:mine"),
                    nav("policies_figures", "兑现统计", "policies:figures", roles=officers),
                    nav(
                        "policies_draft", "从文本起草", "policies:draft", roles=frozenset({"admin", "office"})
                    ),
                    nav(
                        "policies_sandbox",
                        "政策沙盘",
                        "policies:sandbox",
                        roles=frozenset({"admin", "office", "leader"}),
                        # As the page allows: the county office and the leaders.
                        when=lambda user: user.can_manage or user.role == "leader",
                    ),
                ),
            )
        )

        from qiangxian.core import search, workbench

        from . import search as finding
        from . import workbench as items

        workbench.register("policies", items.sections, roles=items.ROLES)
        search.register("policies", finding.group, roles=finding.ROLES, order=30)
