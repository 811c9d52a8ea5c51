"""Decoding, text cleaning and page-furniture rules (indexer.ingest.clean)."""
import pytest

from indexer.ingest.clean import (clean_line, clean_text, decode_bytes, drop_furniture, is_furniture,
                           looks_binary, paragraphs)
from indexer.model import SKIP_UNREADABLE, SkipFile


# --------------------------------------------------------------------------- decode_bytes

def test_decode_utf8_and_bom():
    assert decode_bytes("Café Zürich".encode()) == "Café Zürich"
    assert decode_bytes(b"\xef\xbb\xbfCaf\xc3\xa9") == "Café"


def test_decode_latin1_keeps_accents():
    text = "Le café de la gare a rouvert après les travaux. Señor Müller était là."
    assert decode_bytes(text.encode("latin-1")) == text


def test_decode_cp1252_quotes():
    text = "“Quoted” — and it’s fine…"
    assert decode_bytes(text.encode("cp1252")) == text


def test_decode_utf16_with_and_without_bom():
    assert decode_bytes("Grüße aus Köln".encode("utf-16")) == "Grüße aus Köln"
    assert decode_bytes("Plain words in UTF-16".encode("utf-16-le")) == "Plain words in UTF-16"


def test_decode_cyrillic_legacy_encoding():
    text = "Президент заявил сегодня, что переговоры продолжатся на следующей неделе в Москве."
    assert decode_bytes(text.encode("cp1251")) == text


def test_invalid_utf8_in_the_middle_keeps_the_rest():
    data = "Début: café. ".encode() * 20 + b"\xff\xfe broken " + "Fin: thé.".encode()
    text = decode_bytes(data)
    assert text.startswith("Début: café.")
    assert text.endswith("Fin: thé.")
    assert "Ã" not in text                       # not re-read as latin-1 mojibake


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    bytes(range(256)) * 4,
    b"\x00\x01\x02\x03\x04\x05\x06\x07 binary",
])
def test_binary_content_is_unreadable(data):
    assert looks_binary(data)
    with pytest.raises(SkipFile) as exc:
        decode_bytes(data)
    assert exc.value.reason == SKIP_UNREADABLE
    assert "binary" in exc.value.detail


def test_single_stray_nul_is_not_binary():
    data = b"A normal sentence about the harbour.\x00 Another sentence follows here."
    assert not looks_binary(data)
    assert "\x00" not in clean_text(decode_bytes(data))


# --------------------------------------------------------------------------- clean_text

def test_clean_text_controls_and_whitespace():
    raw = "Title\r\n\r\n\r\nFirst  line\twith\x07 bell\u00a0and nbsp \n  second line  \n\n\n\nLast\x00 para\u200b."
    assert clean_text(raw) == "Title\n\nFirst line with bell and nbsp\nsecond line\n\nLast para."


def test_clean_text_nfc():
    decomposed = "Cafe\u0301"
    assert clean_text(decomposed) == "Café"
    assert len(clean_text(decomposed)) == 4


def test_clean_line_and_paragraphs():
    assert clean_line("  Two\nlines  ") == "Two lines"
    assert paragraphs("One.\n\n\n\nTwo.\nStill two.") == ["One.", "Two.\nStill two."]
    assert clean_text("") == "" and paragraphs("   \n ") == []


# --------------------------------------------------------------------------- furniture

@pytest.mark.parametrize("line", [
    "Accessibility links", "Breaking News", "Skip to main content", "Share this", "Print",
    "Menu", "Home", "Subscribe", "Advertisement", "Related", "SHARE THIS ARTICLE",
    "We use cookies to give you the best experience on our website. Accept?",
    "This site uses cookies.", "Follow us on Twitter", "Share on Facebook",
    "Copyright © 2004 Example News. All rights reserved.",
    "Home | World | Europe", "News › Science › Space", "•",
])
def test_known_furniture(line):
    assert is_furniture(line, short_rule=False)


@pytest.mark.parametrize("line", [
    "A senior Bush administration official said Thursday the talks would resume.",
    "He said no.",
    "Cookies and biscuits were handed out to the crowd, which uses cookies as a symbol.",
    "The end of an era: 1987-2004",
    "Prices rose 5 pct",
])
def test_real_text_is_not_furniture(line):
    assert not is_furniture(line)


def test_short_rule_only_when_asked_and_never_the_title():
    assert is_furniture("Weather Outlook")                   # short, Title Cased, no punctuation
    assert not is_furniture("Weather Outlook", short_rule=False)
    assert not is_furniture("Obama Wins Election", title="Obama Wins Election")
    assert not is_furniture("The change takes eff")          # lower-case words: a sentence fragment
    assert not is_furniture("Rates rose 2 pct")              # digits: data, not a menu


def test_drop_furniture_keeps_short_body_paragraphs():
    paras = ["Breaking News", "Harbour Reopens", "The harbour reopened today.",
             "Background", "It had been closed since May.", "Share this\nRelated", "Most Popular"]
    assert drop_furniture(paras, title="Harbour Reopens") == [
        "The harbour reopened today.", "Background", "It had been closed since May."]


def test_drop_furniture_never_empties_a_one_line_body():
    assert drop_furniture(["Rain Expected"]) == ["Rain Expected"]
