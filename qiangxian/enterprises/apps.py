from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "qiangxian.enterprises"
    label = "enterprises"
    verbose_name = "企业库"

    def ready(self) -> None:
        from qiangxian.core import navigation

        navigation.register(navigation.NavItem("enterprises", "企业库", "enterprises:list", icon="building"))
