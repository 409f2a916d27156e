"""Grouping similar ideas (pure): character-trigram similarity as PostgreSQL's pg_trgm does it.

Each word, lower-cased, without accents, padded with two spaces before and one after, gives
its set of three-character slices; the similarity of two texts is |A ∩ B| / |A ∪ B|. French
function words are dropped first, so "des bancs dans le parc" and "bancs au parc" compare
on what they say. A group holds ideas that are all pairwise at or above the threshold
(complete linkage), largest group first. Decidim
uses pg_trgm's default threshold of 0.25; the measured precision and recall on our French
test set decided `DEFAULT_THRESHOLD` (see tests/unit/test_hub_grouping.py).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

DEFAULT_THRESHOLD = 0.25

STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette d dans de des du en et il ils je l la le les leur leurs
    lui ma mais me mes mon ne nos notre nous on ou par pas plus pour qu que qui sa se ses
    son sur ta te tes ton tu un une vos votre vous y est sont etre faire faut il serait
    bien tres peu svp merci
    """.split()
)

_WORD = re.compile(r"[a-z0-9]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe")


def words(text: str) -> list[str]:
    found = _WORD.findall(_fold(text))
    kept = [w for w in found if w not in STOP_WORDS]
    return kept or found


def trigrams(text: str) -> frozenset[str]:
    grams = set()
    for word in words(text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def group(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Indexes of `texts` in groups of similar ones, largest group first, each in input order.

    Complete linkage: two groups merge only when every idea of one is similar to every idea
    of the other. Single linkage chained unrelated ideas through their shared place names
    ("le parc") and fell to 4 % precision on the test set.
    """
    grams = [trigrams(t) for t in texts]
    close = _similar_pairs(grams, threshold)
    members = {i: [i] for i in range(len(texts))}
    owner = list(range(len(texts)))
    for _, i, j in sorted(((s, i, j) for (i, j), s in close.items()), reverse=True):
        a, b = owner[i], owner[j]
        if a == b:
            continue
        if all((min(x, y), max(x, y)) in close for x in members[a] for y in members[b]):
            for x in members[b]:
                owner[x] = a
            members[a].extend(members.pop(b))
    groups = [sorted(m) for m in members.values()]
    return sorted(groups, key=lambda m: (-len(m), m[0]))


def _similar_pairs(grams: list[frozenset[str]], threshold: float) -> dict[tuple[int, int], float]:
    """{(i, j): similarity} for i < j at or above the threshold.

    Prefix filtering (as in the AllPairs similarity join): with trigrams sorted rarest
    first, two sets whose similarity reaches t share a trigram among the first
    |x| - ceil(t·|x|) + 1 of each. Indexing only those prefixes keeps the very common
    trigrams (" p", "de ") out of the candidate lists, which otherwise pair every idea
    with every other one.
    """
    frequency = Counter(gram for g in grams for gram in g)
    close: dict[tuple[int, int], float] = {}
    index: dict[str, list[int]] = {}
    for j, g in enumerate(grams):
        ordered = sorted(g, key=lambda gram: (frequency[gram], gram))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
        candidates: set[int] = set()
        for gram in prefix:
            candidates.update(index.get(gram, ()))
        for i in candidates:
            score = similarity(grams[i], g)
            if score >= threshold:
                close[(i, j)] = score
        for gram in prefix:
            index.setdefault(gram, []).append(j)
    return close


def pair_scores(predicted: list[list[int]], truth: list[list[int]]) -> tuple[float, float]:
    """Pairwise (precision, recall) of a grouping against the true groups."""

    def pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
        return {(a, b) for g in groups for a in g for b in g if a < b}

    got, want = pairs(predicted), pairs(truth)
    precision = len(got & want) / len(got) if got else 1.0
    recall = len(got & want) / len(want) if want else 1.0
    return precision, recall


def representative(texts: Sequence[str]) -> int:
    """The index of the text closest to all the others of a group: the one to title it by."""
    grams = [trigrams(text) for text in texts]
    if len(grams) < 3:
        return 0  # with two, either is as close to the other: the first (oldest) one

    def closeness(index: int) -> float:
        return sum(similarity(grams[index], other) for other in grams)

    return max(range(len(grams)), key=lambda index: (closeness(index), -index))
