"""Small texts written for the quality and language tests (none is taken from shared data)."""

from __future__ import annotations

import pyarrow as pa

# Twelve distinct plain sentences, each ending with a full stop (used to build "good" documents).
SENTENCES = (
    "The harbour authority said the new ferry terminal would open to passengers in the spring.",
    "Engineers spent most of the winter testing the pumps that keep the lower decks dry.",
    "Local traders have asked the council to extend the opening hours of the covered market.",
    "A spokesman for the operator confirmed that ticket prices will stay the same this year.",
    "Residents living near the quay complained about noise from the night shift in March.",
    "The project was funded with a loan from a regional bank and a grant from the state.",
    "Several fishing boats had to move to a temporary mooring on the other side of the bay.",
    "Officials expect that the terminal will handle twice as many cars as the old one.",
    "The mayor thanked the workers and said the town had waited a long time for the day.",
    "Critics argue that the money should have been spent on the crumbling coastal road.",
    "A second phase, with a hotel and a car park, is planned to start within two years.",
    "Until then, the old slipway will remain open for small boats and emergency services.",
)


def good_article(sentences: int = 12) -> str:
    """A plain article, one sentence per line, that passes every rule of every preset."""
    return "\n".join(SENTENCES[:sentences])


def words_text(count: int) -> str:
    """A text of exactly `count` words (with stop words), in sentences of ten words."""
    vocabulary = [
        "the", "report", "said", "that", "officers", "had", "to", "wait", "for", "news",
        "and", "the", "families", "of", "the", "victims", "were", "never", "told", "why",
    ]  # fmt: skip
    words = [vocabulary[index % len(vocabulary)] for index in range(count)]
    sentences = [" ".join(words[start : start + 10]) + "." for start in range(0, count, 10)]
    return "\n".join(sentences)


# A news page in the shape of a scraped article: byline, body with quotations that end in a
# typographic closing quote, a "LATEST DEVELOPMENTS:" heading with three bullet headlines and a
# trailer. The scraper pasted the body twice.
BYLINE = "Maria Example\nSenior Correspondent"
BODY = (
    "Flood defences along the river failed in three places last winter, according to an "
    "inspection report published by the regional water board on Tuesday.",
    "The board said the repairs had been delayed because contractors were assigned to road "
    "projects that the transport ministry had marked as urgent.",
    "The report, seen by this newspaper, states: “Maintenance of secondary embankments was "
    "postponed repeatedly and no inspection took place between 2019 and 2022.”",
    "Farmers whose fields were flooded have asked for compensation and for an independent "
    "review of how the budget was spent.",
    "One of them, who runs a dairy farm near the old mill, said: “We warned them every autumn. "
    "Nobody came to look at the dyke until the water was already in the barn.”",
    "The water board said it accepted the findings and would publish a timetable for the "
    "remaining repairs before the end of the month.",
    "A spokeswoman added: “Safety is our first priority, and we regret that the work was not "
    "done sooner.”",
    "Local councillors will discuss the report at a public meeting next week, where residents "
    "can ask questions about the timetable and the costs.",
)
LATEST = (
    "LATEST DEVELOPMENTS:\n"
    "- Minister promises review of flood budget after inspection report\n"
    "- Farmers march to the board's offices to demand compensation\n"
    "- Heavy rain expected again this weekend, forecasters warn"
)
TRAILER = "Find Out More..."


def scraped_news_page() -> str:
    """The page as scraped: byline, body, bullets and trailer, then the body and trailer again."""
    body = "\n".join(BODY)
    return f"{BYLINE}\n{body}\n{LATEST}\n{TRAILER}\n{body}\n{TRAILER}"


def repaired_news_page() -> str:
    """What the clean stages leave of the scraped page: one copy of the body."""
    return "\n".join(BODY)


def quote_heavy_interview() -> str:
    """An interview: nine of ten lines end with a closing typographic quote."""
    answers = (
        "“We started the bakery with one oven and a borrowed van,” she said, “and now we "
        "deliver bread to six villages every morning before seven o’clock.”",
        "“The hardest part was the first winter,” she recalled, “when the roads were closed for "
        "a week and we had to give the bread away before it went stale.”",
        "“My father thought it was a terrible idea,” she laughed, “but he still comes in every "
        "Saturday to shape the rye loaves by hand.”",
        "“We use flour from a mill in the next valley,” she explained, “because the farmers there "
        "still grow the old varieties of wheat.”",
        "“People ask why we do not open a second shop in the city,” she said, “but we would lose "
        "what makes this place special.”",
        "“Prices have gone up for everyone,” she admitted, “and we had to raise the price of a "
        "loaf for the first time in four years.”",
        "“The young apprentices are the future of this trade,” she insisted, “and we pay them "
        "properly from their very first day.”",
        "“On Sundays the ovens rest,” she said, “and so do we, because a baker who never sleeps "
        "makes bad bread.”",
        "“If I could change one thing,” she concluded, “it would be the rules that make small "
        "bakeries fill in the same forms as factories.”",
        "The bakery is open from six in the morning until noon, every day except Sunday.",
    )
    return "\n".join(answers)


LANGUAGE_SAMPLES = {
    "en": (
        "The city council met on Monday evening to discuss the new budget for schools and "
        "libraries. Several parents asked why the swimming pool would stay closed for another "
        "year, and the mayor promised to publish a plan before the summer holidays."
    ),
    "de": (
        "Der Stadtrat hat am Montagabend über den neuen Haushalt für Schulen und Bibliotheken "
        "beraten. Mehrere Eltern wollten wissen, warum das Schwimmbad ein weiteres Jahr "
        "geschlossen bleibt, und der Bürgermeister versprach einen Plan vor den Sommerferien."
    ),
    "fr": (
        "Le conseil municipal s'est réuni lundi soir pour discuter du nouveau budget des écoles "
        "et des bibliothèques. Plusieurs parents ont demandé pourquoi la piscine resterait "
        "fermée une année de plus, et le maire a promis de publier un plan avant l'été."
    ),
    "es": (
        "El ayuntamiento se reunió el lunes por la noche para debatir el nuevo presupuesto de "
        "las escuelas y las bibliotecas. Varios padres preguntaron por qué la piscina seguirá "
        "cerrada otro año, y el alcalde prometió publicar un plan antes del verano."
    ),
}
NO_LETTERS = ("", "   ", "12345 678 90", "!!! ??? ... --- ###", "2024-05-01 12:30:00 +0200")


def records(texts: list[str | None], **columns: list[object]) -> pa.Table:
    """A batch with the canonical `id` and `text` columns (plus any extra columns)."""
    data: dict[str, object] = {
        "id": [f"doc-{index}" for index in range(len(texts))],
        "text": pa.array(texts, pa.string()),
    }
    data.update(columns)
    return pa.table(data)


def wire_brief() -> str:
    """A short wire story: headline and four sentences, 50+ words."""
    return (
        "HARBOUR OPERATOR RAISES QUARTERLY DIVIDEND\n"
        "The harbour operator said its board declared a quarterly dividend of 15 cents per share, "
        "up from 12 cents a year earlier.\n"
        "The dividend is payable on June 2 to shareholders of record on May 15.\n"
        "The company said higher ferry traffic and lower fuel costs lifted first-quarter profit.\n"
        "It did not give a forecast for the full year."
    )


def interview_transcript() -> str:
    """A transcript whose speaker labels repeat on lines of their own."""
    exchanges = (
        ("Why did you open the bakery in such a small village?",
         "My grandmother baked for the whole street, and I wanted to keep that going.",
         "The rent was also a fraction of what the city asks."),
        ("What was the hardest part of the first year?",
         "The winter, when the roads were closed for a week and the flour ran out.",
         "We baked flatbread from what was left and gave it away."),
        ("Do you plan to grow beyond the village?",
         "Only as far as our van can drive before the bread goes cold.",
         "A second shop in the city would change what we are."),
        ("What would you change if you could?",
         "The paperwork, which is the same for us as for a factory.",
         "Small bakers spend a day a week on forms instead of bread."),
    )  # fmt: skip
    lines = []
    for question, *answers in exchanges:
        lines += ["Interviewer", question, "Maria Example", *answers]
    return "\n".join(lines)
