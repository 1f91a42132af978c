from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "qiangxian.inbox"
    label = "inbox"
    verbose_name = "消息"
