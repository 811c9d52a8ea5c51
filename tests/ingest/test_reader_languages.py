"""What each reader declares about an article's language, and how the pipeline uses it: the JSON
reader's ``lang``/``language``/``inLanguage``/``locale``; the HTML reader's ``<html lang>``, its
``og:locale``, ``content-language`` and Dublin Core meta, and the story's JSON-LD ``inLanguage``;
the text and Reuters readers declare nothing. The pipeline keeps a declaration when the text agrees,
lets the text win when it does not, takes it as it is on too little text, and hands the language to
extraction. The articles are invented sentences."""
from __future__ import annotations

import json

import pytest

from indexer.ingest import pipeline
from indexer.ingest.readers import read_file
from indexer.ingest.readers.html import parse_html
from indexer.ingest.readers.jsonfile import article_from_object

FRENCH = ("Le conseil municipal a adopté le nouveau budget après un long débat mardi soir. Les habitants "
          "estiment que le plan augmentera les impôts locaux.")
SPANISH = ("El ayuntamiento aprobó el nuevo presupuesto tras un largo debate el martes por la noche. Los vecinos "
           "dijeron que el plan subirá los impuestos locales.")
ENGLISH = "The city council approved the new budget after a long debate on Tuesday evening."


def _language(raw) -> str:
    return pipeline.to_article(raw, "x", "h").facets.get("language", [""])[0]


@pytest.mark.parametrize("key,value,declared", [
    ("lang", "fr", "fr"), ("language", "fr-FR", "fr-FR"), ("inLanguage", "fr_CA", "fr_CA"), ("locale", "fr", "fr"),
    ("inLanguage", {"@type": "Language", "name": "French", "alternateName": "fr"}, "fr"),
    ("language", ["fr", "en"], "fr"), ("lang", 7, None), ("lang", "", None),
])
def test_the_json_reader_passes_the_declared_language(key, value, declared):
    raw = article_from_object({"title": "Budget", "body": FRENCH, key: value}, "a.json", None)
    assert raw.declared_language == declared
    assert _language(raw) == "fr"


def test_json_declared_language_is_kept_on_short_text_and_overruled_by_a_long_one():
    short = article_from_object({"title": "Budget", "body": "Oui.", "lang": "fr"}, "a.json", None)
    assert _language(short) == "fr"                       # nothing to contradict it
    unknown = article_from_object({"title": "Budget", "body": "Oui."}, "a.json", None)
    assert _language(unknown) == ""                       # too little text, nothing declared: unknown
    wrong = article_from_object({"title": "Presupuesto", "body": SPANISH, "lang": "en"}, "a.json", None)
    assert wrong.declared_language == "en" and _language(wrong) == "es"


def _page(head: str = "", html_attrs: str = "", body: str = FRENCH) -> bytes:
    return (f"<!doctype html><html {html_attrs}><head><title>Budget</title>{head}</head><body><article>"
            f"<h1>Budget</h1><p>{body}</p></article></body></html>").encode()


@pytest.mark.parametrize("page,declared", [
    (_page(html_attrs='lang="fr-FR"'), "fr-FR"),
    (_page(html_attrs='xml:lang="fr"'), "fr"),
    (_page(head='<meta property="og:locale" content="fr_FR">'), "fr_FR"),
    (_page(head='<meta http-equiv="content-language" content="fr">'), "fr"),
    (_page(head='<meta name="DC.language" content="fr">'), "fr"),
    (_page(head='<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget", '
                 '"inLanguage": "fr"}</script>'), "fr"),
    (_page(html_attrs='lang="fr"', head='<meta property="og:locale" content="en_US">'), "fr"),   # <html lang> first
    (_page(), None),
])
def test_the_html_reader_passes_the_declared_language(page, declared):
    raw = parse_html(page, "a.html")
    assert raw.declared_language == declared
    assert _language(raw) == "fr"


def test_a_page_declaring_english_over_french_text_is_french():
    raw = parse_html(_page(html_attrs='lang="en"'), "a.html")
    assert raw.declared_language == "en" and _language(raw) == "fr"


def test_text_and_reuters_readers_declare_nothing_and_the_text_decides(tmp_path):
    txt = tmp_path / "a.txt"
    txt.write_text(f"Presupuesto aprobado\n\n{SPANISH}\n", encoding="utf-8")
    raw = next(read_file(txt))
    assert raw.declared_language is None and _language(raw) == "es"
    sgm = tmp_path / "r.sgm"
    sgm.write_text('<REUTERS NEWID="1"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>BUDGET APPROVED</TITLE>'
                   f"<BODY>{ENGLISH} Officials said taxes would rise next year.</BODY></TEXT></REUTERS>",
                   encoding="latin-1")
    raw = next(read_file(sgm))
    assert raw.declared_language is None and _language(raw) == "en"


def test_the_pipeline_hands_the_language_to_extraction(monkeypatch):
    seen = []
    real = pipeline.extract

    def spy(title, body, dateline=None, language=None):
        seen.append(language)
        return real(title, body, dateline, language=language)
    monkeypatch.setattr(pipeline, "extract", spy)
    pipeline.to_article(article_from_object({"title": "Presupuesto", "body": SPANISH}, "a.json", None), "x", "h")
    pipeline.to_article(article_from_object({"title": "Ja", "body": "Oui."}, "a.json", None), "x", "h")
    assert seen == ["es", None]


def test_extract_json_gives_the_language_as_a_code_or_null(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(o) for o in ({"title": "Presupuesto", "body": SPANISH},
                                                     {"title": "Ja", "body": "Oui."})) + "\n", encoding="utf-8")
    rows = list(pipeline.extract_files([path]))
    assert [r["language"] for r in rows] == ["es", None]
