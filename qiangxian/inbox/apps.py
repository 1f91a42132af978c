from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "qiangxian.inbox"
    label = "inbox"
    verbose_name = "消息"

    def ready(self) -> None:
        from qiangxian.core import navigation, workbench

        from . import workbench as items

        workbench.register("inbox", items.sections)

        # Every user has an inbox; the gateway export is the office's.
        navigation.open_to_enterprises("inbox:list", "inbox:mark_read", "inbox:badge", "inbox:open")
