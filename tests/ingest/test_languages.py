"""Language detection (indexer.ingest.languages): invented sentences in each language, short and
long, with and without a declared language."""
import pytest

from indexer.ingest import languages
from indexer.ingest.languages import MIN_LETTERS, article_language, detect, has_letters, language_code, letters, ranked

# One invented news sentence per language (each well over MIN_LETTERS letters).
SENTENCES = {
    "en": "The city council approved the new budget after a long debate on Tuesday evening.",
    "es": "El ayuntamiento aprobó el nuevo presupuesto tras un largo debate el martes por la noche.",
    "fr": "Le conseil municipal a adopté le nouveau budget après un long débat mardi soir.",
    "de": "Der Stadtrat hat den neuen Haushalt nach einer langen Debatte am Dienstagabend beschlossen.",
    "it": "Il consiglio comunale ha approvato il nuovo bilancio dopo un lungo dibattito martedì sera.",
    "pt": "A câmara municipal aprovou o novo orçamento depois de um longo debate na terça-feira à noite.",
    "nl": "De gemeenteraad heeft dinsdagavond na een lang debat de nieuwe begroting goedgekeurd.",
    "ru": "Городской совет утвердил новый бюджет после долгих дебатов во вторник вечером.",
    "sv": "Kommunfullmäktige godkände den nya budgeten efter en lång debatt på tisdagskvällen.",
    "da": "Byrådet vedtog det nye budget efter en lang debat tirsdag aften, oplyser kommunen.",
    "no": "Bystyret vedtok det nye budsjettet etter en lang debatt tirsdag kveld, opplyser kommunen.",
    "fi": "Kaupunginvaltuusto hyväksyi uuden talousarvion pitkän keskustelun jälkeen tiistai-iltana.",
    "zh": "市议会在周二晚上经过长时间辩论后批准了新的预算方案。",
    "ja": "市議会は火曜日の夜、長い議論の末に新しい予算案を承認しました。",
}

# A second sentence each, so that a long text is not one sentence repeated.
MORE = {
    "en": "Residents said the plan would raise local taxes and close two libraries next year.",
    "es": "Los vecinos dijeron que el plan subirá los impuestos locales y cerrará dos bibliotecas.",
    "fr": "Les habitants estiment que le plan augmentera les impôts locaux et fermera deux bibliothèques.",
    "de": "Anwohner sagten, der Plan werde die örtlichen Steuern erhöhen und zwei Bibliotheken schließen.",
    "it": "I residenti hanno detto che il piano aumenterà le tasse locali e chiuderà due biblioteche.",
    "pt": "Os moradores disseram que o plano vai aumentar os impostos locais e fechar duas bibliotecas.",
    "nl": "Bewoners zeiden dat het plan de lokale belastingen verhoogt en twee bibliotheken sluit.",
}


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_a_sentence_is_detected(lang):
    assert detect(SENTENCES[lang]) == lang


@pytest.mark.parametrize("lang", sorted(MORE))
def test_an_article_is_detected_from_title_and_body(lang):
    title = SENTENCES[lang]
    body = " ".join([MORE[lang], SENTENCES[lang]] * 20)
    assert article_language(title, body) == lang


@pytest.mark.parametrize("text", ["", "Oslo 2024", "a" * 19, "a" * 20, "12,5 % — 3.400", "Ça coûte 3 € à Zürich, señor",
                                  "é" * 19 + "1" * 40, "数据" * 10, "_" * 30 + "b" * 19, "x_" * 25])
def test_enough_letters_is_told_as_counting_them_would(text):
    for count in (1, MIN_LETTERS, 25):
        assert has_letters(text, count) == (letters(text) >= count)


def test_too_little_text_is_unknown():
    assert letters("Oslo 2024") < MIN_LETTERS
    assert detect("Oslo 2024") == ""
    assert detect("") == ""
    assert detect("12,5 % — 3.400 / 2.100") == ""


def test_too_little_text_takes_the_declared_language():
    assert detect("Wahl in Bayern", declared="de-DE") == "de"


def test_a_declared_language_the_text_agrees_with_is_kept():
    # Danish and Norwegian Bokmål share most words: where the text could be either, the declaration
    # decides; a language the text does not support is not taken.
    text = "Det er ikke sikkert at han kommer til mødet i morgen."
    assert {code for code, p in ranked(text) if p > 0.3} == {"da", "no"}
    assert detect(text, declared="da-DK") == "da"
    assert detect(text, declared="nb-NO") == "no"
    assert detect(text, declared="sv") == detect(text)


def test_a_declared_language_the_text_contradicts_loses():
    # A template's lang="en" over a French article.
    assert detect(SENTENCES["fr"] + " " + SENTENCES["fr"], declared="en") == "fr"
    assert detect(SENTENCES["de"], declared="es") == "de"


def test_an_unknown_declared_tag_is_ignored():
    assert detect(SENTENCES["it"], declared="x-default") == "it"
    assert detect(SENTENCES["it"], declared="zz") == "it"


def test_only_the_start_of_a_long_text_is_read():
    # The first TEXT_CHARS characters decide (the cost grows with every byte).
    text = SENTENCES["es"] * 5 + SENTENCES["de"] * 50
    assert detect(text) == "es"


@pytest.mark.parametrize("tag, code", [
    ("en-US", "en"), ("pt_BR", "pt"), ("fr-FR", "fr"), ("nb-NO", "no"), ("no", "no"), ("nn", "nn"),
    ("zh-Hant-TW", "zh"), ("iw", "he"), ("deu", "de"), ("ES", "es"), (" it ", "it"),
    ("x-default", ""), ("", ""), (None, ""), ("english", ""), ("12", ""),
])
def test_declared_tags_become_iso_639_1_codes(tag, code):
    assert language_code(tag) == code


def test_the_detector_chooses_only_among_the_detected_languages():
    codes = {code for lang in SENTENCES for code, _ in ranked(SENTENCES[lang], top=5)}
    assert codes <= set(languages.DETECTED) | {"no"}
    assert all(len(code) == 2 for code in codes)
