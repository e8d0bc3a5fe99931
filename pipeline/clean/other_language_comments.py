"""The `comment_thread` patterns in German, French, Spanish, Italian, Portuguese, Dutch and Russian
(data, like `default_patterns`): comment signatures, "says" lines, headings, closing buttons and
question-site metadata as the blog and comment platforms print them in those languages ("Margaret
sagt:", "14. Juli 2015 um 15:53 Uhr", "12 commentaires", "Deja una respuesta", "Rispondi", "3 jaar
geleden", "Ответить"). The config's defaults are the English patterns followed by these.

RE2's `\\b` is an ASCII word boundary, so no pattern here puts one next to a non-ASCII letter;
a Russian word's endings are `[а-яё]*`, not `\\pL*`: the whole Unicode letter class costs half a
millisecond to compile, and Arrow compiles every pattern again in every batch.
"""

from __future__ import annotations

from pipeline.clean.other_language_patterns import AGO, MONTH_NAMES, WEEKDAY_NAMES

# "15:53", "15.53 Uhr", "15 h 53", "15h53 min"
_CLOCK = r"\d{1,2}(?:[:.]\d{2}(?::\d{2})?|\s*h\s*\d{2}(?:\s*min)?)(?:\s*uhr)?"
# "14. Juli 2015", "1er juillet 2015", "14 de julio de 2015", "14 июля 2015 г.", "14.07.2015"
_DAY = (
    r"(?:" + WEEKDAY_NAMES + r"\s*)?(?:\d{1,2}(?:\.|er)?\s+(?:de\s+)?" + MONTH_NAMES + r"\s+"
    r"(?:de\s+)?\d{4}(?:\s*г\.)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{2}-\d{2})"
)
# Between the day and the time: "um", "à", "a las", "às", "alle", "om", "в"
_AT = r"(?:um|à|a las|a la|às|alle|om|в|@|-|–|,)"
# Before a date, as "on" in English: "am", "le", "el", "em", "il", "op"
_ON = r"am|le|el|em|il|op"
# What a commenter does on the signature line, as "says" in English
_SAYS = (
    r"sagt|schreibt|meint|kommentierte|dit|a dit|a écrit|dice|dijo|escribió|comentó|scrive|"
    r"ha scritto|ha detto|diz|disse|escreveu|comentou|zegt|schreef|reageerde|пишет|говорит|"
    r"написал|написала"
)

COMMENT_DATES: list[str] = [
    # the time after the day or before it ("15:53, 14. Juli 2015"): one copy of `_DAY`, whose
    # month and weekday names are most of what RE2 compiles in every batch
    rf"(?:{_CLOCK},?\s*(?:(?:{_ON})\s*)?)?{_DAY}(?:,?\s*{_AT}?\s*{_CLOCK})?",
    AGO,
]
# A name of up to five words, "says" in any of the eight languages, a separator, "on"
COMMENT_COMMENTER = (
    rf"[^\s:]+(?: [^\s:]+){{0,4}}?\s*(?:says|commented|{_SAYS})?\s*(?:[,•|·–—:-]|on|{_ON})?\s*"
)
COMMENT_SIGNATURE_EXCLUSIONS: list[str] = [
    r"(?:gefragt|beantwortet|bearbeitet|geändert|veröffentlicht|aktualisiert|erstellt|gepostet|"
    r"geschrieben|mitglied seit|registriert|dabei seit|zuletzt (?:bearbeitet|aktualisiert|online|"
    r"aktiv)|demandé|répondu|modifié|publié|mis à jour|créé|posté|écrit|membre depuis|inscrit|"
    r"preguntad[oa]|respondid[oa]|editad[oa]|modificad[oa]|publicad[oa]|actualizad[oa]|cread[oa]|"
    r"escrit[oa]|miembro desde|registrad[oa]|domanda|rispost[oa]|modificat[oa]|pubblicat[oa]|"
    r"aggiornat[oa]|creat[oa]|scritt[oa]|membro da(?:l)?|iscritt[oa]|perguntad[oa]|atualizad[oa]|"
    r"criad[oa]|membro desde|gevraagd|beantwoord|bewerkt|gewijzigd|gepubliceerd|bijgewerkt|"
    r"aangemaakt|geschreven|lid sinds|geregistreerd|задан|ответ дан|изменён|изменен|"
    r"опубликовано|обновлено|создано|зарегистрирован[а-яё]*|на сайте с)(?:[\s:,].*)?",
]
# A question site's page in those languages ("perguntada 14/07/2015 às 15:53", "задан 14 июля
# 2015 в 15:53"): its answers' comments are content. Any line of the word and a number will do,
# without the dates' alternation to compile once more (a false match only keeps a thread).
COMMENT_SKIP_PAGE: list[str] = [
    r"(?:gefragt|beantwortet|demandé|répondu|preguntad[oa]|respondid[oa]|formulad[oa]|"
    r"perguntad[oa]|gevraagd|beantwoord|задан|ответ дан)\s+.*\d.*"
]
COMMENT_HEADINGS: list[str] = [
    # "12 Kommentare", "Un commentaire", "Keine Kommentare", "12 reacties op “…”": as in English,
    # a bare count of replies ("12 Antworten", "12 réponses") is a forum's, so only WordPress's
    # "12 Antworten auf „…“" heads a thread
    r"(?:(?:\d[\d.,\s]*|ein|eine|kein|keine|un|une|uno|una|um|uma|één|een|geen|один|одна|нет)\s*"
    r"(?:kommentare?|kommentaren|leserkommentare?|gedanken|commentaires?|réflexions?|"
    r"comentarios?|comentários?|pensamientos|pensamentos|commenti|commento|pensieri|reacties|"
    r"reactie|gedachten|комментари[а-яё]*|отзыв[а-яё]*|мысл[а-яё]*)(?: (?:zu|zum|zur|auf|über|"
    r"sur|à|pour|en|sobre|a|para|su|per|em|op|over|bij|на|к|о|об)\s.+)?|(?:kommentare|leserkommentare|"
    r"commentaires|comentarios|comentários|commenti|reacties|комментарии))",
    r"\d+ (?:antworten (?:auf|zu)|réponses (?:à|sur)|respuestas (?:a|en)|risposte (?:a|su)|"
    r"respostas (?:a|para|em)|antwoorden op|ответ[а-яё]* на) .+",
    r"(?:schreibe|hinterlasse|hinterlassen sie|verfasse|schreiben sie) (?:einen kommentar|eine "
    r"antwort)|kommentar (?:schreiben|verfassen|hinzufügen|abgeben)|(?:laisser|ajouter|écrire) "
    r"un commentaire|laisser une réponse|(?:deja|dejar|escribe|añadir|agregar) un comentario|"
    r"(?:deja|dejar) una respuesta|(?:lascia|aggiungi|scrivi) un commento|lascia una risposta|"
    r"(?:deixe|deixar|adicionar|escreva) (?:um comentário|uma resposta)|(?:laat|plaats|schrijf) "
    r"een reactie(?: achter)?|geef een reactie|(?:оставить|добавить|написать|оставьте) "
    r"(?:комментарий|ответ)|(?:was|wie) (?:denken|meinen) sie\??|qu['’]en pensez-vous\s*\??",
]
# "Margaret sagt:", "Margaret dit :", "Margaret пишет:" (WordPress's "Name says" line)
COMMENT_SAYS: list[str] = [r"[^\s:]+(?: [^\s:]+){0,4} (?:" + _SAYS + r")\s*:?(?:\s+.*\d.*)?"]
COMMENT_ENDS: list[str] = [
    r"antworten|auf (?:diesen )?kommentar antworten|melden|missbrauch melden|(?:zum antworten "
    r"(?:einloggen|anmelden)|(?:einloggen|anmelden),? um zu antworten)|weitere kommentare"
    r"(?: laden| anzeigen)?|répondre|signaler(?: un abus| ce commentaire)?|connectez-vous pour "
    r"répondre|(?:charger|voir|afficher) plus de commentaires|responder|denunciar|(?:inicia "
    r"sesión|accede|faça login|entre) para responder|(?:cargar|ver|mostrar) más comentarios|"
    r"rispondi|segnala(?: abuso)?|accedi per rispondere|(?:carica|mostra|vedi) altri commenti|"
    r"(?:carregar|ver|mostrar) mais comentários|reageren|beantwoorden|rapporteren|log in om te "
    r"reageren|(?:laad |toon )?meer reacties(?: laden| tonen)?|ответить|пожаловаться|войдите, "
    r"чтобы ответить|(?:загрузить|показать) (?:ещё|еще|больше) комментари[а-яё]*",
]
