from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "qiangxian.projects"
    label = "projects"
    verbose_name = "项目"

    def ready(self) -> None:
        from qiangxian.core import navigation

        nav = navigation.NavItem
        navigation.register(
            nav(
                "projects",
                "项目",
                "projects:overview",
                icon="kanban",
                url_prefix="/projects/",
                children=(
                    nav("projects_pipeline", "项目看板", "projects:pipeline"),
                    nav("projects_list", "项目列表", "projects:list"),
                    nav("projects_signed", "签约未开工", "projects:signed_not_started"),
                    nav("projects_progress", "月度进度", "projects:progress"),
                    nav("projects_problems", "问题办理", "projects:problems"),
                    nav("projects_leads", "超期线索", "projects:leads_overdue"),
                    nav(
                        "projects_settings",
                        "参数与目标",
                        "projects:settings",
                        roles=frozenset({"office", "admin"}),
                    ),
                ),
            )
        )
