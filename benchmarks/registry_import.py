"""Registry import: a 5,000- and a 50,000-enterprise file, validated and applied in one transaction.

Each run is rolled back afterwards so every repetition imports into the same database.
"""

from __future__ import annotations

import io

from _setup import median_time, report, setup


class _Rollback(Exception):
    pass


def _file(n: int, towns: list[str]) -> bytes:
    import xlsxwriter

    from qiangxian.enterprises.importers import HEADERS
    from qiangxian.enterprises.uscc import USCC_CHARSET, make_uscc

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("企业名录")
    sheet.write_row(0, 0, HEADERS)
    column = {h: i for i, h in enumerate(HEADERS)}
    for r in range(1, n + 1):
        body = "X" + "".join(USCC_CHARSET[(r // 31**k) % 31] for k in range(7))
        sheet.write_string(r, column["统一社会信用代码"], make_uscc("9", "1", "361129", body))
        sheet.write_string(r, column["企业名称"], f"青山基准测试{r}号制造有限公司")
        sheet.write_string(r, column["所属乡镇"], towns[r % len(towns)])
        sheet.write_string(r, column["行业代码"], ["1952", "3311", "1431", "3911"][r % 4])
        sheet.write_string(r, column["经营状态"], "在营")
        sheet.write_number(r, column["用地面积（亩）"], 10 + r % 50 / 4)
        sheet.write_string(r, column["法定代表人"], "张三")
    book.close()
    return buffer.getvalue()


def main() -> None:
    setup()
    from django.db import transaction

    from qiangxian.core.models import User
    from qiangxian.demo.generator import generate_demo
    from qiangxian.enterprises.importers import import_registry

    ctx = generate_demo(enterprises=200, password="Bench-pass-2026")
    office = User.objects.get(username="office")
    towns = [t.name for t in ctx.towns]

    def run(content: bytes) -> None:
        try:
            with transaction.atomic():
                result = import_registry(actor=office, content=content, file_name="bench.xlsx")
                assert result.batch is not None and result.batch.created_count > 0, result.plan.errors[:3]
                raise _Rollback
        except _Rollback:
            pass

    small = _file(5_000, towns)
    report("registry.import_5k", median_time(lambda: run(small), repeat=3), "s")
    large = _file(50_000, towns)
    report("registry.import_50k", median_time(lambda: run(large), repeat=1), "s")


if __name__ == "__main__":
    main()
