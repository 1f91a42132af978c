"""GB/T 4754-2017 industry classification data (sections B-D) and its lookup functions."""

import csv
from collections import Counter

import pytest

from qiangxian.enterprises.industry import (
    DATA_FILE,
    all_industries,
    classes_in_division,
    division_of,
    divisions_in_section,
    get_industry,
    is_industrial,
    is_manufacturing,
    lineage,
    search_industries,
    section_of,
    validate_industry_code,
)

# Division names of section C as listed in shared/domain/criteria.md §5.2 (2017 edition).
MANUFACTURING_DIVISIONS = {
    "13": "农副食品加工业",
    "14": "食品制造业",
    "15": "酒、饮料和精制茶制造业",
    "16": "烟草制品业",
    "17": "纺织业",
    "18": "纺织服装、服饰业",
    "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业",
    "21": "家具制造业",
    "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业",
    "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业",
    "26": "化学原料和化学制品制造业",
    "27": "医药制造业",
    "28": "化学纤维制造业",
    "29": "橡胶和塑料制品业",
    "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业",
    "32": "有色金属冶炼和压延加工业",
    "33": "金属制品业",
    "34": "通用设备制造业",
    "35": "专用设备制造业",
    "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业",
    "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业",
    "40": "仪器仪表制造业",
    "41": "其他制造业",
    "42": "废弃资源综合利用业",
    "43": "金属制品、机械和设备修理业",
}


def read_rows():
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------- the data file itself


def test_header_and_unique_codes():
    rows = read_rows()
    assert list(rows[0]) == ["code", "name", "level", "parent"]
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))


def test_rows_are_in_code_order():
    codes = [r["code"] for r in read_rows() if r["level"] != "section"]
    assert codes == sorted(codes)


def test_code_shape_matches_level():
    lengths = {"section": 1, "division": 2, "group": 3, "class": 4}
    for row in read_rows():
        assert len(row["code"]) == lengths[row["level"]], row
        if row["level"] == "section":
            assert row["code"].isalpha() and row["parent"] == ""
        else:
            assert row["code"].isdigit()


def test_names_are_clean():
    for row in read_rows():
        name = row["name"]
        assert name and name == name.strip(), row
        assert "(" not in name and ")" not in name, row
        assert "?" not in name and " " not in name, row


def test_counts_per_level_and_section():
    nodes = all_industries()
    by = Counter((n.section, n.level) for n in nodes)
    assert {s for s, level in by if level == "section"} == {"B", "C", "D"}
    assert (by["B", "division"], by["C", "division"], by["D", "division"]) == (7, 31, 3)
    assert (by["B", "group"], by["C", "group"], by["D", "group"]) == (19, 179, 9)
    assert (by["B", "class"], by["C", "class"], by["D", "class"]) == (39, 609, 18)
    assert len(all_industries("class")) == 666


def test_division_ranges():
    assert [d.code for d in divisions_in_section("B")] == [f"{n:02d}" for n in range(6, 13)]
    assert [d.code for d in divisions_in_section("C")] == [str(n) for n in range(13, 44)]
    assert [d.code for d in divisions_in_section("D")] == ["44", "45", "46"]


def test_every_class_has_a_full_parent_chain():
    for node in all_industries("class"):
        group = get_industry(node.parent)
        assert group is not None and group.level == "group" and group.code == node.code[:3], node
        division = get_industry(group.parent)
        assert division is not None and division.level == "division" and division.code == node.code[:2]
        section = get_industry(division.parent)
        assert section is not None and section.level == "section" and section.code == node.section


def test_every_group_and_division_has_classes():
    for node in all_industries():
        if node.level in ("division", "group"):
            assert search_industries(node.code), node


def test_manufacturing_division_names_match_criteria():
    assert {d.code: d.name for d in divisions_in_section("C")} == MANUFACTURING_DIVISIONS


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("B", "采矿业"),
        ("C", "制造业"),
        ("D", "电力、热力、燃气及水生产和供应业"),
        ("06", "煤炭开采和洗选业"),
        ("0610", "烟煤和无烟煤开采洗选"),
        ("0722", "海洋天然气及可燃冰开采"),
        ("11", "开采专业及辅助性活动"),
        ("1110", "煤炭开采和洗选专业及辅助性活动"),
        ("1200", "其他采矿业"),
        ("1311", "稻谷加工"),
        ("1340", "制糖业"),
        ("1522", "瓶（罐）装饮用水制造"),
        ("1951", "纺织面料鞋制造"),
        ("1959", "其他制鞋业"),
        ("203", "木质制品制造"),
        ("204", "竹、藤、棕、草等制品制造"),
        ("2519", "其他原油制造"),
        ("2653", "合成纤维单（聚合）体制造"),
        ("306", "玻璃纤维和玻璃纤维增强塑料制品制造"),
        ("339", "铸造及其他金属制品制造"),
        ("349", "其他通用设备制造业"),
        ("3491", "工业机器人制造"),
        ("3531", "食品、酒、饮料及茶生产专用设备制造"),
        ("3612", "新能源车整车制造"),
        ("3841", "锂离子电池制造"),
        ("395", "非专业视听设备制造"),
        ("3973", "集成电路制造"),
        ("4023", "导航、测绘、气象及海洋专用仪器制造"),
        ("4390", "其他机械和设备修理业"),
        ("4416", "太阳能发电"),
        ("4520", "生物质燃气生产和供应业"),
        ("4690", "其他水的处理、利用与分配"),
    ],
)
def test_known_names(code, name):
    node = get_industry(code)
    assert node is not None
    assert node.name == name


# ---------------------------------------------------------------- lookups


def test_get_industry():
    node = get_industry("1311")
    assert node.level == "class" and node.parent == "131" and node.section == "C"
    assert node.level_name == "小类" and node.division == "13"
    assert node.label == "1311 稻谷加工" == str(node)
    assert get_industry(" １３１１ ") == node
    assert get_industry("c") == get_industry("C")
    assert get_industry("9999") is None
    assert get_industry("") is None
    assert get_industry("1311") is get_industry("1311")


def test_lineage():
    assert [n.code for n in lineage("1311")] == ["C", "13", "131", "1311"]
    assert [n.code for n in lineage("06")] == ["B", "06"]
    assert lineage("5111") == []


@pytest.mark.parametrize(
    ("code", "division"), [("1951", "19"), ("0610", "06"), ("131", "13"), ("４４１１", "44")]
)
def test_division_of(code, division):
    assert division_of(code) == division


@pytest.mark.parametrize("code", ["", "1", "C1311", "ab"])
def test_division_of_rejects_non_codes(code):
    with pytest.raises(ValueError):
        division_of(code)


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("1311", "C"),
        ("13", "C"),
        ("0610", "B"),
        ("1200", "B"),
        ("4610", "D"),
        ("C", "C"),
        ("b", "B"),
        ("5111", None),
        ("0111", None),
        ("9999", None),
        ("A", None),
        ("", None),
        ("x1", None),
    ],
)
def test_section_of(code, section):
    assert section_of(code) == section


def test_is_industrial_and_manufacturing():
    assert is_industrial("0610") and not is_manufacturing("0610")
    assert is_industrial("1951") and is_manufacturing("1951")
    assert is_industrial("4411") and not is_manufacturing("4411")
    assert is_manufacturing("4390")
    assert not is_industrial("5111") and not is_manufacturing("5111")
    assert not is_industrial("") and not is_industrial("9999")


def test_classes_in_division():
    codes = [n.code for n in classes_in_division("13")]
    assert len(codes) == 24
    assert codes[0] == "1311" and codes[-1] == "1399"
    assert all(n.level == "class" for n in classes_in_division("13"))
    assert [n.code for n in classes_in_division("12")] == ["1200"]
    assert classes_in_division("99") == []
    per_division = sum(len(classes_in_division(d.code)) for d in all_industries("division"))
    assert per_division == 666


def test_search_by_code_prefix():
    assert [n.code for n in search_industries("131")] == ["1311", "1312", "1313", "1314", "1319"]
    assert [n.code for n in search_industries("131", level=None)] == [
        "131",
        "1311",
        "1312",
        "1313",
        "1314",
        "1319",
    ]
    assert len(search_industries("1")) == len([n for n in all_industries("class") if n.code.startswith("1")])


def test_search_by_name():
    assert [n.code for n in search_industries("鞋")] == ["1951", "1952", "1953", "1954", "1959"]
    assert {"19", "195"} <= {n.code for n in search_industries("鞋", level=None)}
    assert [n.code for n in search_industries("稻谷")] == ["1311"]
    assert search_industries("不存在的行业") == []
    assert search_industries("") == []
    assert search_industries("   ") == []


def test_search_by_section_letter_and_limit():
    assert len(search_industries("D")) == 18
    assert [n.code for n in search_industries("D", level="division")] == ["44", "45", "46"]
    assert len(search_industries("制造", limit=5)) == 5
    with pytest.raises(ValueError):
        search_industries("13", level="subclass")


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("code", ["1311", "0610", "4690", " 1951 ", "１９５１"])
def test_validate_accepts_classes(code):
    assert validate_industry_code(code) == (True, "")


def test_validate_rejects_unknown_class():
    assert validate_industry_code("9999") == (False, "行业代码“9999”不在 GB/T 4754-2017 中")
    assert validate_industry_code("1398") == (False, "行业代码“1398”不在 GB/T 4754-2017 中")
    assert validate_industry_code("0000") == (False, "行业代码“0000”不在 GB/T 4754-2017 中")


@pytest.mark.parametrize("code", ["13a1", "13111", "C1311", "1-31"])
def test_validate_rejects_malformed(code):
    assert validate_industry_code(code) == (False, "行业代码应为4位小类代码，如 1311")


@pytest.mark.parametrize(("code", "level"), [("13", "大类"), ("131", "中类"), ("C", "门类")])
def test_validate_explains_higher_levels(code, level):
    ok, message = validate_industry_code(code)
    assert not ok
    assert message.startswith("行业代码应为4位小类代码，如 1311")
    assert f"是{level}" in message


def test_validate_outside_industry():
    ok, message = validate_industry_code("5111")
    assert not ok
    assert "不属于工业门类" in message


def test_validate_empty():
    ok, message = validate_industry_code("")
    assert not ok and message.startswith("请填写行业代码")
