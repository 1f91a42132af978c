"""Undoing a 20,000-enterprise registry import batch: the work the background job does.

The page only queues the job (it answers at once); this measures the job itself.
"""

from __future__ import annotations

from _setup import median_time, report, setup
from registry_import import _file


def main() -> None:
    setup(name="registry_undo")
    from qiangxian.core.models import User
    from qiangxian.demo.generator import generate_demo
    from qiangxian.enterprises.importers import import_registry
    from qiangxian.enterprises.importers.batches import _undo

    ctx = generate_demo(enterprises=200, password="Bench-pass-2026")
    office = User.objects.get(username="office")
    content = _file(20_000, [t.name for t in ctx.towns])
    batch = import_registry(actor=office, content=content, file_name="bench.xlsx").batch
    report("registry.undo_20k", median_time(lambda: _undo(actor=office, batch_id=batch.pk), repeat=1), "s")


if __name__ == "__main__":
    main()
