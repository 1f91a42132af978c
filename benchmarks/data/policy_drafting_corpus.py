"""Annotated corpus for the drafting benchmark (policies.draft_recall / draft_precision).

Format: each document has an id, place, year, ``origin`` and ``split`` ("dev": the parser's rules
were written and corrected against it; "holdout": kept aside, never used to change the parser),
the text, and its annotated clauses. A clause annotation gives ``key`` (a substring of its
quote), its numeric conditions (value in yuan / 亩 / % as a fraction / persons, comparator) and
its benefit (kind; amount, rate, cap, tiers as they should be read).

ORIGIN:
- ``public``: a published policy document, named by ``source`` (title, number, issuing body) and
  ``url`` (where the text was read). The excerpt keeps the document's conditions, figures and
  clause structure (thresholds, tiers, rates, caps, "分别" lists, ranges); the sentences are
  re-worded rather than copied, so ``key`` and ``quote`` refer to the excerpt as kept here.
- ``synthetic``: written for this harness in the style of county, city and provincial support
  measures, not taken from a published document.
The benchmark prints how many of each it scored, and which texts are held out.
"""

PUBLIC = [
    {
        "id": "cq-qijiang-2023",
        "place": "重庆市綦江区",
        "year": 2023,
        "origin": "public",
        "source": "重庆市綦江区人民政府《重庆市綦江区促进工业经济高质量发展的若干政策措施》"
        "（綦江府发〔2023〕28号）",
        "url": "http://cqqj.gov.cn/zwgk_159/zfxxgkml/zcwj/xzgfxwj/gfxwj/202312/t20231218_12713647_wap.html",
        "split": "dev",
        "text": (
            "（一）升规稳规奖励。对首次升为规模以上工业企业的，由区级财政给予奖励，其中新升规企业每家奖励7万元，"
            "小升规企业每家奖励5万元；\n升规后连续三年主营业务收入增长10%及以上的，再给予每家奖励3万元。\n"
            "对新纳入战略性新兴产业、数字经济产业、高技术产业统计之一的规模以上工业企业，给予每家2万元的入库奖励，"
            "达到两种及以上类型的只奖励一次。（牵头单位：区经济信息委，配合单位：区财政局、区统计局）"
        ),
        "clauses": [
            {
                "key": "新升规企业每家奖励7万元",
                "conditions": [],
                "benefit": {"kind": "fixed", "amount": 70000},
            },
            {
                "key": "小升规企业每家奖励5万元",
                "conditions": [],
                "benefit": {"kind": "fixed", "amount": 50000},
            },
            {
                "key": "连续三年主营业务收入增长10%",
                "conditions": [{"value": 0.1, "comparator": ">="}],
                "benefit": {"kind": "fixed", "amount": 30000},
            },
            {"key": "入库奖励", "conditions": [], "benefit": {"kind": "fixed", "amount": 20000}},
        ],
    },
    {
        "id": "zj-wenzhou-industry",
        "place": "浙江省温州市",
        "year": None,  # not stated on the page the text was read from
        "origin": "public",
        "source": "温州市《关于加快推进工业经济高质量发展的若干政策意见》第9条（深入实施机器换人）",
        "url": "https://wxtp.wendu.cn/jsjibook/2/files/basic-html/page8.html",
        "split": "dev",
        "text": (
            "9.深入实施机器换人。重点产业领域企业一年内生产性设备投资500万元以上的技改项目，"
            "按设备投资额的15%给予奖励，最高不超过300万元。\n"
            "企业一年内生产性设备投资200万元至500万元的技改项目，按设备投资额的10%给予奖励；"
            "其中以能源高效化、生产清洁化为重点的绿色改造项目，按设备投资额的12%给予奖励。\n"
            "企业购置激光加工设备的，按实际发生金额的20%给予一次性补助，每家企业年度补助最高不超过100万元。\n"
            "小微企业园内的科技型中小企业，新购置生产设备金额大于100万元的，按设备购置金额的15%给予一次性补助，"
            "最高不超过30万元。\n对列入省级绿色工厂示范名单的，给予50万元奖励。"
        ),
        "clauses": [
            {
                "key": "设备投资500万元以上",
                "conditions": [{"value": 5000000, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.15, "cap": 3000000},
            },
            {
                "key": "200万元至500万元",
                "conditions": [{"value": 2000000, "comparator": ">="}, {"value": 5000000, "comparator": "<"}],
                "benefit": {"kind": "rate", "rate": 0.1},
            },
            {"key": "绿色改造项目", "conditions": [], "benefit": {"kind": "rate", "rate": 0.12}},
            {
                "key": "激光加工设备",
                "conditions": [],
                "benefit": {"kind": "rate", "rate": 0.2, "cap": 1000000},
            },
            {
                "key": "大于100万元",
                "conditions": [{"value": 1000000, "comparator": ">"}],
                "benefit": {"kind": "rate", "rate": 0.15, "cap": 300000},
            },
            {"key": "省级绿色工厂", "conditions": [], "benefit": {"kind": "fixed", "amount": 500000}},
        ],
    },
    {
        "id": "cn-mof-loan-2026",
        "place": "全国",
        "year": 2026,
        "origin": "public",
        "source": "财政部等五部门《关于实施中小微企业贷款贴息政策的通知》（2026年1月20日发布，据新华社报道）",
        "url": "https://reportify.cn/news/1210992930056179712",
        "split": "dev",
        "text": (
            "一、贴息标准。对经办银行向中小微民营企业发放的符合条件的固定资产贷款，财政按每年1.5个百分点给予贴息，"
            "贴息期限最长2年。\n二、单户企业贴息贷款规模上限为5000万元，单户最多可享受贴息150万元。"
        ),
        "clauses": [
            {
                "key": "1.5个百分点",
                "conditions": [],
                "benefit": {"kind": "rate", "rate": 0.015, "cap": 1500000},
            },
        ],
    },
    {
        "id": "sx-zonggai-innovation",
        "place": "山西转型综合改革示范区",
        "year": None,  # not stated on the page the text was read from
        "origin": "public",
        "source": "山西转型综合改革示范区管理委员会《山西转型综合改革示范区促进企业自主创新扶持办法》",
        "url": "https://photoint.net/article/edu/250279.html",
        "split": "dev",
        "text": (
            "对首次认定的国家级专精特新“小巨人”企业，一次性奖励50万元。"
            "对首次认定的省级“专精特新”企业、专精特新“小巨人”企业，分别给予15万元、25万元奖励。"
        ),
        "clauses": [
            {"key": "国家级专精特新", "conditions": [], "benefit": {"kind": "fixed", "amount": 500000}},
            {
                "key": "分别给予15万元、25万元",
                "conditions": [],
                "benefit": {"kind": "fixed", "amount": 150000},
            },
            {
                "key": "分别给予15万元、25万元",
                "conditions": [],
                "benefit": {"kind": "fixed", "amount": 250000},
            },
        ],
    },
    {
        "id": "sx-province-2018",
        "place": "山西省",
        "year": 2018,
        "origin": "public",
        "source": "山西省财政厅 山西省中小企业局《中小微企业发展专项资金管理办法》（晋财建一〔2018〕113号）",
        "url": "https://photoint.net/article/edu/250279.html",
        "split": "dev",
        "text": "对认定的省级“专精特新”中小企业，给予最高不超过30万元的一次性奖励。",
        "clauses": [
            {"key": "省级“专精特新”中小企业", "conditions": [], "benefit": {"kind": "fixed", "cap": 300000}},
        ],
    },
    {
        "id": "zj-shaoxing-industry",
        "place": "浙江省绍兴市",
        "year": None,  # not stated on the page the text was read from
        "origin": "public",
        "source": "绍兴市《关于加快工业经济高质量发展的若干政策》（绍兴市惠企政策平台 policy_id=191）",
        "url": "http://reward.sx.gov.cn/app/policy?policy_id=191",
        "split": "holdout",
        "text": (
            "（一）集成电路企业当年销售收入首次超过5000万元、1亿元、5亿元、10亿元的，分别一次性奖励20万元、"
            "50万元、100万元、200万元。当年首次列入国家级、省级信息化项目的，分别一次性奖励20万元、10万元。"
            "实际投资额30万元及以上的信息化应用项目，验收后按实际投入的15%予以奖励，最高不超过100万元。\n"
            "（二）对列入市工业重点项目计划的高端装备、现代医药、新材料等新兴产业项目，按当年设备技术投资额的8%"
            "予以奖励，单个项目最高不超过1000万元。"
        ),
        "clauses": [
            {
                "key": "首次超过5000万元",
                "conditions": [{"value": 50000000, "comparator": ">"}],
                "benefit": {
                    "kind": "tiers",
                    "tiers": [
                        [50000000, 200000],
                        [100000000, 500000],
                        [500000000, 1000000],
                        [1000000000, 2000000],
                    ],
                },
            },
            {"key": "信息化项目的", "conditions": [], "benefit": {"kind": "fixed", "amount": 200000}},
            {"key": "信息化项目的", "conditions": [], "benefit": {"kind": "fixed", "amount": 100000}},
            {
                "key": "信息化应用项目",
                "conditions": [{"value": 300000, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.15, "cap": 1000000},
            },
            {
                "key": "设备技术投资额的8%",
                "conditions": [],
                "benefit": {"kind": "rate", "rate": 0.08, "cap": 10000000},
            },
        ],
    },
    {
        "id": "gd-guangzhou-2024",
        "place": "广东省广州市",
        "year": 2024,
        "origin": "public",
        "source": "广州市人民政府办公厅《广州市新形势下推动工业企业加快实施技术改造若干措施》"
        "（穗府办规〔2024〕12号）",
        "url": "https://chacewang.com/newsdetail/news616981.html",
        "split": "holdout",
        "text": (
            "一、支持工业企业实施技术改造。对建设期内（最长不超过3年）新设备购置额达到500万元及以上的技术改造投资项目，"
            "按新设备购置额给予不超过20%的事后奖励，单个项目奖励额度不超过500万元。"
            "（责任单位：市工业和信息化局、各区人民政府）\n"
            "二、鼓励中小企业实施技术改造。对企业新设备购置额150万元至500万元的技术改造项目，市每年安排专项资金予以支持。"
        ),
        "clauses": [
            {
                "key": "达到500万元及以上",
                "conditions": [{"value": 5000000, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.2, "cap": 5000000},
            },
        ],
    },
    {
        "id": "fj-province-2022",
        "place": "福建省",
        "year": 2022,
        "origin": "public",
        "source": "福建省促进中小企业发展工作领导小组办公室"
        "《关于福建省加大力度助企纾困激发中小企业发展活力的若干意见》"
        "（闽中小企业办〔2022〕1号），及福建省工业和信息化厅答问所述福州市配套",
        "url": "http://gxt.fujian.gov.cn/zmhd/cjwt/qt/202208/t20220831_5984719.htm",
        "split": "holdout",
        "text": (
            "新认定的国家专精特新“小巨人”企业，由省级财政给予一次性50万元奖励。"
            "福州市对新认定的国家专精特新“小巨人”企业按省级奖励1:0.5配套，即给予25万元的市级财政奖励。"
        ),
        "clauses": [
            {"key": "由省级财政", "conditions": [], "benefit": {"kind": "fixed", "amount": 500000}},
            {"key": "福州市", "conditions": [], "benefit": {"kind": "fixed", "amount": 250000}},
        ],
    },
    {
        "id": "hb-wuhan-2021",
        "place": "湖北省武汉市",
        "year": 2021,
        "origin": "public",
        "source": "武汉市人民政府《关于加快促进企业技术改造若干支持政策的通知》（武政规〔2021〕14号），"
        "据武汉市黄陂区科技和经信局2023年1月17日公示",
        "url": "http://whht.org.cn/news/info/id/4817.html",
        "split": "holdout",
        "text": "对企业实施的智能化改造项目，经审核确认投资额后，按确认投资额的8%给予补助，市、区各承担50%。",
        "clauses": [
            {"key": "智能化改造项目", "conditions": [], "benefit": {"kind": "rate", "rate": 0.08}},
        ],
    },
]

SYNTHETIC = [
    {
        "id": "syn-county-a-2024",
        "place": "某县",
        "year": 2024,
        "origin": "synthetic",
        "split": "dev",
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
        "split": "dev",
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
        "split": "dev",
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


DOCS = PUBLIC + SYNTHETIC
