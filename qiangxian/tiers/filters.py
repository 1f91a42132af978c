"""Filters of the cultivation pool: the registry's own town, park, cluster and search filters."""

from __future__ import annotations

from qiangxian.enterprises.filters import EnterpriseFilter


class PoolFilter(EnterpriseFilter):
    class Meta(EnterpriseFilter.Meta):
        fields = ["q", "town", "park", "cluster"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in self.Meta.fields:
                del self.filters[name]
