from django.apps import AppConfig


class TiersConfig(AppConfig):
    name = "qiangxian.tiers"
    label = "tiers"
    verbose_name = "梯度培育"
