from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "qiangxian.statistics"
    label = "statistics"
    verbose_name = "运行监测"
