"""The LSH band index (indexer.bands): candidates share a band, removed rows go, merges keep rows."""
import numpy as np

from indexer import bands
from indexer.bands import BandIndex


def signature(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**32, size=128, dtype=np.uint64).astype(np.uint32)


def test_a_shared_band_makes_a_candidate_and_no_shared_band_none():
    index = BandIndex(64, 2)
    a, b = signature(1), signature(2)
    index.add(0, a)
    index.add(1, b)
    near = a.copy()
    near[2:] = signature(3)[2:]                      # only the first band (values 0 and 1) is a's
    assert set(index.candidates(near).tolist()) == {0}
    assert set(index.candidates(signature(4)).tolist()) == set()
    assert set(index.candidates(a).tolist()) == {0}


def test_removed_rows_are_not_candidates_before_or_after_a_merge(monkeypatch):
    monkeypatch.setattr(bands, "MERGE_EVERY", 3)
    index = BandIndex(64, 2)
    sigs = [signature(i) for i in range(7)]
    for row in range(3):                             # the third add merges the dict into the arrays
        index.add(row, sigs[row])
    index.remove(1)
    assert index.candidates(sigs[1]).tolist() == []
    for row in range(3, 7):
        index.add(row, sigs[row])
    assert [set(index.candidates(sigs[r]).tolist()) for r in range(7)] == [{0}, set(), {2}, {3}, {4}, {5}, {6}]
    assert len(index) == 6


def test_rows_sharing_a_band_are_all_returned():
    index = BandIndex(64, 2)
    sig = signature(9)
    for row in range(5):
        index.add(row, sig)
    assert sorted(index.candidates(sig).tolist()) == [0, 1, 2, 3, 4]
