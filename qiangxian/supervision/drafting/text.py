"""Normalising a document's text while remembering where every character came from.

Quotes must be exact substrings of what the user pasted, while matching works on a cleaned
copy: full-width digits become ASCII, line wraps inside a sentence disappear (a number split
across two lines is one number again) and Chinese numerals before a unit become digits.
``Text.quote(start, end)`` maps a span of the cleaned copy back to the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

# One-for-one replacements (full-width forms of digits, signs and the decimal point).
_WIDE = {chr(0xFF10 + i): str(i) for i in range(10)}
_WIDE.update({"％": "%", "．": ".", "～": "~", "－": "-", "—": "-", "\u3000": " "})
# A line ends a paragraph only after these; any other newline is a wrap inside a sentence.
_SENTENCE_END = "。；;！？!?：:"
_CJK = re.compile(r"[\u4e00-\u9fa5]")
_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
# A Chinese numeral directly before a counting unit ("十三户", "一家", "两个"); 万/亿 are units too.
_CN_NUMBER = re.compile(
    rf"(?<![{_CN_DIGITS}第])([{_CN_DIGITS}]+)(?=(?:个百分点|户|家|个|项|名|人|条|座|件|所|批|次|亿|万元|%))"
)


_NUMBERED = re.compile(
    r"[一二三四五六七八九十]+、|\d+[.、．](?!\d)|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十]+[条章节]"
)

# A bulleted line ("●粮食总产达到557亿斤", "■ 2025年主要预期目标") is an item of its own.
# A bracketed heading ("【强力推进创新驱动，动能转换迈出新步伐】") stands on its own line too.
_BULLET = re.compile(r"[●■◆◇▲△★☆•▪□○◎►▶【]")


def numbered_heading(line: str) -> bool:
    """A short top-level numbered line without a figure ("一、认真总结成绩，准确把握态势"), commas and all."""
    return (
        len(line) <= 40 and bool(re.match(r"[一二三四五六七八九十]+、", line)) and not re.search(r"\d", line)
    )


@dataclass
class Text:
    """A cleaned copy of ``original`` and, for each of its characters, the original index."""

    original: str
    clean: str
    index: list[int]

    def quote(self, start: int, end: int) -> str:
        """The original text behind ``clean[start:end]`` (line wraps and wide digits included)."""
        if start >= end:
            return ""
        return self.original[self.index[start] : self.index[end - 1] + 1]


def _unwrap(original: str) -> tuple[str, list[int]]:
    out: list[str] = []
    index: list[int] = []
    n = len(original)
    i = 0
    while i < n:
        ch = original[i]
        if ch == "\r":
            i += 1
            continue
        if ch == "\n":
            prev = out[-1] if out else ""
            j = i + 1
            while j < n and original[j] in " \t\u3000\r":
                j += 1
            nxt = original[j] if j < n else ""
            line = "".join(out[len(out) - out[::-1].index("\n") :] if "\n" in out else out)
            # A blank line, a line after a sentence end, a heading (short, without a comma) or a
            # numbered item on the next line stays a break; any other newline is a wrap.
            # A numbered heading ("一、…") keeps its own 、 out of the check.
            body = line[_NUMBERED.match(line).end() :] if _NUMBERED.match(line) else line
            heading = len(body) <= 30 and not re.search(r"[，,、]", body)
            heading = heading or numbered_heading(line)
            numbered = bool(_NUMBERED.match(original, j) or _BULLET.match(original, j))
            heading = heading or prev == "】"
            if not prev or prev in _SENTENCE_END or nxt in ("\n", "") or prev == "\n" or heading or numbered:
                out.append("\n")
                index.append(i)
            i = j
            continue
        # A space a conversion left between two characters of one word ("同 比") is dropped.
        if ch in " \t" and out and _CJK.match(out[-1]):
            j = i
            while j < n and original[j] in " \t":
                j += 1
            if j < n and _CJK.match(original[j]):
                i = j
                continue
        out.append(_WIDE.get(ch, ch))
        index.append(i)
        i += 1
    return "".join(out), index


def _grows_into(clean: str, match: re.Match, nouns: str, grade: str = "级?") -> bool:
    """Whether a size before 亿 is what a verb makes something grow into, ending its clause."""
    return bool(
        re.match(rf"亿{grade}(?:{nouns})?(?=$|[，,。；;！!）)”])", clean[match.end() :])
        and re.search(
            r"(?:培育成为?|打造成为?|发展成为?|建设成为?|建成|成为|达到|迈上|跻身)$", clean[: match.start()]
        )
    )


def _numerals(clean: str, index: list[int]) -> tuple[str, list[int]]:
    """Chinese numerals before a unit become digits; every digit maps to the numeral's start."""
    out: list[str] = []
    out_index: list[int] = []
    last = 0
    for match in _CN_NUMBER.finditer(clean):
        word = match.group(1)
        # "2025年成为万亿工业强市，": 万 alone before 亿 is a figure only as the size a clause makes
        # something grow into, ending the clause.
        if word == "万" and _grows_into(clean, match, r"工业强市|强市|城市|产业|规模"):
            # "1" is put before 万 so that the unit read is 万亿.
            out.append(clean[last : match.start()] + "1")
            out_index.extend([*index[last : match.start()], index[match.start()]])
            last = match.start()
            continue
        if set(word) <= {"万"}:
            continue
        # "一批项目" is "a number of projects", never a figure of one.
        if word == "一" and clean.startswith("批", match.end()):
            continue
        # "实现工业园区过百亿。": 百 or 千 alone is a figure only as the level a clause ends on, after
        # 过/超/突破; "百亿园区" and "千亿级产业" name a size class.
        if word in ("百", "千"):
            ends = re.match(r"亿元?(?=$|[，,。；;！!）)”])", clean[match.end() :])
            passed = ends and re.search(r"(?:过|超|突破)$", clean[: match.start()])
            # "2025年培育成千亿级产业。", "达到百亿级规模。": the size class a clause makes something grow
            # into, ending the clause, is a level to reach.
            grows = _grows_into(clean, match, r"产业|规模", "级")
            if not (passed or grows):
                continue
            word = "一" + word
        if (digits := _digits_of(word)) is None:
            continue
        out.append(clean[last : match.start()])
        out_index.extend(index[last : match.start()])
        out.append(digits)
        # Every digit points into the numeral; the last one at its last character.
        span = index[match.start() : match.end()]
        out_index.extend([span[0]] * (len(digits) - 1) + [span[-1]])
        last = match.end()
    out.append(clean[last:])
    out_index.extend(index[last:])
    return "".join(out), out_index


def _digits_of(word: str) -> str | None:
    """A Chinese numeral as digits ("八十" → "80", "十二点五" → "12.5"); None when cn2an cannot
    read it."""
    try:
        value = cn2an.cn2an(word, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


# A share written in words ("百分之八十以上", "百分之十二点五", "百分之百").
_PERCENT_WORDS = re.compile(r"百分之([零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)")


def _percent_words(clean: str, index: list[int]) -> tuple[str, list[int]]:
    """The share "百分之八十" becomes "80%".

    The digits map to 百分之 and the sign to the numeral's last character, so quotes stay whole.
    """
    out: list[str] = []
    out_index: list[int] = []
    last = 0
    for match in _PERCENT_WORDS.finditer(clean):
        word = "一百" if match.group(1) == "百" else match.group(1)
        if (digits := _digits_of(word)) is None:
            continue
        out.append(clean[last : match.start()])
        out_index.extend(index[last : match.start()])
        # The first digit points at 百分之 so that a quote starting there keeps the words whole.
        out.append(digits + "%")
        out_index.extend([index[match.start()]] * len(digits) + [index[match.end() - 1]])
        last = match.end()
    out.append(clean[last:])
    out_index.extend(index[last:])
    return "".join(out), out_index


def prepare(original: str) -> Text:
    """The cleaned text with its index back into ``original``."""
    clean, index = _unwrap(original)
    clean, index = _percent_words(clean, index)
    clean, index = _numerals(clean, index)
    return Text(original, clean, index)


@dataclass
class Sentence:
    start: int
    end: int
    text: str


_ENDS = set("。；;！？!?\n")


def sentences(text: Text) -> list[Sentence]:
    """Sentences of the cleaned text (ended by 。；！？ or a paragraph break, never inside brackets)."""
    result: list[Sentence] = []
    start = 0
    depth = 0
    clean = text.clean + "\n"
    for i, ch in enumerate(clean):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif ch in _ENDS and (depth == 0 or ch == "\n"):
            depth = 0
            chunk = clean[start:i]
            stripped = chunk.strip()
            if stripped:
                offset = start + chunk.index(stripped)
                result.append(Sentence(offset, offset + len(stripped), stripped))
            start = i + 1
    return result
