from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "qiangxian.dashboard"
    label = "dashboard"
    verbose_name = "驾驶舱"
