from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "qiangxian.inbox"
    label = "inbox"
    verbose_name = "消息"

    def ready(self) -> None:
        from qiangxian.core import workbench

        from . import workbench as items

        workbench.register("inbox", items.sections)
