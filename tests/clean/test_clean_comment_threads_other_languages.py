"""`comment_thread` in German, French, Spanish, Italian, Portuguese, Dutch and Russian: the comment
sections blog and comment platforms print in those languages go whole, and the same hard negatives
as in English stay (a forum's posts, a question site's comments, a live blog's entries)."""

from __future__ import annotations

import pytest
from clean_fixtures import removed_lines

from pipeline.clean.block_rules import BlockRulesStage
from pipeline.clean.config import BlockRulesConfig

# A German article: prose lines of 8+ words that end a sentence, over 50 words in all.
ARTIKEL = [
    "Wie wir den alten Obstgarten hinter der Schule gerettet haben",
    "Der Obstgarten hinter der Schule war seit zwanzig Jahren nicht mehr geschnitten worden, als "
    "der Gemeinderat im Frühjahr Freiwillige suchte.",
    "Die meisten Bäume waren alte Mostsorten, und drei von ihnen waren nach den Stürmen des "
    "letzten Winters in der Mitte gespalten.",
    "Ein Gärtner im Ruhestand zeigte den Freiwilligen, wie man das tote Holz entfernt, ohne die "
    "Bäume zu schwächen.",
    "Im September war die erste Ernte groß genug, um Saft zu pressen, den die Schule auf ihrem "
    "Herbstfest verkaufte.",
]
SEITENLEISTE = ["Über die Autorin", "Jo schreibt über Gärten und die Menschen, die sie pflegen."]

# One comment section per language, as the platforms print them: heading or "says" lines,
# signatures with the language's dates, and reply buttons.
THREADS = {
    "de": [
        "3 Kommentare",
        "Margarete sagt:",
        "14. Juli 2015 um 15:53 Uhr",
        "Was für ein schönes Projekt, bei uns im Dorf hat das auch gut geklappt.",
        "Antworten",
        "Thomas Eller sagt:",
        "15. Juli 2015 um 9:02 Uhr",
        "Wissen Sie, welche Sorten veredelt wurden?",
        "Antworten",
        "Priya sagt:",
        "17. Juli 2015 um 23:40 Uhr",
        "Danke fürs Aufschreiben, ich habe es an unseren Kleingartenverein weitergeleitet.",
        "Antworten",
    ],
    "fr": [
        "Laisser un commentaire",
        "Marguerite dit :",
        "14 juillet 2015 à 15 h 53 min",
        "Quel beau projet, merci pour ce récit.",
        "Répondre",
        "Thomas dit :",
        "15 juillet 2015 à 9 h 02 min",
        "Savez-vous quelles variétés ont été greffées ?",
        "Répondre",
        "Priya dit :",
        "17 juillet 2015 à 23 h 40 min",
        "Merci, je l'ai partagé avec notre jardin collectif.",
        "Répondre",
    ],
    "es": [
        "Deja una respuesta",
        "Margarita dice:",
        "14 de julio de 2015 a las 15:53",
        "Qué proyecto tan bonito, gracias por contarlo.",
        "Responder",
        "Tomás dice:",
        "15 de julio de 2015 a las 9:02",
        "¿Sabéis qué variedades injertaron?",
        "Responder",
        "Priya dice:",
        "17 de julio de 2015 a las 23:40",
        "Lo he compartido con nuestro huerto urbano.",
        "Responder",
    ],
    "it": [
        "3 commenti",
        "Margherita",
        "14 luglio 2015 alle 15:53",
        "Che bel progetto, grazie per averlo raccontato.",
        "Rispondi",
        "Tommaso",
        "15 luglio 2015 alle 9:02",
        "Quali varietà avete innestato?",
        "Rispondi",
        "Priya",
        "17 luglio 2015 alle 23:40",
        "L'ho condiviso con il nostro orto comunitario.",
        "Rispondi",
    ],
    "pt": [
        "3 comentários",
        "Margarida disse:",
        "14 de julho de 2015 às 15:53",
        "Que projeto bonito, obrigada por contar.",
        "Responder",
        "Tomás disse:",
        "15 de julho de 2015 às 9:02",
        "Quais variedades foram enxertadas?",
        "Responder",
        "Priya disse:",
        "17 de julho de 2015 às 23:40",
        "Compartilhei com a nossa horta comunitária.",
        "Responder",
    ],
    "nl": [
        "3 reacties op “Hoe we de boomgaard redden”",
        "Margriet schreef:",
        "14 juli 2015 om 15:53",
        "Wat een mooi project, bedankt voor het delen.",
        "Beantwoorden",
        "Tom schreef:",
        "15 juli 2015 om 09:02",
        "Weten jullie welke rassen er geënt zijn?",
        "Beantwoorden",
        "Priya schreef:",
        "17 juli 2015 om 23:40",
        "Ik heb het doorgestuurd naar onze volkstuinvereniging.",
        "Beantwoorden",
    ],
    "ru": [
        "3 комментария",
        "Маргарита",
        "3 года назад",
        "Прекрасный проект, спасибо, что рассказали.",
        "Ответить",
        "Томас",
        "2 года назад",
        "Какие сорта прививали?",
        "Ответить",
        "Прия",
        "5 месяцев назад",
        "Поделилась с нашим садовым товариществом.",
        "Ответить",
    ],
}


@pytest.mark.parametrize("language", sorted(THREADS))
def test_a_comment_section_goes_whole(block_rules_stage: BlockRulesStage, language: str) -> None:
    thread = THREADS[language]
    out = removed_lines(block_rules_stage, [*ARTIKEL, *thread, *SEITENLEISTE])
    assert out == {line: "comment_thread" for line in thread}


@pytest.mark.parametrize("language", sorted(THREADS))
def test_the_english_patterns_alone_leave_them(language: str) -> None:
    # What the other-language patterns add: with the config's English lists the threads stay.
    from pipeline.clean import default_patterns as english

    config = BlockRulesConfig(
        comment_date_patterns=english.COMMENT_DATES,
        comment_commenter_pattern=english.COMMENT_COMMENTER,
        comment_heading_patterns=english.COMMENT_HEADINGS,
        comment_says_patterns=english.COMMENT_SAYS,
        comment_end_patterns=english.COMMENT_ENDS,
    ).build()
    config.setup()
    assert "comment_thread" not in removed_lines(config, [*ARTIKEL, *THREADS[language]]).values()


def test_numeric_dates_with_the_languages_own_words_sign_comments(
    block_rules_stage: BlockRulesStage,
) -> None:
    thread = [
        "Kommentare",
        "Margarete am 14.07.2015 um 15:53 Uhr",
        "Sehr schön geschrieben, danke dafür.",
        "Thomas am 15.07.2015 um 09:02 Uhr",
        "Gibt es Fotos von der Blüte?",
        "Priya am 17.07.2015 um 23:40 Uhr",
        "Wir machen im Herbst mit.",
        "Melden",
    ]
    out = removed_lines(block_rules_stage, [*ARTIKEL, *thread, *SEITENLEISTE])
    assert out == {line: "comment_thread" for line in thread}


def test_a_forum_thread_keeps_its_posts(block_rules_stage: BlockRulesStage) -> None:
    # The first post opens the page, and "12 Antworten" is a forum's count of replies.
    forum = [
        "Welcher Apfel hält Wind aus?",
        "12 Antworten",
        "gruenfinger · 03.03.2026 um 19:44 Uhr",
        "Unser Garten liegt am Hang und wird jeden Winter durchgeschüttelt. Welche Sorten halten?",
        "obsttom · 03.03.2026 um 19:49 Uhr",
        "Probier die alten nördlichen Sorten, die blühen spät und entgehen dem Frost.",
        "margareteP · 03.03.2026 um 20:02 Uhr",
        "Wir haben seit Jahren einen Boskoop an einer zugigen Stelle, der hat nie versagt.",
    ]
    assert removed_lines(block_rules_stage, forum) == {}
    assert "comment_thread" not in removed_lines(block_rules_stage, [*ARTIKEL, *forum]).values()


def test_a_question_site_keeps_the_comments_under_its_answers(
    block_rules_stage: BlockRulesStage,
) -> None:
    answer = [
        "respondida 8/06/2018 às 10:24",
        "3 comentários",
        "verdinho 8/06/2018 às 11:02",
        "Funcionou para mim, obrigado pelos passos claros.",
        "pomartom 8/06/2018 às 12:15",
        "A mesma abordagem serve para pereiras?",
        "margaridaP 9/06/2018 às 08:40",
        "Sim, as pereiras reagem da mesma forma.",
    ]
    assert removed_lines(block_rules_stage, [*ARTIKEL, *answer]) == {}


def test_a_live_blog_and_dated_post_metadata_are_kept(block_rules_stage: BlockRulesStage) -> None:
    live = [
        "Liveticker",
        "14. Juli 2025 um 10:32 Uhr",
        "Die Feuerwehr hat die Lagerhalle erreicht und verhindert, dass sich der Brand ausbreitet.",
        "14. Juli 2025 um 10:47 Uhr",
        "Die Polizei hat die Ringstraße zwischen den beiden Kreiseln in beide Richtungen gesperrt.",
        "14. Juli 2025 um 11:05 Uhr",
        "Die Stadt öffnet das Sportzentrum als Anlaufstelle für die Anwohner der Straße.",
    ]
    assert "comment_thread" not in removed_lines(block_rules_stage, [*ARTIKEL, *live]).values()
    # "Veröffentlicht am ..." is a post's own date, never a signature: three posts of a listing
    # under a "Kommentare" link are not a thread.
    listing = ["Kommentare"]
    for day, title in [(28, "Obstgarten ausgezeichnet"), (27, "Presse restauriert")]:
        listing += [title, f"Veröffentlicht am {day}. November 2025 um 10:00 Uhr", ARTIKEL[1]]
    listing += ["Schulfest bringt Rekord", "Aktualisiert am 26. November 2025 um 9:00 Uhr"]
    assert "comment_thread" not in removed_lines(block_rules_stage, [*ARTIKEL, *listing]).values()
