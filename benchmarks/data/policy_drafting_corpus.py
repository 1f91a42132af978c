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
The benchmark prints how many of each it scored, and which texts are held out, and reports the
public texts apart from the synthetic ones.

COUNTS: 26 texts. 20 public, from 19 places in 11 provinces (and one national text), years 2018 to
2026 where the page states one: 8 dev, 12 held out. 6 synthetic: 3 dev, 3 held out.

ANNOTATION RULES (as the existing entries read; an officer would confirm the clause so):
- one clause per sum given: "分别给予15万元、25万元" to two categories is two fixed clauses with the
  same key; thresholds paired with sums ("首次突破5000万元、1亿元的，分别奖励20万元、50万元") or a
  list of "X以上的，奖励Y" is one ``tiers`` clause, its condition the lowest threshold;
- conditions are the numeric thresholds the clause's own words state (comparator as written:
  超过/突破 ">", 以上/达到/不低于 ">=", 以下/以内 "<=", a range "A至B" ">=" A and "<" B); a clause
  that refers back ("其中…", "符合奖励条件的") is not given the conditions of the one before; where
  thresholds come in pairs across two lists (产值1亿元 with growth 30%, …) only the entry
  threshold is annotated;
- the benefit: ``fixed`` with ``amount``; ``fixed`` with only ``cap`` for an up-to sum ("最高不超过
  30万元的奖励", "按一定比例给予补助，最高不超过500万元", "分档给予20-500万元"); ``rate`` for a share
  (matching "1:1" of a higher level's money is rate 1.0; "每1000万元奖励2万元" is 0.002); a sum per
  step ("每增加20亿元，奖励20万元") is ``fixed`` with that sum; ``case_by_case`` for 一事一议;
- a sentence that gives no stated sum, rate or cap ("给予保险补贴和奖励", "予以补贴") is no clause.
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
    # --- Added with the second round of public texts (different provinces and years). ---
    {
        "id": "sn-xian-2018",
        "place": "陕西省西安市",
        "year": 2018,
        "origin": "public",
        "source": "西安市人民政府办公厅《关于支持实体经济发展若干财税措施的意见》（市政办发〔2018〕72号）",
        "url": "http://nybiz.cn/law/7276.html",
        "split": "dev",
        "text": (
            "（二）支持企业扩大投资。各区县、开发区新引进总投资1亿元和2亿元以上的重点工业项目，自签约之日起两年内"
            "完成全部投资的，按实际固定资产投入的2%给予补助，最高不超过500万元。对新引进固定资产投资5亿元以上的"
            "高技术工业项目和10亿元以上的新建重点工业项目，按市政府“一事一议、一企一策”方式给予重点支持。"
            "对新增固定资产投入达到1000万元以上的工业技术改造项目，按设备投资额的10%分档给予补助，最高不超过500万元。"
            "（市工信委、市财政局）\n"
            "（三）支持企业快速发展。对年工业产值首次突破10亿元的工业企业，分档给予20-500万元的一次性奖励。"
            "对年产值达到2000万元以上的工业企业，结合产值增速给予奖励，最高不超过50万元。"
            "对每3年内产值由3亿元以下增加到5亿元以上，且年均增速20%以上的企业，连续三年分档给予100-200万元奖励。"
        ),
        "clauses": [
            {
                "key": "实际固定资产投入的2%",
                "conditions": [{"value": 100000000, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.02, "cap": 5000000},
            },
            {
                "key": "一事一议",
                "conditions": [{"value": 500000000, "comparator": ">="}],
                "benefit": {"kind": "case_by_case"},
            },
            {
                "key": "达到1000万元以上的工业技术改造项目",
                "conditions": [{"value": 10000000, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.1, "cap": 5000000},
            },
            {
                # "分档给予20-500万元": the tiers are not given, an up-to sum.
                "key": "首次突破10亿元",
                "conditions": [{"value": 1000000000, "comparator": ">"}],
                "benefit": {"kind": "fixed", "cap": 5000000},
            },
            {
                "key": "年产值达到2000万元以上",
                "conditions": [{"value": 20000000, "comparator": ">="}],
                "benefit": {"kind": "fixed", "cap": 500000},
            },
            {
                "key": "每3年内产值",
                "conditions": [
                    {"value": 300000000, "comparator": "<="},
                    {"value": 500000000, "comparator": ">="},
                    {"value": 0.2, "comparator": ">="},
                ],
                "benefit": {"kind": "fixed", "cap": 2000000},
            },
        ],
    },
    {
        "id": "ha-sanmenxia-2022",
        "place": "河南省三门峡市",
        "year": 2022,
        "origin": "public",
        "source": "三门峡市人民政府《三门峡市支持“双十”企业及百家重点培育企业奖励政策》"
        "（据三门峡市政府2022年11月30日发布的政策解答）",
        "url": "https://www.smx.gov.cn/pageView/article.html?pageNum=1&lmid=7333&wzid=1086583&rlmid=4021",
        "split": "dev",
        "text": (
            "1.奖励大企业（集团）。对年主营业务收入首次超过20 亿元、50亿元、100亿元的企业，"
            "分别一次性奖励100万元、"
            "150万元、200万元。年主营业务收入超过100亿元后，每增加20亿元，奖励20万元。\n"
            "2.奖励百强企业。对首次进入“河南省企业100强”“中国企业500强”的工业企业，分别一次性奖励50万元、100万元。\n"
            "3.奖励涉及战略性新兴产品的企业。对年主营业务收入首次突破5亿元、10亿元，且战略性新兴产品产值占企业"
            "总产值50%以上的企业，分别一次性奖励50万元、100万元。\n"
            "4.奖励“专精特新”企业。对首次被省工业和信息化厅认定为创新型中小企业的，一次性奖励10万元。"
            "首次被认定为河南省“专精特新”中小企业的，再一次性奖励30万元。"
            "首次被工业和信息化部认定为专精特新“小巨人”企业的，再一次性奖励100万元。\n"
            "5.奖励“隐形冠军”企业。对首次入选河南省制造业单项冠军储备库的企业，一次性奖励50万元。"
            "对首次被工业和信息化部认定为制造业单项冠军企业的，一次性奖励200万元。"
        ),
        "clauses": [
            {
                "key": "首次超过20 亿元",
                "conditions": [{"value": 2000000000, "comparator": ">"}],
                "benefit": {
                    "kind": "tiers",
                    "tiers": [[2000000000, 1000000], [5000000000, 1500000], [10000000000, 2000000]],
                },
            },
            {
                "key": "每增加20亿元",
                "conditions": [{"value": 10000000000, "comparator": ">"}],
                "benefit": {"kind": "fixed", "amount": 200000},
            },
            {"key": "100强", "conditions": [], "benefit": {"kind": "fixed", "amount": 500000}},
            {"key": "100强", "conditions": [], "benefit": {"kind": "fixed", "amount": 1000000}},
            {
                "key": "战略性新兴产品产值",
                "conditions": [{"value": 500000000, "comparator": ">"}, {"value": 0.5, "comparator": ">="}],
                "benefit": {"kind": "tiers", "tiers": [[500000000, 500000], [1000000000, 1000000]]},
            },
            {"key": "创新型中小企业", "conditions": [], "benefit": {"kind": "fixed", "amount": 100000}},
            {"key": "“专精特新”中小企业", "conditions": [], "benefit": {"kind": "fixed", "amount": 300000}},
            {"key": "“小巨人”企业", "conditions": [], "benefit": {"kind": "fixed", "amount": 1000000}},
            {"key": "单项冠军储备库", "conditions": [], "benefit": {"kind": "fixed", "amount": 500000}},
            {"key": "制造业单项冠军企业", "conditions": [], "benefit": {"kind": "fixed", "amount": 2000000}},
        ],
    },
    {
        "id": "ha-province-2023",
        "place": "河南省",
        "year": 2023,
        "origin": "public",
        "source": "河南省人民政府《支持重点产业链高端化智能化绿色化全链式改造提升若干政策措施》"
        "（豫政〔2023〕33号）",
        "url": "http://henan.kjzch.com/anyang/2023-10-13/837141.html",
        "split": "dev",
        "text": (
            "（一）支持企业技术改造。聚焦重点产业链高端化、智能化、绿色化全链式改造提升，鼓励企业运用新技术、新装备、"
            "新工艺、新材料实施技术改造。对技术改造示范项目的设备、软件实际投资按一定比例给予后补助，最高不超过1000万元"
            "（“头雁”企业不超过2000万元）。（责任单位：省工业和信息化厅、财政厅）\n"
            "（二）支持“机器换人”示范项目实施。鼓励重点产业链行业开展工业母机和机器人示范应用，对整机购置实际投资"
            "按一定比例给予后补助，最高不超过500万元。（责任单位：省工业和信息化厅、财政厅）\n"
            "（三）引导中小企业“专精特新”发展。鼓励重点产业链国家级专精特新“小巨人”企业加强技术改造，在“小巨人”"
            "称号有效期内，对企业设备、软件实际投资按一定比例给予后补助，最高不超过500万元。"
            "（责任单位：省工业和信息化厅、财政厅）\n"
            "（四）推广应用“三首”产品。支持重点产业链企业首台（套）重大技术装备、首批次材料、首版次软件产品研发和应用，"
            "对符合条件的企业给予保险补贴和奖励。（责任单位：省工业和信息化厅、财政厅）"
        ),
        "clauses": [
            # "按一定比例给予后补助，最高不超过…": no rate is stated, an up-to sum.
            {"key": "技术改造示范项目", "conditions": [], "benefit": {"kind": "fixed", "cap": 10000000}},
            {"key": "整机购置", "conditions": [], "benefit": {"kind": "fixed", "cap": 5000000}},
            {"key": "称号有效期内", "conditions": [], "benefit": {"kind": "fixed", "cap": 5000000}},
        ],
    },
    {
        "id": "zj-shengzhou-2022",
        "place": "浙江省嵊州市",
        "year": 2022,
        "origin": "public",
        "source": "嵊州市人民政府《加快推进工业经济高质量发展若干政策》"
        "（2022年12月19日发布，信息来源：市招商投资中心；"
        "所读页面为该文的转载，繁体）",
        "url": "http://www.bjhold.com/art/2022/12/19/art_1529980_59040743.html",
        "split": "holdout",
        "text": (
            "（一）深入推进数字经济系统建设。推进未来工厂建设，对当年被评为省级未来工厂、省级智能工厂、\n"
            "绍兴市级智能工厂、省级数字化车间、绍兴市级数字化车间的，\n"
            "分别给予 100 万元、30 万元、20 万元、15 万元、10 万元奖励。\n"
            "（责任单位：市经信局）\n"
            "（二）加快推进数字产业化。当年首次列入国家电子信息百强企业、省电子信息产业百家重点企业\n"
            "的，分别一次性奖励 20 万元、10 万元。通过软件企业评估并纳入浙江省经济和信息化数据服务平台\n"
            "的软件企业，年销售收入首次突破 1000 万元、2000 万元、5000\n"
            "万元、1 亿元的，分别一次性奖励 10 万元、20 万元、50 万\n"
            "元、100 万元。当年认定为省级首版次软件的产品，给予企业一次性奖励 50 万元。（责任单位：市经信局）"
        ),
        "clauses": [
            {"key": "省级未来工厂", "conditions": [], "benefit": {"kind": "fixed", "amount": 1000000}},
            {"key": "省级未来工厂", "conditions": [], "benefit": {"kind": "fixed", "amount": 300000}},
            {"key": "省级未来工厂", "conditions": [], "benefit": {"kind": "fixed", "amount": 200000}},
            {"key": "省级未来工厂", "conditions": [], "benefit": {"kind": "fixed", "amount": 150000}},
            {"key": "省级未来工厂", "conditions": [], "benefit": {"kind": "fixed", "amount": 100000}},
            {"key": "电子信息百强", "conditions": [], "benefit": {"kind": "fixed", "amount": 200000}},
            {"key": "电子信息百强", "conditions": [], "benefit": {"kind": "fixed", "amount": 100000}},
            {
                "key": "年销售收入首次突破",
                "conditions": [{"value": 10000000, "comparator": ">"}],
                "benefit": {
                    "kind": "tiers",
                    "tiers": [
                        [10000000, 100000],
                        [20000000, 200000],
                        [50000000, 500000],
                        [100000000, 1000000],
                    ],
                },
            },
            {"key": "首版次软件", "conditions": [], "benefit": {"kind": "fixed", "amount": 500000}},
        ],
    },
    {
        "id": "ah-changfeng",
        "place": "安徽省合肥市长丰县",
        "year": None,  # not stated on the page; the preamble cites the city's 12th party congress
        "origin": "public",
        "source": "长丰县《长丰县推动经济高质量发展若干政策》第一部分（支持先进制造业发展政策）；"
        "所读页面把“政”“党”等字替换为星号",
        "url": "http://z7x5u8.firk.cn/zc/9797.html",
        "split": "holdout",
        "text": (
            "一、支持先进制造业发展政策\n（一）扩大制造业投资\n"
            "1.鼓励新引进工业项目。新引进先进制造业项目固定资产投资1000万元以上的，按固定资产投资额的10%给予"
            "最高2000万元补贴，其中50%的奖补资金待企业达产升规后兑现。补助资金由市、县按1:1比例承担。\n"
            "2.推动企业技改升级。存量工业企业升级改造投资500万元以上（含）的，按购置新设备投资额的15%给予最高"
            "2000万元补贴。补助资金由市、县按1:1比例承担。\n"
            "（二）推动企业技术创新\n"
            "1.创新示范奖励。对新认定的国家级及省级制造业创新中心、技术创新示范企业，分别给予50万元、20万元一次性奖补；"
            "对揭榜完成全省重点领域补短板和关键技术攻关任务并获得省级奖补资金的企业，给予20万元一次性奖补；"
            "对新认定的省级首台套重大技术装备、首批次新材料、首版次软件研发示范应用项目，按省级补助资金1:1给予配套奖励，"
            "每个企业最高不超过20万元。\n"
            "2.创新产品奖励。对新认定的安徽工业精品企业给予20万元一次性奖补；新认定的市级品牌示范企业给予10万元一次性奖补；"
            "新认定的安徽省新产品给予5万元奖补，每个企业最高奖补不超过20万元；新认定的安徽省信息消费创新产品给予5万元奖补，"
            "每个企业最高奖补不超过20万元。"
        ),
        "clauses": [
            {
                "key": "固定资产投资1000万元以上",
                "conditions": [{"value": 10000000, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.1, "cap": 20000000},
            },
            {
                "key": "升级改造投资500万元以上",
                "conditions": [{"value": 5000000, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.15, "cap": 20000000},
            },
            {"key": "制造业创新中心", "conditions": [], "benefit": {"kind": "fixed", "amount": 500000}},
            {"key": "制造业创新中心", "conditions": [], "benefit": {"kind": "fixed", "amount": 200000}},
            {"key": "揭榜完成", "conditions": [], "benefit": {"kind": "fixed", "amount": 200000}},
            # "按省级补助资金1:1给予配套奖励": as much again as the province gave, up to the cap.
            {"key": "首台套", "conditions": [], "benefit": {"kind": "rate", "rate": 1.0, "cap": 200000}},
            {"key": "工业精品企业", "conditions": [], "benefit": {"kind": "fixed", "amount": 200000}},
            {"key": "品牌示范企业", "conditions": [], "benefit": {"kind": "fixed", "amount": 100000}},
            {
                "key": "安徽省新产品",
                "conditions": [],
                "benefit": {"kind": "fixed", "amount": 50000, "cap": 200000},
            },
            {
                "key": "信息消费创新产品",
                "conditions": [],
                "benefit": {"kind": "fixed", "amount": 50000, "cap": 200000},
            },
        ],
    },
    {
        "id": "sn-hanzhong-2021",
        "place": "陕西省汉中市",
        "year": 2021,
        "origin": "public",
        "source": "汉中市《关于推进制造业高质量发展实现工业倍增的实施方案》所附工业倍增10条支持政策"
        "（据2021年5月13日汉中市惠企惠民政策新闻通气会报道，繁体转载）",
        "url": "http://letaoli.net/3045.html",
        "split": "holdout",
        # The page runs two sentences together without a stop ("500万元对2025年前…"); kept so.
        "text": (
            "对获得国家级制造业创新中心、“单项冠军”和专精特新“小巨人”称号的企业，一次性奖励300万元；"
            "对新引进的投资5亿元以上先进制造业项目，按时竣工投产并纳入统计后，一次性奖励引进县区（园区）100万元；"
            "对年营业收入首次突破100 亿元、300亿元、500亿元、1000 亿元的省级工业集中区，"
            "分别奖励100万元、200万元、"
            "300万元、500万元对2025年前完成工业倍增目标的县区（园区），按其产值在全市总量中的占比给予一次性奖励，"
            "最高不超过1000万元。"
        ),
        "clauses": [
            {"key": "“小巨人”称号", "conditions": [], "benefit": {"kind": "fixed", "amount": 3000000}},
            {
                "key": "投资5亿元以上",
                "conditions": [{"value": 500000000, "comparator": ">="}],
                "benefit": {"kind": "fixed", "amount": 1000000},
            },
            {
                "key": "首次突破100 亿元",
                "conditions": [{"value": 10000000000, "comparator": ">"}],
                "benefit": {
                    "kind": "tiers",
                    "tiers": [
                        [10000000000, 1000000],
                        [30000000000, 2000000],
                        [50000000000, 3000000],
                        [100000000000, 5000000],
                    ],
                },
            },
            {"key": "工业倍增目标", "conditions": [], "benefit": {"kind": "fixed", "cap": 10000000}},
        ],
    },
    {
        "id": "fj-xiamen-2023",
        "place": "福建省厦门市",
        "year": 2023,
        "origin": "public",
        "source": "厦门市《促进2023年一季度工业生产稳定运行有关措施》（据厦门日报2023年1月3日报道）",
        "url": "http://www.wanju.eeju.com/product/2023/0103/1565.html",
        "split": "holdout",
        "text": (
            "2023年一季度工业产值超过1亿元、3亿元、5亿元、10亿元、15亿元，且季度同比增速分别不低于30%、25%、20%、"
            "15%、10%的规模以上工业企业，按不超过企业一季度工业总产值同比增量的0.3%给予奖励；其中，符合奖励条件的"
            "高技术制造业企业按不超过企业一季度工业总产值同比增量的0.5%给予奖励。单家企业单季度奖励不超过100万元。\n"
            "对2023年1月21日至27日期间开工生产的规模以上工业企业，根据实际在岗生产的职工人数、天数，"
            "按市人社局等部门支持春节期间企业不停产的措施予以补贴。"
        ),
        "clauses": [
            # Output and growth thresholds come in pairs (1亿元 with 30%, …, 15亿元 with 10%); only the
            # entry threshold is annotated as a condition.
            {
                "key": "增量的0.3%",
                "conditions": [{"value": 100000000, "comparator": ">"}],
                "benefit": {"kind": "rate", "rate": 0.003, "cap": 1000000},
            },
            {
                "key": "增量的0.5%",
                "conditions": [],
                "benefit": {"kind": "rate", "rate": 0.005, "cap": 1000000},
            },
        ],
    },
    {
        "id": "sc-xichong-2023",
        "place": "四川省南充市西充县",
        "year": 2023,
        "origin": "public",
        "source": "西充县人民政府《西充县支持制造业高质量发展的若干政策措施（试行）》（2023年3月1日），"
        "据查策网摘录的条款",
        "url": "https://www.chacewang.com/newsdetail/news276466.html",
        "split": "holdout",
        "text": (
            "对首次纳入规模以上工业企业的给予30万元奖励。\n"
            "对首次通过绿色建材产品认证的工业企业给予一次性奖励10万元。\n"
            "对新获批和认定的国家级、省级、市级重点（工程）实验室和企业技术中心、工业设计中心、工程（技术）中心"
            "分别给予50万元、20万元、5万元的一次性奖励。"
        ),
        "clauses": [
            {"key": "首次纳入规模以上", "conditions": [], "benefit": {"kind": "fixed", "amount": 300000}},
            {"key": "绿色建材", "conditions": [], "benefit": {"kind": "fixed", "amount": 100000}},
            {"key": "重点（工程）实验室", "conditions": [], "benefit": {"kind": "fixed", "amount": 500000}},
            {"key": "重点（工程）实验室", "conditions": [], "benefit": {"kind": "fixed", "amount": 200000}},
            {"key": "重点（工程）实验室", "conditions": [], "benefit": {"kind": "fixed", "amount": 50000}},
        ],
    },
    {
        "id": "ha-hebi-2022",
        "place": "河南省鹤壁市",
        "year": 2022,
        "origin": "public",
        "source": "鹤壁市人民政府《关于支持工业高质量发展的若干意见（2022—2024年）》（转载于2022年5月13日）",
        "url": "http://ketaijituan.com/newsshow.php?cid=38&id=934",
        "split": "holdout",
        "text": (
            "一、支持产业科技创新\n"
            "1. 支持规模以上工业企业加大研发投入，根据企业上年度研发费用情况给予不超过500万元的后补助支持。\n"
            "2.支持规模以上工业企业建设重点实验室、中试基地，对新认定的全国、省重点实验室，"
            "分别给予一次性奖励 500万元、"
            "300 万元；对新认定的省级中试基地，按省奖补额度给予1∶1 配套奖励。\n"
            "3. 对列入省级制造业创新中心培育名单和认定为省级制造业创新中心的项目，"
            "按省级财政支持金额的25%给予配套支持，"
            "最高不超过100万元。对晋升为国家级制造业创新中心的，除继续享受省级制造业创新中心支持政策外，"
            "给予一次性奖励500万元。\n"
            "4.对国家和省认定的首台（套）成套设备、单台设备，对研发制造单位按省级财政奖励金额的25%给予配套支持，"
            "最高不超过100万元。\n"
            "二、支持新技术改造\n"
            "6.对获得省级财政资金支持的“机器换人”示范项目，按省级财政支持金额的 25%给予配套支持，"
            "最高不超过100万元。"
        ),
        "clauses": [
            {"key": "加大研发投入", "conditions": [], "benefit": {"kind": "fixed", "cap": 5000000}},
            {"key": "重点实验室", "conditions": [], "benefit": {"kind": "fixed", "amount": 5000000}},
            {"key": "重点实验室", "conditions": [], "benefit": {"kind": "fixed", "amount": 3000000}},
            {"key": "中试基地", "conditions": [], "benefit": {"kind": "rate", "rate": 1.0}},
            {"key": "培育名单", "conditions": [], "benefit": {"kind": "rate", "rate": 0.25, "cap": 1000000}},
            {"key": "晋升为国家级", "conditions": [], "benefit": {"kind": "fixed", "amount": 5000000}},
            {
                "key": "首台（套）",
                "conditions": [],
                "benefit": {"kind": "rate", "rate": 0.25, "cap": 1000000},
            },
            {"key": "机器换人", "conditions": [], "benefit": {"kind": "rate", "rate": 0.25, "cap": 1000000}},
        ],
    },
    {
        "id": "hn-changsha-county-2025",
        "place": "湖南省长沙县",
        "year": 2025,
        "origin": "public",
        "source": "长沙县人民政府办公室《长沙县加快建设现代化产业体系 推动经济高质量发展若干措施（试行）》"
        "（2025年5月7日印发）",
        "url": "http://www.csx.gov.cn/zwgk/bmxxgkml/xzfbgs/zcwj73/202505/t20250521_11859097.html",
        "split": "holdout",
        "text": (
            "（一）支持企业发展上规模上台阶。对首次入规的工业企业奖励10万元。对年产值首次达到1亿元、2亿元、5亿元、"
            "10亿元，且同比增速达到15%的工业企业，分别奖励5万元、10万元、15万元、20万元；对年产值10亿元以上的"
            "工业企业，每上一个台阶（10亿元）奖励20万元，单个企业最高奖励200万元。"
            "（责任单位：县工业和信息化局、自贸临空区产业促进局）"
        ),
        "clauses": [
            {"key": "首次入规", "conditions": [], "benefit": {"kind": "fixed", "amount": 100000}},
            {
                "key": "首次达到1亿元",
                "conditions": [{"value": 100000000, "comparator": ">="}, {"value": 0.15, "comparator": ">="}],
                "benefit": {
                    "kind": "tiers",
                    "tiers": [
                        [100000000, 50000],
                        [200000000, 100000],
                        [500000000, 150000],
                        [1000000000, 200000],
                    ],
                },
            },
            {
                # 20万元 for each step of 10亿元, at most 200万元.
                "key": "每上一个台阶",
                "conditions": [{"value": 1000000000, "comparator": ">="}],
                "benefit": {"kind": "fixed", "amount": 200000, "cap": 2000000},
            },
        ],
    },
    {
        "id": "fj-fuzhou-2019",
        "place": "福建省福州市",
        "year": 2019,
        "origin": "public",
        "source": "福州市人民政府办公厅《关于促进工业企业高质量增长的若干措施》"
        "（据福州日报2019年3月25日报道）",
        "url": "http://izzymizzy.com/news/fj/fz/201903/25/1727692.shtml",
        "split": "holdout",
        "text": (
            "年产值5亿元以上、产值比2018年度增长10%以上（全年均衡增长）、工业要素指标占比不低于2018年度水平的企业"
            "（不含新投产企业），按该企业2019年产值较2018年的增量每1000万元奖励2万元；2019年新投产纳统的企业，"
            "年产值完成5亿元～10亿元的，给予一次性奖励100万元，年产值超10亿元的，给予一次性奖励300万元。"
        ),
        "clauses": [
            {
                # 2万元 for each 1000万元 of the increase: 0.2% of it.
                "key": "增量每1000万元奖励2万元",
                "conditions": [{"value": 500000000, "comparator": ">="}, {"value": 0.1, "comparator": ">="}],
                "benefit": {"kind": "rate", "rate": 0.002},
            },
            {
                "key": "新投产纳统",
                "conditions": [{"value": 500000000, "comparator": ">="}],
                "benefit": {"kind": "tiers", "tiers": [[500000000, 1000000], [1000000000, 3000000]]},
            },
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
