"""The cue lexicon per language: each of en, de, fr, es, it, pt, pl, nl removes its own teaser,
promo-list and sign-up lines, and keeps a real sentence that merely starts with the cue."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from pipeline.strip import Stripper

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "pl", "nl")
CORE_FAMILIES = ("read_more", "promo_block", "signup", "consent", "ad_marker", "source_label")

BODY = {
    "en": "The council approved the budget on Tuesday after a long debate about the harbour.",
    "de": "Der Stadtrat hat den Haushalt am Dienstag nach einer langen Debatte beschlossen.",
    "fr": "Le conseil municipal a adopté le budget mardi après un long débat sur le port.",
    "es": "El ayuntamiento aprobó el presupuesto el martes tras un largo debate sobre el puerto.",
    "it": "Il consiglio comunale ha approvato il bilancio martedì dopo un lungo dibattito.",
    "pt": "A câmara aprovou o orçamento na terça-feira depois de um longo debate sobre o porto.",
    "pl": "Rada miasta przyjęła budżet we wtorek po długiej debacie na temat portu.",
    "nl": "De gemeenteraad keurde dinsdag de begroting goed na een lang debat over de haven.",
}
TEASERS = {
    "en": ["Further reading: Harbour budget explained", "Keep reading: The pier in numbers"],
    "de": ["Zum Weiterlesen: Was der Haushalt bedeutet", "Lesen Sie auch: Der Hafen im Wandel"],
    "fr": ["À lire aussi : Le port en chiffres", "Pour lire la suite"],
    "es": [
        "Le puede interesar: El puerto en cifras",
        "VEA TAMBIÉN: Qué cambia en el puerto",
        "MIRA: Así quedó el muelle tras la tormenta",
    ],
    "it": ["Leggi anche: Il porto in cifre", "Per approfondire: Cosa cambia al porto"],
    "pt": ["Leia também: O porto em números", "Continue lendo: O que muda no porto"],
    "pl": ["Czytaj też: Port w liczbach", "Sprawdź także: Co zmieni się w porcie"],
    "nl": ["Lees ook: De haven in cijfers", "Lees hier: Wat er verandert in de haven"],
}
PROMO_CUES = {
    "en": "You might also like",
    "de": "Weitere Artikel zum Thema",
    "fr": "Vous pourriez aussi aimer",
    "es": "Últimas noticias",
    "it": "Ultime notizie",
    "pt": "Últimas notícias",
    "pl": "Najnowsze artykuły",
    "nl": "Gerelateerde berichten",
}
HEADLINES = ["Mayor Opens New Ferry Terminal", "Storm Closes Coastal Road For Two Days"]
SIGNUPS = {
    "en": "Sign up now for our weekly edition",
    "de": "Jetzt registrieren und keine Ausgabe verpassen",
    "fr": "Abonnez-vous à notre lettre du matin",
    "es": "Suscríbete a nuestro boletín diario",
    "it": "Iscriviti alla newsletter del mattino",
    "pt": "Inscreva-se na nossa newsletter",
    "pl": "Zapisz się do naszego newslettera",
    "nl": "Schrijf je in voor onze nieuwsbrief",
}
NEWSLETTER_OFFERS = {
    "en": "The Friday newsletter brings you the week's harbour news, free of charge.",
    "de": "Mit dem Hafen-Newsletter bekommst du jeden Freitag die wichtigsten Termine.",
    "fr": "Avec la newsletter du port, vous recevez chaque semaine l'essentiel.",
    "es": "Con el boletín del puerto, usted recibe cada lunes las noticias de la semana.",
    "it": "La newsletter del porto arriva ogni venerdì: scegli tu quando leggerla.",
    "pt": "Com a newsletter do porto, você recebe as notícias da semana.",
    "pl": "Newsletter portu: twoja dawka wiadomości w każdy piątek.",
    "nl": "Met de nieuwsbrief van de haven krijg jij elke vrijdag het nieuws.",
}
CONTACT_LABELS = {
    "en": "Media contact:",
    "de": "Pressekontakt:",
    "fr": "Contact presse",
    "es": "Contacto de prensa:",
    "it": "Ufficio stampa",
    "pt": "Assessoria de imprensa:",
    "pl": "Kontakt dla mediów",
    "nl": "Perscontact:",
}
LETTER_CALLS = {
    "en": "Send us your letter to the editor at letters@example.org.",
    "de": "Schreiben Sie uns einen Leserbrief an leserbriefe@example.org.",
    "fr": "Écrivez-nous pour le courrier des lecteurs : lecteurs@example.org.",
    "es": "Escríbenos tu carta al director a cartas@example.org.",
    "it": "Scrivici la tua lettera al direttore a lettere@example.org.",
    "pt": "Envie-nos a sua carta do leitor para cartas@example.org.",
    "pl": "Napisz do nas list do redakcji na adres listy@example.org.",
    "nl": "Stuur ons uw lezersbrief via brieven@example.org.",
}
POINTERS = {
    "en": "You will find the full timetable here.",
    "de": "Den vollständigen Fahrplan finden Sie hier.",
    "fr": "Vous trouverez le calendrier complet ici.",
    "es": "Puedes consultar tu calendario completo aquí.",
    "it": "Trovi il tuo calendario completo qui.",
    "pt": "Você encontra o calendário completo aqui.",
    "pl": "Twój pełny rozkład znajdziesz tutaj.",
    "nl": "Je vindt de volledige dienstregeling hier.",
}
SENTENCES = {
    "en": "Further reading of the report shows the harbour lost money for three years.",
    "de": "Mehr dazu sagte der Bürgermeister am Abend vor dem Rathaus nicht.",
    "fr": "À lire les comptes, le port perd de l'argent depuis trois ans.",
    "es": "Le puede interesar al lector saber que el puerto pierde dinero desde hace años.",
    "it": "Per approfondire la questione, il consiglio ha nominato una commissione.",
    "pt": "Leia também o relatório, disse o prefeito aos vereadores na terça-feira.",
    "pl": "Czytaj dalej tylko ci, którzy mają czas, powiedział burmistrz.",
    "nl": "Meer lezen doen de inwoners volgens het onderzoek niet.",
}


@pytest.fixture(scope="module")
def stripper() -> Stripper:
    return Stripper()


def _removed(stripper: Stripper, lines: list[str]) -> list[str]:
    return [r.text for r in stripper("\n".join(lines)).removals]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_file_has_the_core_families(lang: str) -> None:
    path = resources.files("pipeline.cues").joinpath(f"{lang}.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert all(data.get(family) for family in CORE_FAMILIES), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_teaser_lines_are_removed(stripper: Stripper, lang: str) -> None:
    for teaser in TEASERS[lang]:
        removed = _removed(stripper, [BODY[lang], teaser, BODY[lang]])
        assert removed == [teaser], (lang, teaser)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_promo_cue_takes_its_headline_list(stripper: Stripper, lang: str) -> None:
    lines = [BODY[lang], PROMO_CUES[lang], *HEADLINES, BODY[lang]]
    assert _removed(stripper, lines) == [PROMO_CUES[lang], *HEADLINES]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sign_up_calls_are_removed(stripper: Stripper, lang: str) -> None:
    assert _removed(stripper, [BODY[lang], SIGNUPS[lang], BODY[lang]]) == [SIGNUPS[lang]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_newsletter_offered_to_the_reader_is_removed(stripper: Stripper, lang: str) -> None:
    offer = NEWSLETTER_OFFERS[lang]
    assert _removed(stripper, [BODY[lang], offer, BODY[lang]]) == [offer]
    assert stripper(offer).removals[0].reason == "strip.signup_consent"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_contact_label_takes_the_closing_address_block(stripper: Stripper, lang: str) -> None:
    block = [CONTACT_LABELS[lang], "Jana Nowak", "Harbour Institute", "+44 20 7946 0000"]
    assert _removed(stripper, [BODY[lang], *block]) == block


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_call_for_letters_to_the_editor_is_removed_anywhere(
    stripper: Stripper, lang: str
) -> None:
    lines = [BODY[lang], LETTER_CALLS[lang], BODY[lang]]
    assert _removed(stripper, lines) == [LETTER_CALLS[lang]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_closing_line_pointing_the_reader_here_is_removed(stripper: Stripper, lang: str) -> None:
    assert _removed(stripper, [BODY[lang], POINTERS[lang]]) == [POINTERS[lang]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_sentence_opening_with_a_cue_is_kept(stripper: Stripper, lang: str) -> None:
    assert _removed(stripper, [BODY[lang], SENTENCES[lang], BODY[lang]]) == []
