from django.apps import AppConfig


class LandConfig(AppConfig):
    name = "qiangxian.land"
    label = "land"
    verbose_name = "园区与土地"

    def ready(self) -> None:
        from qiangxian.core import navigation

        nav = navigation.NavItem
        office = frozenset({"office", "admin", "leader"})
        # The enterprise reads its per-mu result and files an objection during the notice.
        navigation.open_to_enterprises("land:result")
        navigation.register(
            nav(
                "land",
                "园区与土地",
                "land:overview",
                icon="geo-alt",
                url_prefix="/land/",
                children=(
                    nav("land_parcels", "地块台账", "land:parcels"),
                    nav("land_buildings", "厂房楼栋", "land:buildings"),
                    nav("land_idle", "闲置资源", "land:idle"),
                    nav("land_breaches", "履约预警", "land:breaches"),
                    nav("land_match", "空间匹配", "land:match"),
                    nav("land_map", "园区地图", "land:map"),
                    nav("land_results", "亩均评价", "land:results"),
                    nav("land_schemes", "评价方案", "land:schemes", roles=office),
                ),
            )
        )

        from qiangxian.core import workbench

        from . import workbench as items

        workbench.register("land", items.sections, roles=items.ROLES)
