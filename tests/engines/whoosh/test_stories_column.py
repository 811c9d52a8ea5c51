"""Counting by story with numpy (indexer/engines/whoosh/stories.py) against a plain count of sets."""
from __future__ import annotations

import random

import numpy as np

from indexer.engines.whoosh.stories import StoryColumn, bucket_counts, first_per_story


def _random(seed: int):
    rng = random.Random(seed)
    ndocs, nstories, nvalues = 400, 90, 12
    story = np.array([rng.randrange(nstories) for _ in range(ndocs)], dtype=np.int32)
    day = np.array([rng.choice([0, *range(730000, 730040)]) for _ in range(ndocs)], dtype=np.int32)
    pairs = sorted({(d, rng.randrange(nvalues)) for d in range(ndocs) for _ in range(rng.randrange(4))})
    mask = np.array([rng.random() < 0.6 for _ in range(ndocs)])
    return story, day, pairs, mask, nvalues


def test_distinct_stories_per_value_match_a_count_of_sets():
    for seed in range(5):
        story, day, pairs, mask, nvalues = _random(seed)
        stories = StoryColumn(story, day)
        docs = np.array([d for d, _ in pairs], dtype=np.int64)
        values = np.array([v for _, v in pairs], dtype=np.int64)
        want = [len({int(story[d]) for d, v in pairs if v == value and mask[d]}) for value in range(nvalues)]
        assert bucket_counts(mask, docs, values, nvalues, stories).tolist() == want
        order = np.lexsort((docs, story[docs], values))           # sorted by value, then story: no sort needed
        assert bucket_counts(mask, docs[order], values[order], nvalues, stories, adjacent=True).tolist() == want
        articles = [sum(1 for d, v in pairs if v == value and mask[d]) for value in range(nvalues)]
        assert bucket_counts(mask, docs, values, nvalues).tolist() == articles


def test_stories_per_day_over_the_story_order_match_a_count_of_sets():
    story, day, _, mask, _ = _random(7)
    stories = StoryColumn(story, day)
    first = 730000
    by_day = bucket_counts(mask, stories.order, lambda d: np.where(day[d] > 0, day[d] - first, -1), 40, stories,
                           adjacent=True)
    want = [len({int(story[d]) for d in range(len(day)) if mask[d] and day[d] == first + i}) for i in range(40)]
    assert by_day.tolist() == want
    assert stories.distinct(mask) == len({int(s) for s, m in zip(story, mask) if m})


def test_a_story_s_members_are_oldest_first_undated_last():
    stories = StoryColumn(np.array([1, 0, 1, 1, 0], dtype=np.int32), np.array([5, 3, 0, 2, 9], dtype=np.int32))
    assert stories.members(1).tolist() == [3, 0, 2] and stories.members(0).tolist() == [1, 4]


def test_first_per_story_keeps_ranked_order():
    stories = StoryColumn(np.array([0, 1, 0, 2, 1], dtype=np.int32), np.zeros(5, dtype=np.int32))
    ranked = np.array([4, 2, 0, 1, 3])
    assert ranked[first_per_story(ranked, stories)].tolist() == [4, 2, 3]
