"""Validation of enterprise identifiers: the 18-character unified social credit code and its predecessors.

统一社会信用代码 (GB 32100-2015) layout, 1-based positions:

    1      登记管理部门代码      registering department (9 = 市场监管/工商)
    2      机构类别代码          kind of organisation within that department (91 = 企业)
    3-8    登记管理机关行政区划码  GB/T 2260 region code, digits only
    9-17   主体标识码            the 9-character 组织机构代码 (GB 11714); position 17 is its own check
    18     校验码                check character over positions 1-17

Legacy identifiers still found in old spreadsheets are also handled: the 15-digit 工商注册号 (GS 15-2006)
and the bare 9-character 组织机构代码.

Pure Python; no Django imports, so it can run in import scripts and the demo generator.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "DEPARTMENTS",
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "CodeCheckResult",
    "UsccIssue",
    "UsccResult",
    "compute_org_code_check_char",
    "compute_registration_number_check_digit",
    "compute_uscc_check_char",
    "make_uscc",
    "normalize_code",
    "validate_organization_code",
    "validate_registration_number_15",
    "validate_uscc",
]

# GB 32100-2015 leaves out I, O, S, V and Z so they cannot be misread as 1, 0, 5, U and 2.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
# 3^(i-1) mod 31: with a prime modulus every single-character substitution changes the sum.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# 登记管理部门 and the 机构类别 each one assigns, as published with GB 32100-2015. Other registries have
# since been given their own first characters, so an unknown one is reported as a warning, never an error.
DEPARTMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "Y": ("其他", {"1": "其他"}),
}

_CHARSET_HINT = "（不含 I、O、S、V、Z）"


@dataclass(frozen=True)
class UsccIssue:
    """One problem found in an identifier.

    ``position`` is the 1-based character position the message is about, or None when the problem
    concerns the whole code (its length, for instance). ``rule`` is a stable machine-readable key.
    """

    position: int | None
    message: str
    rule: str = ""


@dataclass
class CodeCheckResult:
    """Outcome of validating an identifier: ``ok`` is true when there are no errors (warnings allowed)."""

    normalized: str
    errors: list[UsccIssue] = field(default_factory=list)
    warnings: list[UsccIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no error was found; warnings do not make a code invalid."""
        return not self.errors

    @property
    def messages(self) -> list[str]:
        """Error messages followed by warning messages, for display."""
        return [i.message for i in self.errors] + [i.message for i in self.warnings]


@dataclass
class UsccResult(CodeCheckResult):
    """Result of :func:`validate_uscc`, with the code's segments when it has the right length."""

    @property
    def department_code(self) -> str:
        """登记管理部门代码 (position 1), or "" when the length is wrong."""
        return self.normalized[0] if len(self.normalized) == 18 else ""

    @property
    def kind_code(self) -> str:
        """机构类别代码 (position 2), or "" when the length is wrong."""
        return self.normalized[1] if len(self.normalized) == 18 else ""

    @property
    def region_code(self) -> str:
        """登记管理机关行政区划码 (positions 3-8), or "" when the length is wrong."""
        return self.normalized[2:8] if len(self.normalized) == 18 else ""

    @property
    def organization_code(self) -> str:
        """The embedded 组织机构代码 (positions 9-17), or "" when the length is wrong."""
        return self.normalized[8:17] if len(self.normalized) == 18 else ""

    @property
    def is_enterprise(self) -> bool:
        """True for codes registered by 市场监管 as an enterprise (prefix 91)."""
        return self.normalized[:2] == "91"


def normalize_code(code: str) -> str:
    """Fold full-width characters to half-width, drop all whitespace and upper-case.

    Codes pasted from Word or Excel often carry full-width digits (１２３) or ideographic spaces.
    """
    folded = unicodedata.normalize("NFKC", code or "")
    return "".join(ch for ch in folded if not ch.isspace()).upper()


def compute_uscc_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a unified social credit code."""
    if len(first17) != 17:
        raise ValueError(f"需要前17位，实为{len(first17)}位")
    total = 0
    for index, ch in enumerate(first17):
        value = _USCC_VALUE.get(ch)
        if value is None:
            raise ValueError(f"第{index + 1}位“{ch}”不是统一社会信用代码允许的字符{_CHARSET_HINT}")
        total += value * USCC_WEIGHTS[index]
    return USCC_CHARSET[(31 - total % 31) % 31]


def compute_org_code_check_char(body8: str) -> str:
    """Return the check character (the 9th) of a GB 11714 组织机构代码 given its first 8 characters."""
    if len(body8) != 8:
        raise ValueError(f"组织机构代码本体应为8位，实为{len(body8)}位")
    total = 0
    for index, ch in enumerate(body8):
        value = _ORG_BODY_CHARS.find(ch)
        if value < 0:
            raise ValueError(f"组织机构代码第{index + 1}位“{ch}”应为数字或大写字母")
        total += value * _ORG_WEIGHTS[index]
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def make_uscc(dept: str, kind: str, region6: str, org_body8: str) -> str:
    """Build a valid unified social credit code, computing both check characters.

    ``dept`` and ``kind`` are single characters (e.g. "9", "1" for an enterprise), ``region6`` the
    six-digit region code, ``org_body8`` the first 8 characters of the organisation code.
    """
    if len(dept) != 1 or len(kind) != 1:
        raise ValueError("登记管理部门代码和机构类别代码均应为1位")
    if len(region6) != 6 or not region6.isascii() or not region6.isdigit():
        raise ValueError(f"行政区划码应为6位数字，实为“{region6}”")
    for ch in dept + kind + org_body8:
        if ch not in _USCC_VALUE:
            raise ValueError(f"“{ch}”不是统一社会信用代码允许的字符{_CHARSET_HINT}")
    first17 = dept + kind + region6 + org_body8 + compute_org_code_check_char(org_body8)
    return first17 + compute_uscc_check_char(first17)


def _check_segments(code: str, result: UsccResult) -> None:
    """Department, kind and region checks that need only the characters themselves."""
    for position in range(3, 9):
        ch = code[position - 1]
        if ch in _USCC_VALUE and not ch.isdigit():
            result.errors.append(
                UsccIssue(
                    position,
                    f"第{position}位“{ch}”应为数字（第3-8位为登记管理机关行政区划码）",
                    "region",
                )
            )
    dept, kind = code[0], code[1]
    if dept not in _USCC_VALUE:
        return
    known = DEPARTMENTS.get(dept)
    if known is None:
        listed = "、".join(DEPARTMENTS)
        result.warnings.append(
            UsccIssue(1, f"第1位登记管理部门代码“{dept}”不在已知代码（{listed}）中，请核实", "department")
        )
        return
    dept_name, kinds = known
    if kind in _USCC_VALUE and kind not in kinds:
        listed = "、".join(f"{k} {v}" for k, v in kinds.items())
        result.warnings.append(
            UsccIssue(
                2,
                f"第2位机构类别代码“{kind}”不是登记管理部门“{dept}”（{dept_name}）的已知类别（{listed}），请核实",
                "kind",
            )
        )


def validate_uscc(code: str) -> UsccResult:
    """Validate a 统一社会信用代码 and explain every problem in Chinese, naming the position.

    The input is normalised first (full-width to half-width, whitespace removed, upper-cased); the
    normalised form is returned as ``normalized`` so callers can store it.
    """
    normalized = normalize_code(code)
    result = UsccResult(normalized=normalized)
    if not normalized:
        result.errors.append(UsccIssue(None, "未填写统一社会信用代码", "empty"))
        return result

    bad_chars = False
    for position, ch in enumerate(normalized, start=1):
        if ch not in _USCC_VALUE:
            bad_chars = True
            result.errors.append(
                UsccIssue(
                    position, f"第{position}位“{ch}”不是统一社会信用代码允许的字符{_CHARSET_HINT}", "charset"
                )
            )

    if len(normalized) != 18:
        # Positions are meaningless once a character is missing or extra, so only the length is reported
        # alongside the character errors above.
        result.errors.insert(0, UsccIssue(None, f"长度应为18位，实为{len(normalized)}位", "length"))
        return result

    _check_segments(normalized, result)
    if bad_chars:
        # A check character computed over an invalid character would only add a confusing second error.
        return result

    body = normalized[8:16]
    expected_org = compute_org_code_check_char(body)
    if normalized[16] != expected_org:
        result.errors.append(
            UsccIssue(
                17,
                f"第9-17位组织机构代码校验位（第17位）应为“{expected_org}”，实为“{normalized[16]}”",
                "org_check",
            )
        )

    expected = compute_uscc_check_char(normalized[:17])
    if normalized[17] != expected:
        result.errors.append(UsccIssue(18, f"第18位校验码应为“{expected}”，实为“{normalized[17]}”", "check"))
    return result


def validate_organization_code(code: str) -> CodeCheckResult:
    """Validate a legacy 9-character 组织机构代码 (GB 11714), written with or without the hyphen.

    ``normalized`` is returned without the hyphen, e.g. "M000100Y4".
    """
    normalized = normalize_code(code)
    if len(normalized) == 10 and normalized[8] == "-":
        normalized = normalized[:8] + normalized[9]
    result = CodeCheckResult(normalized=normalized)
    if not normalized:
        result.errors.append(UsccIssue(None, "未填写组织机构代码", "empty"))
        return result
    if len(normalized) != 9:
        result.errors.append(UsccIssue(None, f"组织机构代码长度应为9位，实为{len(normalized)}位", "length"))
        return result
    bad = False
    for position, ch in enumerate(normalized[:8], start=1):
        if ch not in _ORG_BODY_CHARS:
            bad = True
            result.errors.append(UsccIssue(position, f"第{position}位“{ch}”应为数字或大写字母", "charset"))
    if normalized[8] not in "0123456789X":
        bad = True
        result.errors.append(UsccIssue(9, f"第9位校验位“{normalized[8]}”应为数字或 X", "charset"))
    if bad:
        return result
    expected = compute_org_code_check_char(normalized[:8])
    if normalized[8] != expected:
        result.errors.append(UsccIssue(9, f"第9位校验位应为“{expected}”，实为“{normalized[8]}”", "check"))
    return result


def compute_registration_number_check_digit(first14: str) -> str:
    """Check digit of a 15-digit 工商注册号: ISO 7064 MOD 11,10 over its first 14 digits."""
    if len(first14) != 14 or not first14.isascii() or not first14.isdigit():
        raise ValueError("工商注册号前14位应为数字")
    product = 10
    for ch in first14:
        total = product % 11 + int(ch)
        product = (total % 10 or 10) * 2
    # The check digit makes the next running sum congruent to 1 modulo 10.
    return str((11 - product % 11) % 10)


def validate_registration_number_15(code: str) -> CodeCheckResult:
    """Validate a 15-digit 工商注册号 (GS 15-2006): 6-digit region, 8-digit sequence, 1 check digit."""
    normalized = normalize_code(code)
    result = CodeCheckResult(normalized=normalized)
    if not normalized:
        result.errors.append(UsccIssue(None, "未填写工商注册号", "empty"))
        return result
    bad = False
    for position, ch in enumerate(normalized, start=1):
        if not ("0" <= ch <= "9"):
            bad = True
            result.errors.append(
                UsccIssue(position, f"第{position}位“{ch}”应为数字（工商注册号全部为数字）", "charset")
            )
    if len(normalized) != 15:
        hint = "；18位代码请按统一社会信用代码校验" if len(normalized) == 18 else ""
        result.errors.insert(
            0, UsccIssue(None, f"工商注册号长度应为15位，实为{len(normalized)}位{hint}", "length")
        )
        return result
    if bad:
        return result
    expected = compute_registration_number_check_digit(normalized[:14])
    if normalized[14] != expected:
        result.errors.append(UsccIssue(15, f"第15位校验位应为“{expected}”，实为“{normalized[14]}”", "check"))
    return result
