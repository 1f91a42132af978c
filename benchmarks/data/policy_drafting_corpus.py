"""Annotated corpus for the drafting benchmark (policies.draft_recall / draft_precision).

Format: each document has an id, place, year, ``origin`` and ``split`` ("tune": the parser's
rules were written against it; "holdout": never looked at while writing the parser), the text,
and its annotated clauses. A clause annotation gives ``key`` (a substring of its quote), its
numeric conditions (value in yuan / 亩 / % as a fraction / persons, comparator) and its benefit
(kind; amount, rate, cap, tiers as they should be read).

ORIGIN: every text below is ``synthetic``: written for this harness in the style of county,
city and provincial support measures, not copied from a published document. Real public texts
(with their source and date) should be added with origin "public" as they are collected; the
benchmark reports how many of each it scored.
"""

DOCS = [
    {
        "id": "syn-county-a-2024",
        "place": "某县",
        "year": 2024,
        "origin": "synthetic",
        "split": "tune",
        "text": (
            "一、支持企业升规入统。对首次纳入规模以上工业企业统计的企业，一次性奖励10万元。（责任单位：县经信局、县统计局）\n"
            "二、鼓励研发投入。对上年度研发费用超过500万元的企业，按研发费用的10%给予补助，最高不超过100万元。（责任单位：县科技局）\n"
            "三、支持技术改造。对企业年度技术改造设备投资1000万元以上的，奖励60万元；500万元以上的，奖励30万元；"
            "200万元以上的，奖励10万元。（责任单位：县经信局、县财政局）\n"
            "四、本措施自发布之日起施行。"
        ),
        "clauses": [
            {"key": "首次纳入规模以上", "conditions": [], "benefit": {"kind": "fixed", "amount": 100000}},
            {
                "key": "研发费用超过500万元",
                "conditions": [{"value": 5000000, "comparator": ">"}],
                "benefit": {"kind": "rate", "rate": 0.1, "cap": 1000000},
            },
            {
                "key": "设备投资1000万元以上",
                "conditions": [{"value": 2000000, "comparator": ">="}],
                "benefit": {
                    "kind": "tiers",
                    "tiers": [[2000000, 100000], [5000000, 300000], [10000000, 600000]],
                },
            },
        ],
    },
    {
        "id": "syn-county-b-2023",
        "place": "某县",
        "year": 2023,
        "origin": "synthetic",
        "split": "tune",
        "text": (
            "（一）对新认定为国家级专精特新“小巨人”企业的，奖励一百万元；对新认定为省级专精特新中小企业的，奖励二十万元。\n"
            "（二）对上年度营业收入首次突破１亿元的企业，奖励１０万元。\n"
            "（三）入驻标准厂房的企业，第1年按租金的100%给予补贴，第2至3年按50%给予补贴，每年最高20万元。"
        ),
        "clauses": [
            {"key": "小巨人", "conditions": [], "benefit": {"kind": "fixed", "amount": 1000000}},
            {"key": "专精特新中小企业", "conditions": [], "benefit": {"kind": "fixed", "amount": 200000}},
            {
                "key": "首次突破",
                "conditions": [{"value": 100000000, "comparator": ">"}],
                "benefit": {"kind": "fixed", "amount": 100000},
            },
            {"key": "标准厂房", "conditions": [], "benefit": {"kind": "schedule", "cap": 200000}},
        ],
    },
    {
        "id": "syn-city-c-2022",
        "place": "某市",
        "year": 2022,
        "origin": "synthetic",
        "split": "tune",
        "text": (
            "1．对年纳税总额超过1亿元的企业，奖励100万元。\n"
            "2．对亩均税收不低于30万元的企业，奖励20万元。\n"
            "3．对投资额特别重大的先进制造业项目，实行一事一议。\n"
            "4．对企业流动资金贷款，按实际支付利息的50%给予贴息，每家企业每年最高50万元。"
        ),
        "clauses": [
            {
                "key": "超过1亿元",
                "conditions": [{"value": 100000000, "comparator": ">"}],
                "benefit": {"kind": "fixed", "amount": 1000000},
            },
            {
                "key": "亩均税收",
                "conditions": [{"value": 300000, "comparator": ">="}],
                "benefit": {"kind": "fixed", "amount": 200000},
            },
            {"key": "一事一议", "conditions": [], "benefit": {"kind": "case_by_case"}},
            {"key": "贴息", "conditions": [], "benefit": {"kind": "rate", "rate": 0.5, "cap": 500000}},
        ],
    },
    {
        "id": "syn-province-d-2023",
        "place": "某省",
        "year": 2023,
        "origin": "synthetic",
        "split": "holdout",
        "text": (
            "（四）加大技改支持。对设备投资额达到2000万元以上的技术改造项目，按设备投资额的8%给予补助，单个项目最高不超过500万元。\n"
            "（五）支持企业上市。对在境内主板上市的企业，给予一次性奖励300万元。\n"
            "（六）对新获批的国家级企业技术中心，奖励100万元。（责任单位：省工业和信息化厅、省财政厅）"
        ),
        "clauses": [
            {
                "key": "设备投资额达到2000万元",
                "conditions": [{"value": 20000000, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.08, "cap": 5000000},
            },
            {"key": "主板上市", "conditions": [], "benefit": {"kind": "fixed", "amount": 3000000}},
            {"key": "企业技术中心", "conditions": [], "benefit": {"kind": "fixed", "amount": 1000000}},
        ],
    },
    {
        "id": "syn-county-e-2025",
        "place": "某县",
        "year": 2025,
        "origin": "synthetic",
        "split": "holdout",
        "text": (
            "第五条 对上年度主营业务收入达到5000万元且增长15%以上的工业企业，奖励20万元。\n"
            "第六条 对年用工300人以上的企业，给予稳岗奖励5万元。\n"
            "第七条 对用地面积50亩以内、亩均税收超过20万元的企业，奖励10万元。\n"
            "第八条 企业参加省级以上展会的，按展位费的50%给予补助，最高5万元。"
        ),
        "clauses": [
            {
                "key": "5000万元且增长",
                "conditions": [{"value": 50000000, "comparator": ">="}, {"value": 0.15, "comparator": ">="}],
                "benefit": {"kind": "fixed", "amount": 200000},
            },
            {
                "key": "300人以上",
                "conditions": [{"value": 300, "comparator": ">="}],
                "benefit": {"kind": "fixed", "amount": 50000},
            },
            {
                "key": "50亩以内",
                "conditions": [{"value": 50, "comparator": "<="}, {"value": 200000, "comparator": ">"}],
                "benefit": {"kind": "fixed", "amount": 100000},
            },
            {"key": "展位费", "conditions": [], "benefit": {"kind": "rate", "rate": 0.5, "cap": 50000}},
        ],
    },
    {
        "id": "syn-city-f-2024",
        "place": "某市",
        "year": 2024,
        "origin": "synthetic",
        "split": "holdout",
        "text": (
            "3.对实缴税金2000万元以上的企业奖励50万元；1000万元以上的奖励20万元；500万元以上的奖励10万元。\n"
            "4.对研发费用占营业收入比重不低于3%的规上企业，按研发费用增量的20%给予奖励，最高200万元。\n"
            "5.新认定为省级以上绿色工厂的，奖励30万元。"
        ),
        "clauses": [
            {
                "key": "实缴税金2000万元以上",
                "conditions": [{"value": 5000000, "comparator": ">="}],
                "benefit": {
                    "kind": "tiers",
                    "tiers": [[5000000, 100000], [10000000, 200000], [20000000, 500000]],
                },
            },
            {
                "key": "不低于3%",
                "conditions": [{"value": 0.03, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.2, "cap": 2000000},
            },
            {"key": "绿色工厂", "conditions": [], "benefit": {"kind": "fixed", "amount": 300000}},
        ],
    },
]
