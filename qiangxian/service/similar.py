"""举一反三: find demands that describe the same problem, so the office can fix it once.

Texts are cut into words with jieba (its dictionary ships inside the package: nothing is
downloaded) plus character bigrams (robust to words jieba splits differently, e.g. place names),
weighted by TF-IDF (scikit-learn) and compared by cosine similarity. Demands whose similarity is
at least ``threshold`` are grouped around the first of them (star grouping), and the groups of
at least ``min_size`` demands are the recurring problems. The similarity is computed in blocks
of rows, so 10,000 demands need a few hundred megabytes at most and a few seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np

# Words that every demand uses: they say nothing about which problem it is.
STOP_WORDS = frozenset(
    [
        "希望",
        "请",
        "请求",
        "协助",
        "帮助",
        "尽快",
        "解决",
        "问题",
        "企业",
        "公司",
        "我们",
        "我司",
        "影响",
        "目前",
        "需要",
        "进行",
        "相关",
        "没有",
        "一直",
        "已经",
        "还是",
        "情况",
        "反映",
    ]
)
BLOCK = 1000


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(text: str) -> list[str]:
    """Words (two characters or more, not stop words) and character bigrams of the Chinese text."""
    jieba = _jieba()
    words = [w for w in jieba.lcut(text) if len(w.strip()) >= 2 and w not in STOP_WORDS]
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" or c.isalnum()]
    return words + ["".join(pair) for pair in pairwise(chars)]


def group_similar(texts: Sequence[str], *, threshold: float = 0.4, min_size: int = 3) -> list[list[int]]:
    """Indexes of the texts grouped by recurring problem, largest group first."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < min_size:
        return []
    matrix = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, min_df=1).fit_transform(texts)
    # Star grouping: the first demand not yet in a group gathers every free demand similar to it.
    # Unlike linking any two similar demands (single linkage), this cannot chain a road problem to a
    # power problem through a demand that mentions both.
    free = np.ones(len(texts), dtype=bool)
    groups: dict[int, list[int]] = {}
    transposed = matrix.T.tocsr()
    for start in range(0, len(texts), BLOCK):
        block = (matrix[start : start + BLOCK] @ transposed).toarray()
        for offset, row in enumerate(block):
            i = start + offset
            if not free[i]:
                continue
            members = np.flatnonzero((row >= threshold) & free)
            free[members] = False
            free[i] = False
            groups[i] = sorted({i, *members.tolist()})
    result = [g for g in groups.values() if len(g) >= min_size]
    return sorted(result, key=lambda g: (-len(g), g[0]))
