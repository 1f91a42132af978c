"""Filters of the statistics lists."""

from __future__ import annotations

import django_filters

from .models import ImportBatch


class BatchFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=ImportBatch.Status.choices, empty_label="全部状态"
    )

    class Meta:
        model = ImportBatch
        fields = ["status"]
