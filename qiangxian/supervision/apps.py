from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qiangxian.supervision"
    label = "supervision"
    verbose_name = "督办"

    def ready(self) -> None:
        from qiangxian.core import navigation

        nav = navigation.NavItem
        navigation.register(
            nav(
                "supervision",
                "督办",
                "supervision:task_list",
                icon="clipboard-check",
                url_prefix="/supervision/",
                children=(
                    nav("supervision_tasks", "督办事项", "supervision:task_list"),
                    nav("supervision_meetings", "会议", "supervision:meeting_list"),
                    nav(
                        "supervision_draft",
                        "从文件起草",
                        "supervision:draft",
                        roles=frozenset({"office", "admin"}),
                        # A county's meeting and work-plan files become the county's targets.
                        when=lambda user: user.can_manage,
                    ),
                    nav("supervision_units", "单位考核", "supervision:unit_record"),
                    nav(
                        "supervision_settings",
                        "督办参数",
                        "supervision:settings",
                        roles=frozenset({"office", "admin"}),
                    ),
                ),
            )
        )

        from qiangxian.core import workbench

        from . import workbench as items

        workbench.register("supervision", items.sections, roles=items.ROLES)
