"""Fingerprints of an article's own text (indexer.ingest.fingerprint), on invented stories."""
import html
import json
import pickle

import numpy as np
import pytest
from datasketch import MinHash

from indexer.ingest import fingerprint as F
from indexer.ingest import readers
from indexer.ingest.fingerprint import fingerprint, own_text
from indexer.model import RawArticle
from indexer.stories import evidence
from tests.story_texts import (HARBOUR, HARBOUR_OTHER, REPORT_WEEK_1, REPORT_WEEK_2, VACCINE, body, edited,
                               outlet_copy)


def fp(text: str, title: str = "Kelmora harbour to be deepened"):
    result = fingerprint(title, text)
    assert result is not None
    return result


def test_own_text_drops_what_the_outlet_put_around_the_story():
    text = own_text("Port plan approved", outlet_copy(HARBOUR))
    assert text.startswith("The port authority of Kelmora approved")
    assert text.endswith("cut its handling charges.")
    for furniture in ("Anna Kowalczyk", "Harbour Daily", "Read more", "©", "(Reporting by"):
        assert furniture not in text


@pytest.mark.parametrize("lead", ["WASHINGTON (Reuters) - ", "LONDON, March 3 - ", "NEW YORK (AP) — ",
                                  "Kelmora (Harbour Daily) - ", "PARIS -- "])
def test_dateline_leads_are_dropped(lead):
    assert own_text("t", lead + HARBOUR[0]).startswith("The port authority")


def test_a_dateline_given_by_the_reader_is_dropped():
    assert own_text("t", "KELMORA, March 3 - " + HARBOUR[0], dateline="KELMORA, March 3").startswith("The port")


def test_prose_that_starts_with_capitals_is_kept():
    first = "NATO leaders - meeting in Kelmora for the first time - agreed on Tuesday to expand the harbour."
    assert own_text("t", body([first] + HARBOUR[1:])).startswith("NATO leaders")


def test_edge_stripping_never_takes_most_of_a_short_text():
    table = "Shr 22 cts vs 30 cts\nNet 1.2 mln vs 1.5 mln\nRevs 40.1 mln vs 38.2 mln\nAvg shrs 5.4 mln vs 5.1 mln"
    assert len(own_text("t", table).split()) >= 0.75 * len(table.split())


def test_headline_does_not_enter_the_fingerprint():
    assert fp(body(HARBOUR), "Port plan approved").values == fp(body(HARBOUR), "Fishermen angry at dredging").values


def test_case_accents_and_punctuation_are_folded():
    plain = body(HARBOUR)
    styled = plain.upper().replace("'", "’").replace("Varga", "Várga").replace(",", " ,")
    assert fp(styled).values == fp(plain.replace("Varga", "VARGA")).values


def test_values_are_those_of_datasketch_minhash():
    hashes = F.shingle_hashes(body(VACCINE))
    sketch = MinHash(num_perm=F.NUM_PERM, seed=F.SEED, scheme="affine32", hashfunc=lambda x: x)
    sketch.update_batch(hashes.tolist())
    assert np.array_equal(F.of_hashes(hashes).array(), sketch.hashvalues)


def test_permutations_are_those_datasketch_draws_for_any_seed():
    for seed in (F.SEED, 7):
        a, b = F.affine32_permutations(64, seed)
        want_a, want_b = MinHash(num_perm=64, seed=seed, scheme="affine32").permutations
        assert np.array_equal(a, want_a) and np.array_equal(b, want_b)


def test_the_extraction_side_does_not_load_datasketch():
    import subprocess
    import sys
    probe = "import sys; import indexer.ingest.pipeline, indexer.build; print('datasketch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip() == "False"


def test_fingerprint_pickles_small():
    size = len(pickle.dumps(fp(outlet_copy(HARBOUR))))
    assert size < 4 * F.NUM_PERM + 160


def test_too_short_has_no_fingerprint():
    assert fingerprint("Flash: port closed", "Port closed.") is None
    assert fingerprint("A headline with many words in it that goes on and on", "") is None


def test_words_in_other_scripts_are_kept():
    greek = "Η λιμενική αρχή της πόλης ενέκρινε σχέδιο για την εκβάθυνση του βόρειου καναλιού του λιμανιού σήμερα"
    result = fingerprint("t", greek)
    assert result is not None and result.shingles == len(greek.split()) - F.SHINGLE_WORDS + 1


def test_a_cut_copy_is_contained_in_its_original():
    e = evidence(fp(body(HARBOUR[:4])), fp(body(HARBOUR)))
    assert e.containment > 0.85 and 0.3 < e.jaccard < 0.7


def test_an_update_contains_its_original():
    e = evidence(fp(body(HARBOUR)), fp(body(HARBOUR + VACCINE[:2])))
    assert e.containment > 0.85


def test_different_stories_on_the_same_subject_share_little():
    e = evidence(fp(body(HARBOUR)), fp(body(HARBOUR_OTHER)))
    assert e.jaccard < 0.1 and e.containment < 0.2


def test_figures_mask_tells_issues_of_a_report_apart():
    a, b = fp(body(REPORT_WEEK_1)), fp(body(REPORT_WEEK_2))
    assert (a.numbers & ~b.numbers).bit_count() >= 5
    assert fp(body(REPORT_WEEK_1[:2])).numbers & ~a.numbers == 0


def _render(kind: str, title: str, paragraphs: list[str]) -> tuple[str, str]:
    if kind == "html":
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        return ".html", (f"<html><head><title>{html.escape(title)} | Harbour Daily</title></head><body>"
                         f"<nav><ul><li>Home</li><li>World</li><li>Business</li></ul></nav>"
                         f"<article><h1>{html.escape(title)}</h1>{paras}</article>"
                         f"<aside><h2>Related stories</h2><ul><li>Fishermen protest at dredging</li></ul></aside>"
                         f"<footer>© 2020 Harbour Daily. Privacy policy</footer></body></html>")
    if kind == "json":
        return ".json", json.dumps({"title": title, "date": "2020-03-03", "body": body(paragraphs)})
    return ".txt", title + "\n\n" + body(paragraphs) + "\n"


def test_html_text_and_json_renderings_fingerprint_alike(tmp_path):
    prints = {}
    for kind in ("html", "json", "text"):
        suffix, content = _render(kind, "Kelmora to deepen harbour", HARBOUR)
        path = tmp_path / f"story{suffix}"
        path.write_text(content, encoding="utf-8")
        raw = next(r for r in readers.read_file(path) if isinstance(r, RawArticle))
        prints[kind] = fingerprint(raw.title, raw.body, raw.dateline)
    for kind in ("html", "json"):
        assert evidence(prints[kind], prints["text"]).jaccard > 0.9, kind
