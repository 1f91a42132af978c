from django.apps import AppConfig


class TiersConfig(AppConfig):
    name = "qiangxian.tiers"
    label = "tiers"
    verbose_name = "梯度培育"

    def ready(self) -> None:
        from qiangxian.core import navigation

        from .importers import IMPORT_ROLES

        nav = navigation.NavItem
        navigation.register(
            nav(
                "tiers",
                "梯度培育",
                "tiers:pool",
                icon="bar-chart-steps",
                url_prefix="/tiers/",
                children=(
                    nav("tiers_pool", "梯度培育库", "tiers:pool"),
                    nav(
                        "tiers_import",
                        "评价数据导入",
                        "tiers:assessment_import",
                        roles=IMPORT_ROLES,
                    ),
                ),
            )
        )

        from qiangxian.core import workbench

        from . import workbench as items

        workbench.register("tiers", items.sections, roles=items.ROLES)
