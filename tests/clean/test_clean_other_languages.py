"""The default rules in German, French, Spanish, Italian, Portuguese, Dutch and Russian: the same
rule names remove the same furniture, and prose or headlines that begin with those words stay.

Every line here was written for the project in the shapes such pages use."""

from __future__ import annotations

import pytest
from clean_fixtures import rule_of_each, verdicts

from pipeline.clean import default_patterns, other_language_patterns
from pipeline.clean.block_rules import BlockRulesStage
from pipeline.clean.config import LineRulesConfig
from pipeline.clean.line_rules import LineRulesStage

FURNITURE: list[tuple[str, str]] = [
    # de
    ("Weiterlesen", "call_to_action"),
    ("Mehr erfahren »", "call_to_action"),
    ("Zurück nach oben", "call_to_action"),
    ("Artikel teilen", "share_line"),
    ("Teilen auf Facebook", "share_line"),
    ("Folgen Sie uns auf Facebook, Instagram und X", "social_follow"),
    ("Melden Sie sich jetzt für unseren kostenlosen Newsletter an", "newsletter"),
    ("Anzeige", "advertisement"),
    ("Foto: Hafenbild / Beispiel", "image_credit"),
    ("© 2025 Hafen Verlag GmbH. Alle Rechte vorbehalten.", "copyright"),
    ("Datenschutzerklärung | Impressum | AGB", "copyright"),
    ("Alle akzeptieren", "cookie_notice"),
    ("3 Kommentare", "comment_counter"),
    ("In den Warenkorb", "login_cart"),
    ("Kostenloser Versand ab 50 €", "login_cart"),
    ("Zum Inhalt springen", "navigation"),
    ("Startseite > Politik > Hafen", "navigation"),
    ("Seite 2 von 5", "navigation"),
    ("Schlagwörter: Hafen, Stadtrat", "navigation"),
    ("Dieser Artikel erschien zuerst in der Hafenzeitung.", "originally_published"),
    ("Quelle", "source_link"),
    # fr
    ("Lire la suite", "call_to_action"),
    ("En savoir plus…", "call_to_action"),
    ("Partager sur Twitter", "share_line"),
    ("Suivez-nous sur Facebook et Instagram", "social_follow"),
    ("Inscrivez-vous à notre newsletter", "newsletter"),
    ("Publicité", "advertisement"),
    ("Crédit photo : Jeanne Exemple", "image_credit"),
    ("Mentions légales", "copyright"),
    ("Tout accepter", "cookie_notice"),
    ("12 commentaires", "comment_counter"),
    ("Ajouter au panier", "login_cart"),
    ("Accueil", "navigation"),
    ("Cet article a été initialement publié sur Le Port.", "originally_published"),
    ("Commander maintenant", "call_to_action"),
    # es
    ("Leer más", "call_to_action"),
    ("Seguir leyendo", "call_to_action"),
    ("Compartir en Facebook", "share_line"),
    ("Síguenos en Twitter", "social_follow"),
    ("Suscríbete a nuestro boletín", "newsletter"),
    ("Publicidad", "advertisement"),
    ("Todos los derechos reservados", "copyright"),
    ("Aceptar todas las cookies", "cookie_notice"),
    ("Iniciar sesión", "login_cart"),
    ("Añadir al carrito", "login_cart"),
    # it
    ("Continua a leggere", "call_to_action"),
    ("Condividi su Facebook", "share_line"),
    ("Seguici su Instagram", "social_follow"),
    ("Iscriviti alla newsletter", "newsletter"),
    ("Pubblicità", "advertisement"),
    ("Tutti i diritti riservati", "copyright"),
    ("Aggiungi al carrello", "login_cart"),
    # pt
    ("Leia mais", "call_to_action"),
    ("Compartilhar no WhatsApp", "share_line"),
    ("Siga-nos no Instagram", "social_follow"),
    ("Todos os direitos reservados", "copyright"),
    ("Adicionar ao carrinho", "login_cart"),
    # nl
    ("Lees verder", "call_to_action"),
    ("Delen op Facebook", "share_line"),
    ("Volg ons op Twitter", "social_follow"),
    ("Alle rechten voorbehouden", "copyright"),
    ("In winkelwagen", "login_cart"),
    # ru
    ("Читать далее", "call_to_action"),
    ("Поделиться", "share_line"),
    ("Реклама", "advertisement"),
    ("Все права защищены", "copyright"),
]

# Consent dialogs' sentences, tried at any length as the English ones are.
DIALOGS = [
    "Wir verwenden Cookies, um Inhalte und Anzeigen zu personalisieren und die Zugriffe auf "
    "unsere Website zu analysieren.",
    "Nous et nos 142 partenaires stockons et/ou accédons à des informations sur un appareil, "
    "telles que les cookies, et traitons des données personnelles. " * 3,
    "Utilizamos cookies propias y de terceros para mejorar nuestros servicios y mostrarle "
    "publicidad relacionada con sus preferencias. " * 3,
    "Questo sito utilizza cookie tecnici e di profilazione per migliorare la tua esperienza.",
    "We gebruiken cookies om de website goed te laten werken en om het gebruik te analyseren.",
]

# Two sentences of an article's body, around the furniture of the block_rules tests.
GERMAN_PROSE = [
    "Der Stadtrat hat am Dienstag beschlossen, den Hafen bis zum Sommer zu sanieren.",
    "Die Arbeiten sollen laut der Verwaltung im Juni beginnen und drei Monate dauern.",
]

# Prose and headlines that begin with the same words, and a recipe that "uses cookies".
KEPT = [
    "Weiterlesen lohnt sich: Der zweite Teil des Berichts erscheint am Montag.",
    "Mehr Geld für die Hafenschulen",
    "Teilen statt besitzen: Wie das Hafenviertel Werkzeuge verleiht",
    "Die Anzeige wurde am Montag bei der Polizei erstattet.",
    "Quelle der Daten ist das Statistische Landesamt.",
    "Accueil des réfugiés : la ville ouvre un deuxième centre",
    "Partager les coûts du port entre les communes",
    "Nous utilisons des cookies émiettés pour la base du cheesecake, puis une crème légère.",
    "Publicidad engañosa: multan a una cadena de tiendas del puerto",
    "Compartir piso en el puerto cuesta un 20% más que hace un año",
    "Cerca de 300 personas asistieron al acto del puerto.",
    "Volver a empezar",
    "Leggi anche il rapporto completo del comune, pubblicato ieri.",
    "Reageren op de plannen kan tot vrijdag.",
    "Поделиться опытом приехали капитаны из трёх портов.",
    # English headings and names that are other languages' buttons: only a longer phrase is one
    "Commander",
    "Anterior",
    "Dona",
]


def test_furniture_in_other_languages_has_the_english_rule_names(
    line_rules_stage: LineRulesStage,
) -> None:
    lines = [line for line, _ in FURNITURE]
    assert rule_of_each(line_rules_stage, lines) == [rule for _, rule in FURNITURE]


def test_consent_dialogs_in_other_languages(line_rules_stage: LineRulesStage) -> None:
    assert any(len(text) > LineRulesConfig().max_line_chars for text in DIALOGS)
    assert rule_of_each(line_rules_stage, DIALOGS) == ["consent_dialog"] * len(DIALOGS)


def test_prose_and_headlines_with_the_same_words_stay(line_rules_stage: LineRulesStage) -> None:
    assert rule_of_each(line_rules_stage, KEPT) == [None] * len(KEPT)


def test_related_blocks_in_other_languages(block_rules_stage: BlockRulesStage) -> None:
    prose, prose_2 = GERMAN_PROSE
    german = [prose, "Mehr zum Thema", "- Fähre fällt aus", "- Kai wird gesperrt", prose_2]
    french = [
        "Le conseil municipal a voté mardi la rénovation du port avant l'été prochain.",
        "À lire aussi :",
        "• La navette maritime suspendue",
        "• Le quai fermé pour travaux",
    ]
    assert verdicts(block_rules_stage, german)[0] == [
        ("related_links_block", line) for line in german[1:4]
    ]
    assert verdicts(block_rules_stage, french)[0] == [
        ("related_links_block", line) for line in french[1:]
    ]


def test_bylines_and_datelines_in_other_languages_at_the_edges(
    block_rules_stage: BlockRulesStage,
) -> None:
    doc = [
        "Hafen wird saniert",
        "Von Jana Beispiel",
        "Veröffentlicht am 12.03.2025, 14:32 Uhr",
        "Lesezeit: 3 Min.",
        *GERMAN_PROSE,
        "Mario Esempio, corrispondente da Genova",
    ]
    french = [
        "Par Jeanne Exemple",
        "Publié le 12 mars 2025 à 14h32",
        "il y a 3 heures",
        "Le conseil municipal a voté mardi la rénovation du port avant l'été prochain.",
        "Les travaux doivent commencer en juin et durer trois mois, selon la mairie.",
    ]
    assert verdicts(block_rules_stage, doc)[0] == [
        ("byline", "Von Jana Beispiel"),
        ("dateline", "Veröffentlicht am 12.03.2025, 14:32 Uhr"),
        ("dateline", "Lesezeit: 3 Min."),
        ("byline", "Mario Esempio, corrispondente da Genova"),
    ]
    assert verdicts(block_rules_stage, french)[0] == [
        ("byline", "Par Jeanne Exemple"),
        ("dateline", "Publié le 12 mars 2025 à 14h32"),
        ("dateline", "il y a 3 heures"),
    ]


def test_a_sentence_that_opens_with_von_stays(block_rules_stage: BlockRulesStage) -> None:
    doc = [
        "Von Berlin aus fuhren die Kapitäne am Morgen zum Hafen.",
        GERMAN_PROSE[0],
    ]
    assert verdicts(block_rules_stage, doc)[0] == []


def test_every_other_language_rule_extends_an_english_rule() -> None:
    rules = LineRulesConfig().rules
    assert list(rules) == list(default_patterns.LINE_RULES)
    for name, patterns in other_language_patterns.LINE_RULES.items():
        assert rules[name][-len(patterns) :] == patterns
    with pytest.raises(KeyError, match="call_to_actoin"):
        other_language_patterns.merged(default_patterns.LINE_RULES, {"call_to_actoin": ["mehr"]})


def test_a_config_can_keep_english_only() -> None:
    english = LineRulesConfig(rules={n: list(p) for n, p in default_patterns.LINE_RULES.items()})
    stage = english.build()
    assert rule_of_each(stage, ["Weiterlesen", "Read more"]) == [None, "call_to_action"]


def test_datelines_with_month_names_at_the_edges(block_rules_stage: BlockRulesStage) -> None:
    prose = GERMAN_PROSE
    datelines = [
        "Dienstag, 12. März 2025, 14:32 Uhr",
        "samedi 1er mars 2025 à 10h30",
        "12 de marzo de 2025",
        "mercoledì 12 marzo 2025",
        "12 de março de 2025",
        "maandag 3 maart 2025 | Nieuws",
        "12 марта 2025 г.",
    ]
    docs = [[line, *prose] for line in datelines]
    assert [verdicts(block_rules_stage, doc)[0] for doc in docs] == [
        [("dateline", line)] for line in datelines
    ]
    # a headline that starts with a date, and a date in the middle of the text, stay
    kept = ["12 mai 2025 : la grève du port", *prose * 3, "12 mai 2025", *prose * 3]
    assert verdicts(block_rules_stage, kept)[0] == []
