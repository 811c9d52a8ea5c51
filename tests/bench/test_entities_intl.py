"""bench/entities_intl.py scores a revision from before language detection (``--baseline``) without failing."""
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _entities_intl():
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import entities_intl
    return entities_intl


def test_detected_mode_tells_no_language_when_the_code_has_no_detector(monkeypatch):
    bench = _entities_intl()
    doc = {"lang": "fr", "title": "Un séisme au Népal", "body": "Un troisième Français est mort dans le séisme."}
    monkeypatch.setitem(sys.modules, "indexer.ingest.languages", None)    # import fails as in 64a89d6
    assert bench._language(doc, "detected") is None
    assert bench._language(doc, "given") == "fr"


def test_detected_mode_detects_with_this_code():
    bench = _entities_intl()
    doc = {"lang": "fr", "title": "Un troisième Français mort dans le séisme au Népal",
           "body": "Le ministère des Affaires étrangères a confirmé la mort d'un troisième ressortissant "
                   "français dans le tremblement de terre qui a frappé le Népal samedi."}
    assert bench._language(doc, "detected") == "fr"
