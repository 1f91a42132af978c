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
BLOCK = 500


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(text: str) -> list[str]:
    """Words (two characters or more, not stop words) and character bigrams of the Chinese text.

    jieba runs without its HMM guesser of unknown words: the bigrams already catch what it would
    find (place and road names), at half the cost.
    """
    jieba = _jieba()
    words = [w for w in jieba.lcut(text, HMM=False) if len(w.strip()) >= 2 and w not in STOP_WORDS]
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" or c.isalnum()]
    return words + ["".join(pair) for pair in pairwise(chars)]


def group_similar(texts: Sequence[str], *, threshold: float = 0.4, min_size: int = 3) -> list[list[int]]:
    """Indexes of the texts grouped by recurring problem, largest group first."""
    if len(texts) < min_size:
        return []
    return star_groups(vectors(texts), threshold=threshold, min_size=min_size)


def vectors(texts: Sequence[str]):
    """The TF-IDF rows (L2-normalised, so a product is the cosine similarity) of the texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    cache: dict[str, list[str]] = {}

    def analyzer(text: str) -> list[str]:  # the same wording often comes in more than once
        if text not in cache:
            cache[text] = tokens(text)
        return cache[text]

    return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=1).fit_transform(texts)


def star_groups(matrix, *, threshold: float, min_size: int) -> list[list[int]]:
    """Groups of rows of the normalised sparse matrix whose cosine similarity reaches threshold."""
    # Star grouping: the first demand not yet in a group gathers every free demand similar to it.
    # Unlike linking any two similar demands (single linkage), this cannot chain a road problem to a
    # power problem through a demand that mentions both.
    # Only the demands still free are compared, block by block: once the recurring problems have
    # gathered their demands (in the first blocks, as a rule), the rest is a small product.
    free = np.ones(matrix.shape[0], dtype=bool)
    groups: dict[int, list[int]] = {}
    for start in range(0, matrix.shape[0], BLOCK):
        rows = start + np.flatnonzero(free[start : start + BLOCK])
        if not len(rows):
            continue
        candidates = np.flatnonzero(free)
        block = (matrix[rows] @ matrix[candidates].T).toarray()
        for i, row in zip(rows.tolist(), block, strict=True):
            if not free[i]:
                continue
            members = candidates[(row >= threshold) & free[candidates]]
            free[members] = False
            free[i] = False
            groups[i] = sorted({i, *members.tolist()})
    result = [g for g in groups.values() if len(g) >= min_size]
    return sorted(result, key=lambda g: (-len(g), g[0]))
