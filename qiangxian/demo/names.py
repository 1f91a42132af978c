"""Plausible Chinese names for a fictional county: places, firms, people."""

COUNTY_NAME = "青山县"
COUNTY_REGION_CODE = "361129"  # the county's 6-digit administrative division code used in its USCCs
# A demo city of several counties (manage.py demo --counties N): its name and the other counties.
CITY_NAME = "赣青市"
OTHER_COUNTIES = ["白沙县", "河口县", "龙潭县", "桃源县", "柳溪县", "石塘县", "马坪县", "高岭县", "东湖县"]


def county_name(index: int) -> str:
    """The name of the demo city's county number ``index`` (1 is 青山县)."""
    if index == 1:
        return COUNTY_NAME
    names = OTHER_COUNTIES
    return names[(index - 2) % len(names)] + (
        str((index - 2) // len(names) + 1) if index - 2 >= len(names) else ""
    )


def region_code(index: int) -> str:
    """The division code of county ``index`` (distinct, so credit codes never collide)."""
    return str(int(COUNTY_REGION_CODE) + index - 1)


TOWNS = [
    "城关镇",
    "青山镇",
    "河口镇",
    "石塘镇",
    "白沙镇",
    "马坪镇",
    "高岭镇",
    "龙潭乡",
    "桃源乡",
    "柳溪乡",
    "新城街道",
    "东湖街道",
]

# park name -> zones (empty: a park with one area)
PARKS = {
    "青山工业园区": ["城东片区", "城南片区", "河口片区"],
    "青山高新技术产业园": [],
    "白沙食品产业园": [],
}
# Which towns each park lies in, for placing enterprises consistently.
PARK_TOWNS = {
    "青山工业园区": ["城关镇", "新城街道", "河口镇"],
    "青山高新技术产业园": ["东湖街道", "城关镇"],
    "白沙食品产业园": ["白沙镇"],
}

BUREAUS = [
    "经信局",
    "统计局",
    "财政局",
    "人社局",
    "自然资源局",
    "发改局",
    "投促局",
    "科技局",
    "市场监管局",
    "税务局",
    "供电公司",
]

# cluster -> (industry classes of GB/T 4754-2017, firm-name words)
CLUSTERS = {
    "鞋服纺织": (
        ["1951", "1952", "1953", "1959", "1819", "1829", "1830", "1711", "1713"],
        ["鞋业", "鞋材", "服饰", "制衣", "纺织", "针织", "织造"],
    ),
    "食品医药": (
        ["1311", "1391", "1431", "1441", "2710", "2720", "2730", "2740"],
        ["食品", "粮油", "乳业", "制药", "药业", "生物科技"],
    ),
    "新能源": (["3841", "3849", "3825", "4415", "4416"], ["新能源", "锂电", "光伏", "储能科技", "电池"]),
    "电子信息": (["3911", "3972", "3973", "3976"], ["电子", "光电", "智能科技", "电路"]),
    "装备制造": (["3311", "3399", "3411", "3481", "3483"], ["机械", "装备", "精密", "重工", "机电"]),
    "新材料": (["2641", "2922", "2927", "3021", "3031"], ["新材料", "化工", "塑业", "建材", "涂料"]),
}

TRADE_NAMES = list(
    "恒鑫宏达华瑞新源盛泰永丰金诚兴隆鼎立佳和嘉禾天成中宇博远润发德信富康海翔锦程浩宇"
    "明辉星辰伟业长青安泰志远瑞丰昌盛弘毅同创凯旋龙腾宝丰远航骏达顺通联合华强汇通益民"
)
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国红梅志文斌辉")
