"""The default patterns' phrases in German, French, Spanish, Italian, Portuguese, Dutch and
Russian (data, like `default_patterns`), added to the same rules so a removal keeps its rule name
whatever the page's language.

These are the languages with the most pages in Common Crawl after English, in scripts whose
letters RE2 folds case for. Only the fixed phrases of page furniture are here, the ones a site
builder or a consent platform prints in every language it serves ("Weiterlesen", "Partager",
"Alle Rechte vorbehalten", "Wir verwenden Cookies ..."); each matches a whole line, as the English
ones do, so prose that contains them stays. Words that are also common prose openings ("De",
"Por" before a name, "Mehr" before a headline) are left out or need the shape around them.

RE2's `\\b` is an ASCII word boundary, so no pattern here puts one next to a non-ASCII letter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline.clean.default_patterns import PERSON_NAME, SOCIAL

_SOCIAL_LIST = r"(?:\s*(?:" + SOCIAL + r")\s*(?:[,|/·•&]|und|et|y|e|en|и|or|oder|ou|o|of)?)*"
# What a consent dialog says cookies are for (word stems, any of the languages): a sentence that
# opens like a dialog but names none of them ("Nous utilisons des cookies émiettés ...") stays.
_COOKIE_PURPOSE = (
    r"(?:site|web|navigat|navegac|navigaz|experi|erfahrung|erlebnis|ervaring|analy|anali|"
    r"publicit|publicid|pubblicit|werbung|anzeigen|advertent|personali|personnali|partner|"
    r"partenaire|esperien|socios|fornitori|parceiro|consent|einwilligung|zustimmung|"
    r"toestemming|servic|servizi|dienste|statisti|funktion|fonction|funcion|funzion|сайт|реклам|анализ|персонал|"
    r"согласи)"
)

LINE_RULES: dict[str, list[str]] = {
    "source_link": [
        r"(?:quelle|quellen|quellenangabe|fuente|fuentes|fonte|fonti|bron|bronnen|источник)"
        r"(?: link)?",
    ],
    "call_to_action": [
        # de
        r"(?:weiter ?lesen|mehr (?:lesen|erfahren|anzeigen|dazu|infos?|informationen|details|"
        r"laden)|alles? anzeigen|(?:hier|jetzt) (?:weiterlesen|mehr erfahren)|hier klicken(?: .+)?"
        r"|zum (?:artikel|beitrag|angebot|shop|produkt|video|rezept)|artikel lesen|details "
        r"anzeigen|weniger anzeigen)",
        r"jetzt (?:kaufen|bestellen|abonnieren|anmelden|registrieren|spenden|herunterladen|"
        r"entdecken|testen|lesen|buchen|ansehen|anhören|starten|informieren)",
        r"(?:zurück )?nach oben|zum seitenanfang|zurück zur (?:startseite|übersicht)",
        r"(?:vorheriger|nächster|voriger) (?:artikel|beitrag|eintrag)",
        # fr
        r"(?:lire la suite|lire plus|en savoir plus|voir (?:plus|tout|tous|toutes|la suite|le "
        r"détail|les détails)|afficher (?:plus|tout|moins)|plus d['’](?:infos?|"
        r"informations)|continuer (?:la )?lecture|cliquez ici(?: .+)?|lire l['’]article"
        r"(?: complet)?|charger plus)",
        # not a bare "Commander" or "Dona": English headings and names
        r"(?:acheter|s['’]abonner|abonnez-vous|réserver|télécharger|faire un don|découvrir)"
        r"(?: maintenant| ici| gratuitement)?|commander (?:maintenant|ici|en ligne)",
        r"retour (?:en haut(?: de (?:la )?page)?|à l['’]accueil|à la liste)|haut "
        r"de (?:la )?page",
        r"(?:article|page) (?:précédent|suivant)e?",
        # es
        r"(?:leer (?:más|mas|el artículo(?: completo)?)|(?:seguir|continuar|sigue) leyendo|ver "
        r"(?:más|mas|todo|todos|todas|detalles)|mostrar (?:más|mas|menos|todo)|más información|"
        r"mas informacion|saber más|(?:haz|haga) clic aquí(?: .+)?|cargar más)",
        r"(?:comprar|suscríbete|suscribirse|reservar|descargar|donar)(?: ahora| aquí| gratis)?",
        r"volver (?:arriba|al inicio)|ir arriba",
        r"(?:artículo|noticia|entrada) (?:anterior|siguiente)",
        # it
        r"(?:leggi (?:tutto|di più|l['’]articolo(?: completo)?|altro)|continua a "
        r"leggere|scopri (?:di più|tutto|altro)|per saperne di più|mostra (?:di più|tutto|altro|"
        r"meno)|vedi (?:tutto|tutti|di più|altro|dettagli)|clicca qui(?: .+)?|carica altri)",
        r"(?:acquista|ordina|abbonati|prenota|scarica)(?: ora| subito| qui| gratis)?|dona ora",
        r"torna (?:su|in alto|all['’]inizio)",
        r"(?:articolo|post) (?:precedente|successivo)",
        # pt
        r"(?:leia mais|ler mais|saiba mais|ver (?:mais|tudo|todos|detalhes)|mostrar (?:mais|"
        r"menos|tudo)|continue lendo|continuar (?:a ler|lendo)|clique aqui(?: .+)?|carregar mais)",
        r"(?:assine|assinar|inscreva-se|baixar|doar)(?: agora| aqui| já| grátis)?",
        r"voltar ao (?:topo|início)",
        r"(?:próximo|proximo) (?:artigo|post)|(?:artigo|post) (?:anterior|seguinte)",
        # nl
        r"(?:lees (?:meer|verder|het (?:hele )?artikel)|meer (?:lezen|informatie|info|weten|"
        r"bekijken|laden)|bekijk (?:meer|alles|alle|details)|toon (?:meer|minder|alles)|klik "
        r"hier(?: .+)?)",
        r"(?:koop|bestel|abonneer|doneer|reserveer)(?: nu| hier| direct| gratis)?",
        r"terug naar (?:boven|de top|home|het overzicht)|naar boven",
        r"(?:vorig|volgend)e? (?:artikel|bericht)",
        # ru
        r"(?:читать (?:далее|дальше|полностью|ещё|еще)|подробнее|узнать больше|показать (?:ещё|"
        r"еще|все|больше)|смотреть (?:все|ещё|еще)|наверх|купить|заказать)",
    ],
    "related_link": [
        r"(?:lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|(?:à )?lire aussi|(?:à )?voir "
        r"aussi|lee también|lea también|te puede interesar|leggi anche|vedi anche|leia também|"
        r"veja também|lees ook|bekijk ook|читайте также|смотрите также) ?(?::|>|»|›|→|—|–|-|\|)"
        r" ?.+",
    ],
    "share_line": [
        r"(?:teilen|artikel teilen|beitrag teilen|seite teilen|drucken|artikel drucken|link "
        r"kopieren|partager(?: (?:cet|l['’]) ?article| la page)?|imprimer|copier "
        r"le lien|compartir(?: (?:esta|la) (?:noticia|página)| este artículo)?|imprimir|copiar "
        r"(?:el |o )?(?:enlace|link)|condividi(?: (?:l['’]|questo )articolo)?|"
        r"stampa|copia (?:il )?link|compartilhar|partilhar|delen|artikel delen|afdrukken|kopieer "
        r"(?:de )?link|поделиться|распечатать)",
        r"(?:teilen|partager|compartir|condividi|compartilhar|partilhar|delen|поделиться)"
        r"(?: (?:auf|sur|en|su|no|na|op|via|в|per|par))?" + _SOCIAL_LIST,
    ],
    "social_follow": [
        r"(?:folgen sie uns|folge uns|suivez-nous|suivez nous|retrouvez-nous|síguenos|siguenos|"
        r"seguici|siga-nos|segue-nos|volg ons|подписывайтесь на нас|мы в соцсетях)"
        r"(?: (?:auf|sur|en|su|no|nas|op|в|on))?" + _SOCIAL_LIST,
    ],
    "newsletter": [
        r"(?:newsletter|nieuwsbrief|boletín|boletim|infolettre|рассылка)(?: (?:abonnieren|"
        r"bestellen|anmelden|abonneren))?",
        r"(?:jetzt |kostenlos |gratis )?(?:abonnieren|anmelden|registrieren|melden sie sich|"
        r"melde dich|tragen sie sich|trag dich|abonnez-vous|"
        r"inscrivez-vous|s['’]abonner|s['’]inscrire|suscríbete|"
        r"suscribirse|regístrate|iscriviti|abbonati|assine|inscreva-se|cadastre-se|abonneer|"
        r"aanmelden|schrijf je in|meld je aan|подпишитесь|подписаться) .*(?:newsletter|"
        r"nieuwsbrief|boletín|boletim|lettre d['’]information|infolettre|"
        r"рассылк).*",
        r"(?:ihre |votre |tu |su |la tua |seu |je )?(?:e-?mail-?adresse|adresse (?:e-?mail|"
        r"électronique|courriel)|correo electrónico|indirizzo e-?mail|endereço de e-?mail|"
        r"e-?mailadres)(?: \*)?",
    ],
    "advertisement": [
        r"(?:anzeige|werbung|gesponsert|publicité|sponsorisé|contenu sponsorisé|publicidad|"
        r"publicidade|patrocinado|contenido patrocinado|conteúdo patrocinado|pubblicità|"
        r"sponsorizzato|contenuto sponsorizzato|advertentie|gesponsord|реклама|на правах рекламы)",
        r"(?:weiterlesen|weiter) (?:nach|unter) der (?:anzeige|werbung)|(?:l['’]article|la "
        r"suite) (?:continue|se poursuit) (?:après|sous) (?:la|cette) publicité|"
        r"(?:la noticia|el artículo) continúa (?:después|debajo) de la publicidad",
    ],
    "image_credit": [
        r"(?:foto|fotos|bild|bilder|bildquelle|bildnachweis|titelbild|crédits? photo|"
        r"crédit|imagen|imágenes|fotografía|immagine|immagini|imagem|imagens|afbeelding|beeld|"
        r"фото|изображение)\s*[:|©]\s*.+",
    ],
    "copyright": [
        r".*(?:alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
        r"tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden|"
        r"все права защищены).*",
        r"(?:datenschutz(?:erklärung|hinweise|einstellungen)?|impressum|agb|allgemeine "
        r"geschäftsbedingungen|nutzungsbedingungen|barrierefreiheit|mentions légales|politique "
        r"de (?:confidentialité|cookies)|conditions générales(?: d['’](?:utilisation|vente))?|"
        r"données personnelles|plan du site|aviso legal|política de "
        r"(?:privacidad|cookies|privacidade)|términos y condiciones|(?:condiciones|términos) de "
        r"uso|mapa del sitio|note legali|informativa (?:sulla )?privacy|termini (?:e condizioni|di "
        r"servizio)|mappa del sito|termos (?:de uso|e condições)|mapa do site|privacyverklaring|"
        r"privacybeleid|cookiebeleid|algemene voorwaarden|политика конфиденциальности|"
        r"пользовательское соглашение)(?:\s*[|·•,/]\s*.*)?",
    ],
    "cookie_notice": [
        r"(?:alles? akzeptieren|alle (?:cookies )?(?:akzeptieren|ablehnen|zulassen)|cookies? "
        r"(?:akzeptieren|ablehnen|zulassen)|nur (?:notwendige|essenzielle) cookies(?: "
        r"akzeptieren| zulassen)?|(?:tout )?(?:accepter|refuser)(?: (?:tout|les cookies))?|"
        r"aceptar(?: todo| todas| todas las cookies| cookies)?|rechazar"
        r"(?: todo| todas)?|accetta(?: tutto| tutti| i cookie)?|rifiuta(?: tutto| tutti)?|"
        r"aceitar(?: todos| tudo| cookies)?|rejeitar(?: todos| tudo)?|(?:alle cookies )?"
        r"accepteren|weigeren|cookie-?einstellungen|paramètres (?:des )?cookies|gérer les "
        r"cookies|configuración de cookies|configurar cookies|impostazioni (?:dei )?cookie|"
        r"gestisci (?:i )?cookie|configurações de cookies|cookie-?instellingen|принять(?: все)?"
        r"(?: cookies?)?)",
    ],
    # tried at any length (`any_length_rules`), as the English dialog sentences are
    "consent_dialog": [
        r"(?:wir (?:verwenden|nutzen|setzen) (?:auf (?:unserer|dieser) (?:web)?seite )?cookies|"
        r"diese (?:web ?site|webseite|seite) (?:verwendet|nutzt) cookies|nous utilisons (?:des )?"
        r"cookies|ce site (?:web )?utilise (?:des )?cookies|(?:utilizamos|usamos) cookies|este "
        r"(?:sitio(?: web)?|site|portal) (?:utiliza|usa) cookies|(?:utilizziamo|usiamo) (?:i )?"
        r"cookie|questo sito (?:web )?(?:utilizza|usa) (?:i )?cookie|(?:we|wij) gebruiken cookies|"
        r"deze (?:web)?site gebruikt cookies|мы используем (?:файлы )?cookie|"
        r"этот сайт использует (?:файлы )?cookie).*" + _COOKIE_PURPOSE + r".*",
        # IAB TCF's opening in its translations
        r"(?:wir und unsere|nous et nos|nosotros y nuestros|noi e i nostri|nós e os nossos|wij en "
        r"onze) (?:\d+ )?(?:partner|partenaires|socios|fornitori|parceiros|partners)\s.*",
    ],
    "comment_counter": [
        r"(?:\d+|keine|ein|un|une|aucun|sin|nessun|nenhum|geen) (?:kommentare?|commentaires?|"
        r"comentarios?|commenti|commento|comentários?|reacties?|комментари[а-яё]*)",
        r"(?:kommentare|commentaires|comentarios|commenti|comentários|reacties|комментарии)\s*"
        r"[(\[]?\s*\d*\s*[)\]]?",
        r"(?:kommentar (?:schreiben|verfassen|hinzufügen)|(?:laisser|ajouter|écrire) un "
        r"commentaire|(?:deja|dejar|escribe|añadir) (?:un )?comentario|(?:lascia|scrivi|aggiungi) "
        r"un commento|(?:deixe|deixar|escreva|adicione) (?:um |seu )?comentário|(?:plaats|"
        r"schrijf) (?:een )?reactie|оставить комментарий|antworten|répondre|responder|rispondi|"
        r"reageren|beantwoorden|ответить)",
    ],
    "login_cart": [
        r"(?:anmelden|abmelden|einloggen|ausloggen|registrieren|mein konto|konto erstellen|"
        r"passwort vergessen\??|se connecter|connexion|déconnexion|s['’]inscrire|"
        r"mon compte|créer un compte|mot de passe oublié\s*\??|iniciar sesión|cerrar sesión|"
        r"registrarse|regístrate|mi cuenta|crear (?:una )?cuenta|¿?olvidaste tu contraseña\??|"
        r"accedi|registrati|il mio account|crea(?: un)? account|password dimenticata\??|"
        r"cadastre-se|minha conta|criar conta|esqueceu (?:a|sua) senha\??|inloggen|uitloggen|"
        r"registreren|mijn account|account aanmaken|wachtwoord vergeten\??|войти|выйти|"
        r"регистрация|личный кабинет)",
        r"(?:warenkorb|in den warenkorb(?: legen)?|zur kasse|zum warenkorb|merkzettel|"
        r"wunschliste|panier|ajouter au panier|mon panier|liste d['’]envies|"
        r"carrito|añadir al carrito|agregar al carrito|mi carrito|carrello|aggiungi al carrello|"
        r"il mio carrello|lista dei desideri|carrinho|adicionar ao carrinho|meu carrinho|lista de "
        r"desejos|winkelwagen|in (?:de )?winkelwagen|verlanglijst|корзина|в корзину|оформить "
        r"заказ)(?:\s*[(\[]?\d+[)\]]?)?",
        r"(?:kostenloser versand|versandkostenfrei|livraison (?:gratuite|offerte)|envío "
        r"(?:gratis|gratuito)|spedizione gratuita|frete grátis|envio grátis|gratis verzending|"
        r"бесплатная доставка)(?: (?:ab|dès|à partir de|desde|a partir de|da|vanaf|от) .{1,20})?",
    ],
    "navigation": [
        r"(?:zum (?:haupt)?inhalt(?: springen)?|zur navigation(?: springen)?|aller au (?:contenu|"
        r"menu)|passer au contenu(?: principal)?|(?:ir|saltar) al contenido(?: principal)?|"
        r"(?:vai|salta) al contenuto(?: principale)?|(?:ir|pular) para o conteúdo(?: principal)?|"
        r"(?:ga )?(?:direct )?naar (?:de )?(?:hoofd)?inhoud|перейти к содержимому)",
        r"(?:menü|hauptmenü|menü öffnen|menü schließen|suche|suchen|startseite|zurück|weiter|"
        r"übersicht|menu principal|recherche|rechercher|accueil|retour|suivant|précédent|fermer|"
        r"ouvrir le menu|menú|buscar|búsqueda|inicio|volver|siguiente|cerrar|menu "
        r"principale|cerca|indietro|avanti|successivo|chiudi|pesquisar|pesquisa|"
        r"início|voltar|próximo|seguinte|fechar|zoeken|terug|volgende|vorige|sluiten|hoofdmenu|"
        r"меню|поиск|главная|назад|далее|закрыть)",
        r"(?:startseite|accueil|inicio|início|главная)\s*(?:>|»|›|/|\||→|::|-)\s*.*",
        r"(?:seite|página|pagina|страница) \d+(?:\s*(?:von|sur|de|di|van|из|/)\s*\d+)?",
        r"(?:schlagwörter|schlagworte|themen|kategorien?|étiquettes|mots-clés|catégories?|"
        r"etiquetas|categorías?|etichette|categorie|argomenti|categorias?|trefwoorden|"
        r"categorieën|теги|рубрики?)\s*:.*",
        r"(?:sortieren nach|trier par|ordenar por|ordina per|sorteer op|сортировать по)\s*:?"
        r"(?:\s*\S+){0,3}",
    ],
    "originally_published": [
        r"(?:dieser (?:artikel|beitrag|text) (?:erschien|ist) (?:zuerst|ursprünglich|erstmals)|"
        r"(?:cet|l['’]) ?article (?:a été )?(?:initialement |d['’]abord )?(?:publié|paru)|"
        r"este artículo (?:fue publicado|se publicó|apareció) "
        r"(?:originalmente|originariamente|por primera vez)|questo articolo è stato "
        r"(?:originariamente |originalmente )?pubblicato|este artigo foi (?:originalmente )?"
        r"publicado|dit artikel (?:verscheen|is) (?:eerder|oorspronkelijk)).*",
    ],
    "wire_trailer": [
        r"(?:originalinhalt anzeigen|(?:voir|consulter) le contenu original|(?:vea|ver) (?:el )?"
        r"contenido original(?: aquí)?|(?:visualizza|vedi) il contenuto originale|(?:veja|ver) o "
        r"conteúdo original|bekijk (?:de )?originele (?:inhoud|versie))\s*:?\s*(?:https?://\S+)?",
        # the issuer line of the wires' editions: "QUELLE Acme GmbH", "FUENTE Acme"
        r"(?-i:QUELLE|FUENTE|FONTE|BRON|ИСТОЧНИК) [^\s:]+(?: [^\s:]+){0,7}",
        r"(?:pressekontakt|medienkontakt|kontakt für (?:medien|die presse)|contacts? (?:presse|"
        r"médias)|contactos? (?:de prensa|para medios)|contatt[oi] (?:stampa|per la stampa)|"
        r"ufficio stampa|contatos? (?:de|para a) imprensa|assessoria de imprensa|perscontact|"
        r"contact voor de pers|контакты для (?:сми|прессы))",
    ],
}

RELATED_HEADINGS: list[str] = [
    r"(?:mehr zum thema(?: .+)?|lesen sie auch|(?:das )?könnte sie (?:auch )?interessieren|auch "
    r"interessant|weitere (?:artikel|beiträge|nachrichten|themen)|ähnliche (?:artikel|beiträge|"
    r"produkte)|meistgelesen(?:e(?: artikel)?)?|(?:die )?neuesten (?:artikel|beiträge|"
    r"nachrichten)|top-?(?:artikel|themen|news))",
    r"(?:à lire aussi|lire aussi|à voir aussi|sur le même (?:sujet|thème)|dans la même rubrique|"
    r"articles? (?:similaires|liés|connexes|associés|récents)|(?:les )?plus lus|(?:les )?"
    r"derniers articles|(?:vous )?(?:aimerez|pourriez aimer) aussi)",
    r"(?:(?:también )?te (?:puede|podría) interesar|(?:noticias|artículos) (?:relacionad[oa]s|"
    r"similares|recientes)|lo más (?:leído|visto)|(?:las )?más leídas|lee también|lea también|"
    r"últimas noticias)",
    r"(?:leggi anche|(?:ti )?potrebbe (?:anche )?interessar(?:ti|e)|articoli (?:correlati|simili|"
    r"recenti)|(?:i )?più letti|ultime notizie)",
    r"(?:leia também|veja também|(?:notícias|artigos) (?:relacionad[oa]s|recentes)|(?:as )?mais "
    r"lidas|você (?:também )?pode gostar|últimas notícias)",
    r"(?:lees ook|meer over dit onderwerp|gerelateerde artikelen|meest gelezen|ook interessant|"
    r"laatste nieuws)",
    r"(?:читайте также|похожие (?:статьи|новости)|самое (?:популярное|читаемое)|последние "
    r"новости)",
]

_ROLE = (
    r"(?:redakteur(?:in)?|chefredakteur(?:in)?|korrespondent(?:in)?|journalist(?:in|e)?|"
    r"rédact(?:eur|rice)(?: en chef)?|envoyée? spéciale?|correspondante?|periodista|"
    r"redactor(?:a)?|corresponsal|giornalista|redattore|redattrice|inviat[oa]|corrispondente|"
    r"jornalista|repórter|correspondente|redacteur|verslaggever|correspondent|журналист|"
    r"корреспондент|обозреватель)(?:(?:\s*[,|–—-]\s*|\s+(?:da|de|di|in|aus|für|bei|à|en|a|em|"
    r"uit|bij|в|из)\s+)(?:\S+\s*){1,6})?"
)
BYLINE_PATTERNS: list[str] = [
    # "Von Jana Beispiel", "Par Jeanne Exemple", "di Mario Esempio": the word, then a name
    r"(?i:von|par|por|di|door)\s+" + PERSON_NAME + r"(?:\s*(?:,|und|et|y|e|en|и)\s*.*)?",
    r"(?i:autor|autorin|autoren|auteur|auteurs|autore|autori|autores|redaktion|rédaction|"
    r"redacción|redazione|redação|redactie|автор)\s*:\s*.+",
    PERSON_NAME + r"\s*[,|–—-]\s*(?i:" + _ROLE + ")",
]
ROLE_PATTERNS: list[str] = [_ROLE]
MONTH_NAMES = (
    r"(?:januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|"
    r"dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|"
    r"março|maio|junho|julho|setembro|outubro|novembro|dezembro|januari|februari|maart|mei|"
    r"augustus|december|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|"
    r"ноября|декабря)"
)
WEEKDAY_NAMES = (
    r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|"
    r"vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|"
    r"martedì|mercoledì|giovedì|venerdì|sabato|domenica|segunda-feira|terça-feira|quarta-feira|"
    r"quinta-feira|sexta-feira|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье),?"
)
# The letters of the eight languages (Latin-1 and Cyrillic; RE2 folds the case): `\\pL`, the whole
# Unicode class, costs 1 ms to compile, and Arrow compiles every pattern in every batch again.
_LETTERS = "a-zß-öø-ÿа-яё"
# "vor 3 Stunden", "il y a 3 heures", "hace 3 horas", "3 ore fa", "3 uur geleden"
AGO = (
    r"(?:vor (?:\d+|einer|einem|wenigen) (?:sekunden?|minuten?|stunden?|tagen?|wochen?|"
    r"monaten?|jahren?)|il y a (?:\d+|une?|quelques) (?:secondes?|minutes?|heures?|jours?|"
    r"semaines?|mois|ans?)|hace (?:\d+|una?|unos) (?:segundos?|minutos?|horas?|días?|semanas?|"
    r"meses?|años?)|(?:\d+|un|una) (?:secondi|minuti|minuto|ore|ora|giorni|giorno|settimane|"
    r"mesi|anni|anno) fa|há (?:\d+|uma?) (?:segundos?|minutos?|horas?|dias?|semanas?|meses|"
    r"anos?)|(?:\d+|een) (?:seconden?|minuten?|uur|dagen?|weken?|maanden?|jaar) geleden|\d+ "
    r"(?:секунд|минут|час|дн|недел|месяц|год|лет)[а-яё]* назад)"
)
DATELINE_PATTERNS: list[str] = [
    # "Dienstag, 12. März 2025, 14:32 Uhr", "12 de marzo de 2025", "12 марта 2025 г."
    rf"(?:{WEEKDAY_NAMES}\s+)?(?:\d{{1,2}}(?:\.|er)?\s+(?:de\s+)?)?{MONTH_NAMES}\s+(?:de\s+)?"
    r"\d{4}(?:\s*г\.)?(?:\s*(?:,|um|à|a las|às|alle|om|в|-|–|·|\|)?\s*\d{1,2}[:.h]\d{2}"
    r"(?:\s*uhr)?)?(?:\s*[|·•,]\s*.*)?",
    r"(?:zuletzt )?(?:veröffentlicht|aktualisiert|erstellt|stand|publié|mis à jour|modifié|"
    r"publicado|actualizado|atualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt|"
    r"опубликовано|обновлено)(?: (?:am|le|el|em|il|op|um|à|a las|às|alle|om|в))?\s*:?\s*"
    r"(?:[" + _LETTERS + r"]+\.?,?\s+)?[^" + _LETTERS + r"]*\d.*",
    AGO,
    r"(?:lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo di lettura|tempo de "
    r"leitura|leestijd|время чтения)\s*:?\s*(?:ca\.\s*)?\d.*",
    r"(?:ca\.\s*)?\d+\s*(?:min(?:uten|utos|uti)?\.?)\s+(?:lesezeit|lesedauer|de lecture|de "
    r"lectura|di lettura|de leitura|leestijd|lezen|чтения)",
]


def merged(
    english: Mapping[str, Sequence[str]], other: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    """Each rule's English patterns followed by its other languages' ones, in English order."""
    unknown = sorted(set(other) - set(english))
    if unknown:
        raise KeyError(f"patterns for rules that do not exist: {unknown}")
    return {name: [*patterns, *other.get(name, ())] for name, patterns in english.items()}
