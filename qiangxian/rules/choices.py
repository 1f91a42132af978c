"""Enumerations of the rules app."""

from django.db import models


class ResultType(models.TextChoices):
    """What a custom rule answers: a condition, a number (points) or an amount of money."""

    BOOL = "bool", "条件（是/否）"
    NUMBER = "number", "数值/得分"
    MONEY = "money", "金额"


class Outcome(models.TextChoices):
    """The three outcomes of a condition, as used in filters and exports."""

    MET = "met", "满足"
    NOT_MET = "not_met", "不满足"
    UNKNOWN = "unknown", "待定"
