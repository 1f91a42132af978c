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
                    nav("projects_approvals", "前期手续", "projects:approvals"),
                    nav("projects_approval_units", "审批效能", "projects:approvals_units"),
                    nav("projects_regional", "区域评估", "projects:approvals_regional"),
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

        from qiangxian.core import search, workbench

        from . import search as finding
        from . import workbench as items

        workbench.register("projects", items.sections, roles=items.ROLES)
        search.register("projects", finding.group, roles=finding.ROLES, order=20)
