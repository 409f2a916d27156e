"""Similar ideas come grouped: measured on 240 French suggestions with known near-duplicates."""

from __future__ import annotations

from pathlib import Path

from hub.grouping import DEFAULT_THRESHOLD, group, pair_scores, similarity, trigrams

TEST_SET = Path(__file__).with_name("test_hub_grouping_set.txt")


def load_test_set() -> tuple[list[str], list[list[int]]]:
    texts: list[str] = []
    truth: list[list[int]] = [[]]
    lines = [ln.strip() for ln in TEST_SET.read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if not ln.startswith("#")]
    singles_from = max(i for i, ln in enumerate(lines) if not ln) + 1
    for number, line in enumerate(lines):
        if not line:
            truth.append([])
            continue
        if number >= singles_from:
            truth.append([])
        truth[-1].append(len(texts))
        texts.append(line)
    return texts, [g for g in truth if g]


def test_the_test_set_is_large_enough_and_has_near_duplicates():
    texts, truth = load_test_set()
    assert len(texts) >= 200
    assert sum(1 for g in truth if len(g) > 1) >= 50


def test_same_words_without_accents_or_function_words_are_very_similar():
    a = trigrams("Installer plus de bancs dans le parc")
    b = trigrams("installer plus de banc au parc")
    assert similarity(a, b) > 0.6


def test_unrelated_ideas_are_not_similar():
    a = trigrams("Ouvrir la piscine le dimanche")
    b = trigrams("Réparer le chauffage de l'école maternelle")
    assert similarity(a, b) < 0.1


def test_near_duplicates_land_in_one_group():
    texts = [
        "Ajouter des bancs au parc",
        "Réparer le chauffage de l'école",
        "Installer plus de bancs dans le parc",
    ]
    groups = group(texts)
    assert groups[0] == [0, 2]
    assert groups[1] == [1]


def test_grouping_precision_and_recall_on_the_french_test_set():
    texts, truth = load_test_set()
    print(f"\n{len(texts)} suggestions, {len(truth)} true groups")
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4):
        precision, recall = pair_scores(group(texts, threshold), truth)
        marker = "  <- default" if threshold == DEFAULT_THRESHOLD else ""
        print(f"threshold {threshold:.2f}: precision {precision:.2f} recall {recall:.2f}{marker}")
    precision, recall = pair_scores(group(texts, DEFAULT_THRESHOLD), truth)
    assert precision >= 0.8
    assert recall >= 0.5
