"""Benchmark: grouping 10,000 demand texts into recurring problems (举一反三).

Prints ``BENCH service.similar_10k <s> s``: the time of ``similar.group_similar`` (jieba words and
character bigrams, TF-IDF, cosine similarity in blocks, connected groups) over 10,000 texts built
from 40 problem descriptions, each varied with place, numbers and filler, plus 2,000 one-off texts.
No database is needed.
"""

from __future__ import annotations

import random
import time

from _setup import ROOT, report  # noqa: F401  (puts the project on the path)

N = 10_000
PLACES = ["城关镇", "青山镇", "河口镇", "白沙镇", "东湖街道", "新城街道", "石塘镇", "青山工业园区"]
FACILITIES = ["道路", "变压器", "供水管网", "天然气管道", "污水管网", "路灯", "停车场", "桥梁"]
ISSUES = ["破损严重货车难行", "频繁跳闸停工", "容量不足无法扩产", "迟迟未接通影响投产", "维修无人负责"]
# 40 distinct problems: a facility and what is wrong with it, said in a few ways.
PROBLEMS = [f"{{p}}{facility}{issue}，已反映{{n}}次" for facility in FACILITIES for issue in ISSUES]


def texts() -> list[str]:
    rng = random.Random(10_000)
    result = []
    for i in range(N):
        if i % 5 == 0:
            words = rng.sample("生产订单物流仓储设备检修安全环保人员培训销售渠道品牌认证", 8)
            result.append("企业反映" + "".join(words) + f"相关情况{i}")
        else:
            template = rng.choice(PROBLEMS)
            result.append(
                template.format(p=rng.choice(PLACES), n=rng.randint(2, 9))
                + rng.choice(["", "，请尽快协调", "，希望帮助解决"])
            )
    return result


def main() -> None:
    from qiangxian.service.similar import _jieba, group_similar

    data = texts()
    _jieba()  # the dictionary is loaded once per process, before any request
    start, cpu = time.perf_counter(), time.process_time()
    groups = group_similar(data)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"# {N} texts, {len(groups)} groups, largest {len(groups[0]) if groups else 0}")
    report("service.similar_10k", elapsed, "s")
    # The processor time alone: on a shared machine the wall time above includes waiting for it.
    report("service.similar_10k_cpu", cpu, "s")


if __name__ == "__main__":
    main()
