"""Unified social credit code (GB 32100-2015) and legacy identifier validation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qiangxian.enterprises.uscc import (
    USCC_CHARSET,
    USCC_WEIGHTS,
    compute_org_code_check_char,
    compute_registration_number_check_digit,
    compute_uscc_check_char,
    make_uscc,
    normalize_code,
    validate_organization_code,
    validate_registration_number_15,
    validate_uscc,
)

CLASSIC = "91350100M000100Y43"


def rules(result):
    return [issue.rule for issue in result.errors]


# ---------------------------------------------------------------- the published example, by hand


def test_classic_example_org_code_check_by_hand():
    # Body M000100Y with 0-9A-Z values M=22, Y=34 and weights 3,7,9,10,5,8,4,2:
    # 22*3 + 1*5 + 34*2 = 66 + 5 + 68 = 139; 139 mod 11 = 7; 11 - 7 = 4.
    assert compute_org_code_check_char("M000100Y") == "4"


def test_classic_example_check_char_by_hand():
    # USCC values: M=21, Y=30 (index in 0123456789ABCDEFGHJKLMNPQRTUWXY).
    # 9*1 + 1*3 + 3*9 + 5*27 + 0*19 + 1*26 + 0*16 + 0*17 + 21*20 + 0*29 + 0*25 + 0*13 + 1*8 + 0*24
    #   + 0*10 + 30*30 + 4*28 = 1640; 1640 mod 31 = 28; 31 - 28 = 3.
    assert compute_uscc_check_char(CLASSIC[:17]) == "3"
    result = validate_uscc(CLASSIC)
    assert result.ok
    assert result.errors == []
    assert result.warnings == []
    assert result.normalized == CLASSIC


def test_weights_are_powers_of_three_mod_31():
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(USCC_CHARSET) == 31
    assert not set("IOSVZ") & set(USCC_CHARSET)


# ---------------------------------------------------------------- real-format valid codes


@pytest.mark.parametrize(
    "code",
    [
        CLASSIC,  # GB 32100-2015 example
        "914403001922038216",  # region 440300 (深圳), org code 19220382-1
        "9144030071526726XG",  # org code 71526726-X: check value 10 is written X
        "91330100716105852F",  # region 330100 (杭州)
        "91110000802100433B",  # region 110000 (北京)
        "91440300708461136T",
    ],
)
def test_real_format_codes_validate(code):
    result = validate_uscc(code)
    assert result.ok, result.messages
    assert result.is_enterprise
    assert result.region_code == code[2:8]
    assert result.organization_code == code[8:17]


def test_segments():
    result = validate_uscc(CLASSIC)
    assert (result.department_code, result.kind_code, result.region_code, result.organization_code) == (
        "9",
        "1",
        "350100",
        "M000100Y4",
    )


def test_segments_empty_when_length_wrong():
    result = validate_uscc("9135")
    assert result.region_code == "" and result.organization_code == "" and result.department_code == ""


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    "raw",
    [
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full-width digits and letters
        " 91350100 M000100Y43 ",
        "91350100m000100y43",
        "9135\u30000100M000100Y43",  # ideographic space
        "91350100M000100Y43\n",
    ],
)
def test_normalisation(raw):
    result = validate_uscc(raw)
    assert result.normalized == CLASSIC
    assert result.ok


def test_normalize_code_keeps_other_characters():
    assert normalize_code("ａｂ-Ｃ") == "AB-C"
    assert normalize_code(None) == ""


# ---------------------------------------------------------------- error classes and messages


def test_empty():
    result = validate_uscc("")
    assert not result.ok
    assert result.errors[0].message == "未填写统一社会信用代码"


@pytest.mark.parametrize(("code", "length"), [(CLASSIC[:17], 17), (CLASSIC + "0", 19), ("91", 2)])
def test_length(code, length):
    result = validate_uscc(code)
    assert not result.ok
    assert result.errors[0].message == f"长度应为18位，实为{length}位"
    assert result.errors[0].position is None
    assert rules(result) == ["length"]


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_excluded_letters_name_the_position(letter):
    code = CLASSIC[:4] + letter + CLASSIC[5:]
    result = validate_uscc(code)
    assert not result.ok
    assert result.errors[0].position == 5
    assert result.errors[0].message == f"第5位“{letter}”不是统一社会信用代码允许的字符（不含 I、O、S、V、Z）"
    # No check-character error is piled on top of a character error.
    assert rules(result) == ["charset"]


def test_punctuation_and_chinese_are_rejected_with_position():
    result = validate_uscc("91350100-000100Y4号")
    assert [(i.position, i.rule) for i in result.errors] == [(9, "charset"), (18, "charset")]
    assert result.errors[1].message.startswith("第18位“号”")


def test_wrong_length_still_reports_bad_characters():
    result = validate_uscc("9135010OM000100Y4")
    assert rules(result) == ["length", "charset"]
    assert result.errors[1].message.startswith("第8位“O”")


def test_region_must_be_digits():
    code = make_uscc("9", "1", "350100", "M000100Y")
    bad = code[:3] + "A" + code[4:]
    result = validate_uscc(bad)
    assert not result.ok
    region = [i for i in result.errors if i.rule == "region"]
    assert len(region) == 1
    assert region[0].position == 4
    assert region[0].message == "第4位“A”应为数字（第3-8位为登记管理机关行政区划码）"


def test_check_character_message():
    result = validate_uscc("91350100M000100Y4X")
    assert rules(result) == ["check"]
    assert result.errors[0].position == 18
    assert result.errors[0].message == "第18位校验码应为“3”，实为“X”"


def test_embedded_org_code_check():
    # Position 17 changed from 4 to 5, then position 18 recomputed so only the org-code check fails.
    first17 = CLASSIC[:16] + "5"
    code = first17 + compute_uscc_check_char(first17)
    result = validate_uscc(code)
    assert rules(result) == ["org_check"]
    assert result.errors[0].position == 17
    assert result.errors[0].message == "第9-17位组织机构代码校验位（第17位）应为“4”，实为“5”"


def test_both_checks_fail_together():
    result = validate_uscc("91350100M000100Y53")
    assert rules(result) == ["org_check", "check"]
    assert "实为“5”" in result.errors[0].message
    assert result.errors[1].message == "第18位校验码应为“6”，实为“3”"


def test_org_check_value_10_is_x_and_11_is_zero():
    # 71526726: 7*3+1*7+5*9+2*10+6*5+7*8+2*4+6*2 = 199; 199 mod 11 = 1; 11 - 1 = 10 -> X.
    assert compute_org_code_check_char("71526726") == "X"
    # 00000000: sum 0; 11 - 0 = 11 -> 0.
    assert compute_org_code_check_char("00000000") == "0"


# ---------------------------------------------------------------- warnings, not errors


def test_unknown_department_is_a_warning():
    code = make_uscc("N", "2", "350100", "M000100Y")
    result = validate_uscc(code)
    assert result.ok
    assert result.errors == []
    assert [(w.position, w.rule) for w in result.warnings] == [(1, "department")]
    assert "“N”" in result.warnings[0].message


def test_unknown_kind_for_department_is_a_warning():
    code = make_uscc("9", "4", "350100", "M000100Y")
    result = validate_uscc(code)
    assert result.ok
    assert [(w.position, w.rule) for w in result.warnings] == [(2, "kind")]
    assert "第2位机构类别代码“4”" in result.warnings[0].message
    assert "1 企业" in result.warnings[0].message


@pytest.mark.parametrize("prefix", ["11", "12", "13", "19", "51", "52", "53", "59", "91", "92", "93", "Y1"])
def test_known_prefixes_have_no_warning(prefix):
    result = validate_uscc(make_uscc(prefix[0], prefix[1], "350100", "M000100Y"))
    assert result.ok and result.warnings == []


def test_warnings_do_not_hide_errors():
    code = make_uscc("9", "4", "350100", "M000100Y")
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    result = validate_uscc(bad)
    assert not result.ok
    assert rules(result) == ["check"]
    assert [w.rule for w in result.warnings] == ["kind"]
    assert result.messages[-1] == result.warnings[0].message


# ---------------------------------------------------------------- building codes


def test_make_uscc_rebuilds_classic():
    assert make_uscc("9", "1", "350100", "M000100Y") == CLASSIC


@pytest.mark.parametrize(
    "args",
    [
        ("99", "1", "350100", "M000100Y"),
        ("9", "1", "35010", "M000100Y"),
        ("9", "1", "35010A", "M000100Y"),
        ("9", "1", "３５０１００", "M000100Y"),
        ("9", "1", "350100", "M000100"),
        ("9", "1", "350100", "M000100O"),
        ("Z", "1", "350100", "M000100Y"),
    ],
)
def test_make_uscc_rejects_bad_parts(args):
    with pytest.raises(ValueError):
        make_uscc(*args)


def test_compute_check_char_rejects_bad_input():
    with pytest.raises(ValueError):
        compute_uscc_check_char("9135")
    with pytest.raises(ValueError, match="第5位"):
        compute_uscc_check_char("9135I100M000100Y4")


# ---------------------------------------------------------------- properties

charset_char = st.sampled_from(USCC_CHARSET)
region = st.text(alphabet="0123456789", min_size=6, max_size=6)
org_body = st.text(alphabet=USCC_CHARSET, min_size=8, max_size=8)


@st.composite
def valid_codes(draw):
    return make_uscc(draw(charset_char), draw(charset_char), draw(region), draw(org_body))


@given(valid_codes())
def test_make_uscc_always_validates(code):
    result = validate_uscc(code)
    assert result.ok, result.messages
    assert result.normalized == code


@given(valid_codes(), st.integers(min_value=0, max_value=17), charset_char)
def test_any_single_substitution_is_detected(code, index, replacement):
    # The check is a weighted sum mod 31 with weights 3^k, all invertible mod the prime 31, so changing
    # one character to any other character of the set shifts the sum by a non-zero amount: every such
    # substitution is caught by position 18, whatever the embedded org-code check says.
    if replacement == code[index]:
        return
    changed = code[:index] + replacement + code[index + 1 :]
    assert not validate_uscc(changed).ok


@given(valid_codes(), st.integers(min_value=0, max_value=16))
def test_adjacent_transposition_is_detected(code, index):
    # Swapping a and b at weights w and 3w shifts the sum by 2w(b - a), non-zero mod 31 unless a == b.
    if code[index] == code[index + 1]:
        return
    swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
    assert not validate_uscc(swapped).ok


@given(valid_codes(), st.integers(min_value=0, max_value=17))
def test_case_and_width_changes_are_not_changes(code, index):
    # Lower-casing or widening one character is undone by normalisation, so the code stays valid: these
    # are the only single-character edits the check does not (and should not) flag.
    ch = code[index]
    for variant in {ch.lower(), chr(ord(ch) + 0xFEE0)}:
        edited = code[:index] + variant + code[index + 1 :]
        result = validate_uscc(edited)
        assert result.ok
        assert result.normalized == code


@given(valid_codes(), st.integers(min_value=0, max_value=17), st.sampled_from(list("IOSVZ-._/")))
def test_excluded_characters_are_errors_at_their_position(code, index, bad):
    changed = code[:index] + bad + code[index + 1 :]
    result = validate_uscc(changed)
    assert not result.ok
    assert (index + 1, "charset") in [(i.position, i.rule) for i in result.errors]


@given(st.text(max_size=25))
def test_never_raises(text):
    result = validate_uscc(text)
    assert isinstance(result.ok, bool)
    assert all(issue.message for issue in result.errors + result.warnings)


# ---------------------------------------------------------------- legacy identifiers


def test_registration_number_published_example():
    # GS 15-2006 example 110108000000016: ISO 7064 MOD 11,10 over the first 14 digits gives 6.
    assert compute_registration_number_check_digit("11010800000001") == "6"
    result = validate_registration_number_15("110108000000016")
    assert result.ok and result.normalized == "110108000000016"


def test_registration_number_full_width_and_spaces():
    assert validate_registration_number_15("１１０１０８ ０００００００１６").ok


def test_registration_number_wrong_check_digit():
    result = validate_registration_number_15("110108000000017")
    assert not result.ok
    assert result.errors[0].position == 15
    assert result.errors[0].message == "第15位校验位应为“6”，实为“7”"


def test_registration_number_length_and_letters():
    result = validate_registration_number_15("11010800000001")
    assert result.errors[0].message == "工商注册号长度应为15位，实为14位"
    result = validate_registration_number_15(CLASSIC)
    assert result.errors[0].message.startswith(
        "工商注册号长度应为15位，实为18位；18位代码请按统一社会信用代码校验"
    )
    result = validate_registration_number_15("11010800000001A")
    assert [(i.position, i.rule) for i in result.errors] == [(15, "charset")]
    assert result.errors[0].message == "第15位“A”应为数字（工商注册号全部为数字）"
    assert validate_registration_number_15("").errors[0].message == "未填写工商注册号"


@given(st.text(alphabet="0123456789", min_size=14, max_size=14), st.integers(0, 14), st.integers(1, 9))
def test_registration_number_detects_single_digit_changes(first14, index, delta):
    code = first14 + compute_registration_number_check_digit(first14)
    assert validate_registration_number_15(code).ok
    changed = code[:index] + str((int(code[index]) + delta) % 10) + code[index + 1 :]
    assert not validate_registration_number_15(changed).ok


def test_registration_number_check_digit_rejects_bad_input():
    with pytest.raises(ValueError):
        compute_registration_number_check_digit("1101080000000A")


@pytest.mark.parametrize("code", ["D2143569-X", "d2143569x", "M000100Y-4", "19220382-1"])
def test_organization_code_valid(code):
    # D2143569-X is the GB 11714 example; the others are embedded in codes above.
    result = validate_organization_code(code)
    assert result.ok, result.messages
    assert "-" not in result.normalized


def test_organization_code_errors():
    assert validate_organization_code("D2143569-1").errors[0].message == "第9位校验位应为“X”，实为“1”"
    assert validate_organization_code("D214356").errors[0].message == "组织机构代码长度应为9位，实为7位"
    result = validate_organization_code("D21435.9X")
    assert [(i.position, i.rule) for i in result.errors] == [(7, "charset")]
    assert validate_organization_code("").errors[0].rule == "empty"
