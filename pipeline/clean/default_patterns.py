"""The default pattern lists of the cleaning rules: data, not code.

Every pattern is an RE2 regular expression (the syntax of Arrow's regex kernels: no look-around, no
back-references), matched case-insensitively against the *whole* line after the line's decoration
is set aside: list markers (`-`, `*`, `•`, `1.`), brackets and arrows around it, and trailing
`:`, `.`, `…`, `»`. So `read more` matches "Read more", "[Read more]", "Read more »" and
"- Read More...", but never "You can read more about it in the report." A user config can replace
a list (`rules: {...}`), add to it (`extra_rules`) or switch a rule off (`disabled_rules`).

The phrases were collected from the boilerplate of news and web pages (the trailers and widgets
that C4, Gopher and FineWeb remove with line filters, and the menus and footers of WCXB pages);
they are deliberately generic: site names and one-off strings belong to `site_boilerplate`.
"""

from __future__ import annotations

MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
SOCIAL = (
    r"facebook|twitter|x|linkedin|pinterest|e-?mail|whatsapp|reddit|telegram|tumblr|print|"
    r"copy(?: the)? link|link copied|flipboard|messenger|sms|instagram|youtube|tiktok|threads|"
    r"bluesky|mastodon|snapchat|pocket|mix|vk|xing|line|wechat|weibo|rss|tweet|pin(?: it)?|share"
)

PODCAST_APPS = (
    r"(?:apple podcasts|spotify|google podcasts|youtube music|stitcher|overcast|pocket casts|"
    r"amazon music|audible|soundcloud|itunes|castbox|iheartradio|tunein|podcast addict|rss)"
)

# Full-line rules, in priority order (the first rule that matches names the removal).
LINE_RULES: dict[str, list[str]] = {
    "source_link": [
        r"sources?(?: link| url)?",
        r"(?:original|article|story|news) source",
        r"view (?:the )?(?:original|source)(?: article| post| story)?",
    ],
    "call_to_action": [
        r"(?:read|find out|learn|see|view|show|load|discover|get|know|click|tap|scroll) (?:more|"
        r"less|all)(?: here| now| info(?:rmation)?| details| below| news| stories| articles| posts|"
        r" photos| videos| reviews| results| comments)?",
        r"(?:continue|keep|start|read) reading(?: below| the (?:main )?(?:story|article|post)| here"
        r"| on .+)?",
        r"read (?:the )?(?:full|whole|entire|complete|original|rest of the|next) (?:story|article|"
        r"post|report|review|interview|piece|text|guide|thread)?.*",
        r"(?:click|tap) here(?: to .+)?",
        r"(?:watch|listen|play|stream|shop|buy|order|book|donate|download|subscribe|apply|join|"
        r"register|explore|discover|try it|get it|get started|start now|sign up)"
        r"(?: now| today| free"
        r"| here| online| for free| the app| it now)?",
        r"(?:more|further) (?:info(?:rmation)?|details|reading|here)",
        r"(?:see|view|show|browse) (?:all|more|full|the full|details|the details|options|"
        r"gallery|photos|prices|deals|the list)(?: .+)?",
        r"(?:start|begin) (?:your )?free trial|try (?:it )?(?:for )?free|"
        r"request (?:a )?(?:demo|quote"
        r"|callback)|(?:book|schedule|get) (?:a |your )?(?:free )?(?:demo|consultation|quote)",
        r"(?:next|previous|prev) (?:article|story|post|page|chapter|slide|image|photo)",
        r"back to (?:top|home|homepage|the top|list|results|search|blog|news|articles)",
        r"(?:go|return|jump|scroll) (?:back )?to (?:top|the top)",
        r"(?:show|hide|expand|collapse) (?:more|less|all|details|replies|comments|thread)",
        r"(?:was this|is this|did you find this) (?:article|page|answer|information|post|review)?"
        r" ?(?:helpful|useful)\??(?:\s*yes(?:\s*\(\d+\))?(?:\s*no(?:\s*\(\d+\))?)?|\s*no)?",
        r"yes no",
        r"listen to (?:this|the) (?:article|story)(?: here| now| instead)?",
        r"rate (?:this|the) (?:recipe|article|post|story|product|review|page)",
        r"(?:click|tap) to (?:expand|enlarge|zoom|view larger|view full size|play|see more|"
        r"show more|read more)(?: image| photo| picture| video)?",
        r"did you (?:make|try|cook|bake) this(?: recipe| dish)?\?(?:\s.*)?",
        r"(?:thanks?|thank you) for (?:reading|watching|listening|visiting|stopping by)!*",
        r"(?:download|get|install) (?:our|the)(?: free| new| official)? (?:\w+ )?app"
        r"(?: now| today| for free| here)?",
        r"(?:have|got) (?:a|any) (?:news )?(?:tips?|story(?: ideas?)?|scoop)\??\s*(?:send|"
        r"e-?mail|contact|write to|tell|share it with|get in touch with|reach) .*",
        r"(?:contact|e-?mail|reach|write to) (?:the (?:author|reporter|writer|columnist)|him|her)"
        r"(?: at| via| on)?:? \S+@\S+.*",
    ],
    "related_link": [
        r"(?:read more|read also|also read|read next|see also|related(?: article| story| post"
        r"| content| reading| coverage)?|more|recommended|suggested|watch|listen|explore|editor'?s "
        r"pick|must read|don'?t miss|in case you missed it|trending|popular|latest|up next) ?(?::|"
        r">|»|›|→|—|–|-|\|) ?.+",
    ],
    "share_line": [
        r"(?:share|tweet|email|e-mail|print|send|pin|post)(?: this| the)?(?: article| story| post|"
        r" page| link| video| recipe| on| via| to| with(?: a)? friends?)?(?: (?:" + SOCIAL + r"))*",
        r"(?:(?:" + SOCIAL + r")\s*[,|/·•]?\s*){1,12}(?:link)?",
        r"share (?:this|on|via|to)(?: (?:article|story|post|page|link|video|recipe|on|via|with|"
        r"(?:" + SOCIAL + r")))*",
        r"(?:copy|copied|permalink)(?: link| url| to clipboard)?",
        r"(?:share |copy )?link(?: copied)?",
        r"(?:like this:? )?like loading",
        # "Click to share on Bluesky (Opens in new window) Bluesky"
        r"(?:click|tap) to (?:share|e-?mail|print|tweet|pin|post)\b.*",
        r"\d+\s*(?:shares?|likes?|tweets?|pins?|views?|reactions?|favou?rites?|upvotes?|points?)",
    ],
    "social_follow": [
        r"(?:follow|like|join|find|connect with|subscribe to) (?:us|me)(?: on| at| via)?(?:\s*(?:"
        + SOCIAL
        + r")\s*(?:[,|/·•&]|and|or)?)*",
        r"(?:follow|join|find|connect with|tag|mention) (?:us|me) on (?:" + SOCIAL + r")\b.*",
        r"follow (?:@\S+|the author|this author|this topic|this (?:page|blog|channel|site)).*",
        r"(?:connect|stay connected|get social|stay in touch)(?: with us)?",
        # "Follow Jane Doe on X: @janedoe", "Follow Acme on Facebook"
        r"follow (?:[^\s@:]+ ){1,4}on (?:" + SOCIAL + r")(?:\s*(?::|at)?\s*@\S+)?",
        # "Listen on Apple Podcasts", "Subscribe on Spotify | Apple Podcasts | RSS"
        r"(?:listen|subscribe|follow)(?: to)?(?: (?:the|our) (?:podcast|show))?(?: (?:on|via|in|"
        r"with))?\s*:?\s*" + PODCAST_APPS + r"(?:\s*(?:[,|/·•&]|and|or)\s*" + PODCAST_APPS + r")*",
    ],
    "newsletter": [
        r"(?:sign up|signup|subscribe|register|join|get|receive|enter your email)\b.*"
        r"\b(?:newsletters?|inbox|mailing list|e-?mail (?:updates|alerts|list)|daily digest|"
        r"briefing)\b.*",
        r"(?:our |the |free |daily |weekly )*newsletters?(?: sign ?up| signup)?",
        r"(?:your )?e-?mail(?: address)?(?: \*| \(required\)| required)?",
        r"(?:thanks?|thank you) for (?:signing up|subscribing|registering).*",
        # the messages of a site's forms
        r"(?:thanks?|thank you)!? your submission has been received!?",
        r"oops!? something went wrong while submitting the form",
        r"this field is for validation purposes and should be left unchanged",
        r"(?:subscribe|sign up|register|log ?in|sign in) (?:to|for) (?:continue|read|access|unlock|"
        r"get|view|comment|save|keep).*",
    ],
    "advertisement": [
        r"(?:advertisement|advert|ad|ads|sponsored(?: content| post| links?| by .+)?"
        r"|paid (?:post|content|partnership|promotion)|promoted(?: content| stories| links?)?|"
        r"sponsor(?:ed)? message|partner content)(?:\s*[-–—:|]\s*(?:continue reading(?: below)?|"
        r"(?:the )?(?:story|article|content) continues below|scroll to continue.*))?",
        r"(?:the )?(?:story|article|content|post|text) continues (?:below|after).*",
        r"scroll (?:down )?to continue(?: with content| reading)?",
        r"ads? by .+|(?:remove|hide|block) ads|ad ?choices|report (?:this )?ad",
        r"(?:we|this (?:site|post|article|page)) (?:may )?(?:earn|receive|get)s? (?:a )?(?:small )?"
        r"(?:commission|compensation|affiliate).*",
        r"(?:this (?:post|article|page|story) (?:contains|may contain|includes) )?affiliate links"
        r".*",
        r"as an amazon associate,? (?:i|we)(?: may)? earns?\b.*",
    ],
    "image_credit": [
        r"(?:image|images|photo|photos|photograph|picture|pictures|pic|illustration|graphic|video|"
        r"footage|credit|credits|photo credit|image credit|image source|photo source|header image|"
        r"featured image|cover image|pictured|main image|top image)\s*(?:by|courtesy(?: of)?)?\s*"
        r"[:|©]\s*.+",
        r"(?:photo|image|picture|illustration|video)s? (?:by|courtesy of|via|from) .+",
        r"[^.!?]*(?:/|\||//|©|\bvia\b|\bby\b)\s*(?:getty images|shutterstock|istock(?:photo)?|"
        r"alamy(?: stock photo)?|unsplash|pexels|pixabay|adobe stock|dreamstime|depositphotos|"
        r"ap photo|afp|wikimedia commons|flickr|supplied|handout|file photo)\b[^.!?]*",
        r"(?:enlarge|zoom|expand) (?:this )?(?:image|photo|picture)|(?:open|view) (?:image|photo)"
        r"(?: gallery| in gallery)?",
    ],
    "media_placeholder": [
        # "[embedded content]": the brackets are decoration (`line_patterns`)
        r"embedded content|embedded (?:video|tweet|post|media|audio)|embed",
        r"(?:this|the) (?:video|content|media|embed|tweet|post|audio|player|element) (?:is (?:not |"
        r"no longer |un)available|(?:can ?not|could not|can't) be (?:displayed|played|loaded|"
        r"shown))(?: (?:in|on|for) (?:your|this) (?:country|region|browser|device|location))?",
        r"(?:your|this) (?:browser|user agent) (?:does not|doesn't|can ?not|cannot) (?:support|"
        r"play|display) .*",
        r"media playback is (?:unsupported|not supported) on your device",
        r"(?:please |you (?:need|have|must) to |you must )?(?:enable|turn on|activate) javascript"
        r"(?: in your browser)?(?: (?:to|for|and) .*)?",
        r"javascript (?:is )?(?:required|disabled|not enabled|must be enabled|is off|seems to be "
        r"disabled)(?:(?: (?:in|on|for|to) |[.!,;] ).*)?",
    ],
    "copyright": [
        r"©.*",
        r"(?:copyright|\(c\))\s*(?:©|\(c\)|copyright)?\s*\d{4}.*",
        r".*\ball rights reserved\b.*",
        r"(?:the )?(?:material|content)s? (?:on this (?:site|page)|of this (?:site|page)) (?:may|"
        r"is|are).*",
        r"(?:terms (?:of (?:use|service|sale))|privacy(?: policy| notice| statement| settings)?|"
        r"cookie policy|legal(?: notice)?|imprint|impressum|accessibility(?: statement)?|"
        r"disclaimer|sitemap|site map|do not sell(?: or share)? my (?:personal )?info(?:rmation)?|"
        r"your (?:\w+ )?privacy (?:rights|choices)|ad choices|terms(?: (?:&|and) conditions)?)"
        r"(?:\s*[|·•,/]\s*.*)?",
        r"(?:proudly )?powered by (?:wordpress|shopify|squarespace|wix|blogger|ghost|drupal|joomla|"
        r"discourse|xenforo|vbulletin|phpbb|invision|tumblr|substack|hubspot|weebly|jekyll|hugo)"
        r"(?:\.com)?(?:\s*[|·•,/-]\s*.*)?",
    ],
    "cookie_notice": [
        r".*\b(?:we|this (?:web)?site|our (?:web)?site|our partners|this website)\b.*\b(?:use|"
        r"uses|using|store|stores|set|sets|place|places)\b.*\bcookies?\b.*\b(?:experience|consent|"
        r"privacy|policy|analytics|personali[sz]\w*|advertis\w*|ads|partners|third[- ]part\w*|"
        r"settings|preferences|tracking|functionality|traffic|browsing|website|site|services?)\b.*",
        r"(?:we|this (?:web)?site|our (?:web)?site) uses? cookies",
        r".*\bby (?:continuing|clicking|using|browsing)\b.*\b(?:cookies?|privacy"
        r" policy|terms)\b.*",
        r"(?:accept|reject|allow|decline|refuse|manage|customi[sz]e|necessary|essential)"
        r"(?: all| only"
        r"| necessary| essential| optional)? cookies?(?: only)?",
        r"cookies? (?:settings|preferences|policy|consent|choices|notice|declaration|banner)",
        r"we and our (?:\d+ )?(?:partners|vendors) (?:process|use|store|access|collect)\b.*",
        r"cookie\s+duration\s+description|privacy overview",
        r"(?:accept|accept all|reject all|allow all|deny|dismiss|got it|i agree|i accept|agree|"
        r"agree and close|manage (?:preferences|options|settings|consent)|"
        r"customi[sz]e(?: settings)?"
        r"|save (?:preferences|settings|choices)|consent|do not consent|more options)",
    ],
    # The sentences of cookie-consent dialogs (the templates of consent-management platforms:
    # IAB TCF's "We and our 84 partners ...", the category texts "These cookies are ..."), and the
    # consent line of a sign-up form. They are tried on lines of any length (`any_length_rules`):
    # each pattern begins with the dialog's own opening words, which prose does not use, so a
    # paragraph that merely mentions cookies stays. A site's own cookie policy page written in
    # the same words loses those paragraphs too (docs/cleaning.md).
    "consent_dialog": [
        r"(?:this|our) (?:web ?)?site uses cookies\b.*",
        r"we,? and our (?:\d+ |trusted |selected |advertising |third[- ]party )*(?:partners|"
        r"vendors)\b.*",
        r"we use (?:cookies|necessary cookies|essential cookies|tracking technologies)(?: and "
        r"(?:similar|other) (?:technologies|tools))? (?:to|and|on|for|that|so|which)\b.*\b(?:"
        r"experience|(?:web)?sites?|browser|device|analy\w*|advertis\w*|ads|personali[sz]\w*|"
        r"partners|preferences|consent|traffic|services?)\b.*",
        r"these (?:cookies|tracking technologies|technologies \([^)]*cookies[^)]*\))(?: \([^)]*\))?"
        r" (?:are|may|allow|"
        r"help|collect|enable|do|will|serve|let|record|track|make|remember|provide|store|set|"
        r"can)\b.*",
        r"any cookies that may not be particularly necessary\b.*",
        r"necessary cookies are (?:absolutely )?essential\b.*",
        r"when you visit any (?:web ?site|site),? it may store or retrieve information\b.*",
        r"by clicking [\"'“‘]?(?:accept|allow|agree|i agree|ok|got it)\b.*\b(?:cookies?|consent|"
        r"tracking)\b.*",
        r"(?:you can|you may) (?:accept|reject|decline|manage|customi[sz]e|change) (?:all |your |"
        r"optional |only )?(?:necessary |optional )?(?:cookies?|cookie (?:settings|preferences)|"
        r"consent)\b.*",
        r"this content (?:isn'?t|is not|cannot be) (?:visible|available|displayed|shown) due to "
        r"your cookie\b.*",
        r"we process your (?:personal )?data to deliver content or advertisements\b.*",
        # IAB TCF's purpose texts, which every dialog built on it prints word for word
        r"store and/or access information on a device\b.*",
        r"information about your activity on this service\b.*",
        r"(?:advertising|content) presented to you on this service can be based on\b.*",
        r"information regarding which (?:advertising|content) is presented to you\b.*",
        r"cookies (?:collect|are small|are used|help us|allow us|enable us)\b.*\b(?:website|site|"
        r"browser|device)\b.*",
        r"if you (?:agree|accept|consent),? we(?:'ll| will)? (?:also )?use (?:additional )?"
        r"cookies\b.*",
        r"by (?:signing up|subscribing|submitting|registering|entering your e-?mail|providing your "
        r"(?:e-?mail|phone|number|information)|clicking [\"'“‘]?(?:sign up|subscribe|submit|"
        r"continue|register|join))\b.*\b(?:you(?: also)?|i) (?:hereby )?(?:agree|consent|"
        r"acknowledge|accept|confirm)\b.*",
        r"this (?:site|page|form) is protected by recaptcha\b.*",
    ],
    "comment_counter": [
        r"(?:\d+|no|one|zero)\s*(?:comments?|replies|reply|responses?|answers?|messages?|posts?)"
        r"(?: so far)?",
        r"(?:comments?|replies|responses|answers|discussion)\s*[(\[]?\s*\d+\s*[)\]]?",
        r"(?:leave|add|post|write|view|show|load|read|see|hide|join|submit)"
        r"(?: all| \d+| more| the| a"
        r"| your| new| previous| older| newer)? (?:comments?|replies|reply|responses?|reviews?|"
        r"discussion|conversation)(?: \(\d+\))?",
        r"(?:reply|quote|report|permalink|flag|like|dislike|upvote|downvote|edit|delete|"
        r"cancel reply"
        r"|log in to reply|sign in to (?:comment|reply)|report (?:comment|post|abuse|this))",
        r"(?:be the first|no one has|there are no) .*(?:comment|review|repl).*",
        r"(?:you must(?: be)?|please) (?:logged in|log in|sign in|register).*",
        r"(?:leave a (?:reply|comment) )?cancel reply",
        r"(?:your )?e-?mail(?: address)? will (?:not|never) be (?:published|shared|displayed).*",
        r"(?:all )?required fields are (?:marked|indicated).*",
        r"comments (?:are|have been) (?:closed|disabled|turned off)(?: for this \w+)?",
        # the comment form: its fields, WordPress's consent line and its spam trap ("Δ")
        r"(?:name|website|comment|your comment|message|your message)\s*(?:\*|\(required\))",
        r"save my name,? e-?mail,? and website in this browser for the next time i comment",
        r"δ",
        r"discussion about this (?:post|article|story)",
    ],
    "forum_meta": [
        r"(?:thread starter|original poster|started by|topic starter)\s*:?\s*\S+(?: \S+)?",
        r"(?:start date|join date|joined|member since|registered|last (?:seen|active|edited))"
        r"\s*:?\s*(?:on )?(?:" + MONTH + r"|\d)[\d ,:./()-]*(?:" + MONTH + r"[\d ,:./()-]*)?"
        r"(?:[ap]m)?(?:\s+(?:messages|posts|"
        r"reaction score|points|likes|location|age|reason|country|threads|reputation)\b.*)?",
        r"last edited by \S+(?: \(.*\)| on .*| at .*|; .*)?",
        r"(?:messages|posts|reaction score|reactions|likes received|points|trophy points|"
        r"solutions|thanks|karma|reputation|threads)(?:\s*:\s*|\s+)\d[\d,.]*[km]?",
        r"(?:new|junior|senior|well-known|active|valued|established|registered|banned|premium|"
        r"full|verified|gold|silver|bronze|platinum|elite|veteran|moderator|staff|super)"
        r"(?: \w+)? (?:member|poster|contributor|user)",
    ],
    "login_cart": [
        r"(?:log ?in|log ?out|sign ?in|sign ?out|sign ?up|register|my account|account|your account|"
        r"create (?:an |your )?account|forgot(?: your)? password\??|reset password|remember me|"
        r"username|password|join(?: now| free| us)?|members?(?: area| login)?)",
        r"(?:log ?in|sign ?in|register)(?: (?:/|\||or|and|&) (?:log ?in|sign ?in|sign ?up|register|"
        r"join|create (?:an )?account))+",
        r"(?:cart|basket|bag|shopping (?:cart|bag|basket)|view (?:cart|basket|bag)|checkout|check "
        r"out|wish ?list|saved items|my orders|track (?:my |your )?order)(?:\s*[(\[]?\d+[)\]]?)?",
        r"(?:add|added) to (?:cart|basket|bag|wish ?list|favou?rites|compare|registry)",
        r"(?:\d+|no) items? in (?:your |the )?(?:cart|basket|bag)|"
        r"your (?:cart|basket|bag) is empty",
        r"(?:select options|choose options|add to compare)",
        r"free (?:shipping|returns?)(?: on (?:all )?(?:orders?|purchases?)(?: (?:over|above|of|"
        r"from) .{1,20})?| over .{1,20}| within \d+ days)?",
        r"secure (?:payment|checkout|shopping)s?",
        r"we accept (?:(?:visa|mastercard|paypal|american express|amex|apple pay|google pay|"
        r"discover|klarna|maestro|shop pay|all major credit cards)[ ,&]*(?:and )?)+",
    ],
    "navigation": [
        r"(?:skip|jump|go) to (?:the )?(?:main )?(?:content|navigation|menu|search|footer|article|"
        r"main|sidebar|recipe|instructions|ingredients|comments|reviews|video)",
        r"(?:toggle|open|close|show|hide|main|mobile|site|primary)(?: main| mobile)? (?:navigation|"
        r"menu|nav|search|sidebar)(?: (?:open|close|toggle) (?:navigation|menu))?",
        r"(?:open|close) (?:menu|navigation) (?:open|close) (?:menu|navigation)",
        r"(?:menu|navigation|nav|search|close|toggle|home|homepage|back|more|less|top|next|"
        r"previous|prev|older posts|newer posts|loading|loading\.\.\.|you are here|"
        r"breadcrumbs?|sidebar|search for|search this site|site search|go|submit|"
        r"search …|search\.\.\.|select language|close menu|main menu|"
        r"dismiss|expand|collapse|show|hide|filter|filters|sort by|sort|reset|clear|"
        r"clear all|page \d+|contact us|about us|store locator|find a store|sitemap|"
        r"site map|search results|search again|advanced search|more stories|more news|"
        r"recent posts|recent comments|tagged|filed under|posted in)",
        r"(?:home|homepage|main)\s*(?:>|»|›|/|\||→|::|-)\s*.*",
        r"page \d+(?:\s*(?:of|/)\s*\d+)?(?:\s+(?:next|previous|prev|»|›|→|last|first))*",
        r"(?:«|‹|←|<)?\s*(?:first|prev|previous|older|newer|next|last)\s*(?:»|›|→|>)?(?:\s*[|·]\s*"
        r"(?:first|prev|previous|older|newer|next|last)\s*(?:»|›|→|>)?)*",
        r"(?:\d+\s+){2,}(?:…|\.\.\.)?\s*(?:\d+\s*)?(?:next|»|›|→)?",
        r"table of contents|on this page",
        r"sort(?:ed)? by\s*:?\s*(?:most recent|newest|oldest|latest|relevance|price[\w\s():,-]*|"
        r"rating|popularity|best selling|featured|date|name|top rated|most helpful)",
        r"(?:tags?|tagged(?: with| as| in)?|topics?|categories|category|filed under|posted in|"
        r"labels?)\s*:.*",
        r"(?:posted|filed) (?:in|under) (?:[^\s.!?]+[ ,|·]*){1,4}",
    ],
    "originally_published": [
        r"(?:this|the) (?:article|story|post|piece|column|essay|interview|report|content)(?: was|"
        r" is|,)? (?:originally |first )?(?:published|appeared|posted|syndicated|republished)(?: on"
        r"| in| at| by| with| from| under)?.*",
        r"(?:originally|first) (?:published|posted|appeared)(?: on| in| at| by)?.*",
        r"a version of this (?:article|story|post|piece) (?:was published|appeared|first appeared)"
        r".*",
        r"(?:republished|reprinted|syndicated) (?:with permission )?(?:from|by|courtesy of|under)"
        r".*",
    ],
    # The fixed lines of press-release wires and news agencies: the link to the release's
    # original, the issuer line (PR Newswire's "SOURCE Acme Corp", in capitals only), the release's
    # media links, its contacts heading, the end mark, and an agency's standards line.
    "wire_trailer": [
        r"view (?:the )?original content(?: to download multimedia)?\s*:?\s*(?:https?://\S+)?",
        r"view source version on \S+\s*:?\s*(?:https?://\S+)?",
        r"(?-i:SOURCE) [^\s:]+(?: [^\s:]+){0,7}",
        r"(?:logo|photo|video|image|infographic|multimedia|audio)s? - https?://\S+",
        r"(?:media|press|investor|investors|investor relations|company|pr|public relations|news "
        r"media|editorial)(?:,? (?:and|&) (?:media|press|investors?|investor relations))? "
        r"contacts?(?: information| details)?",
        r"#{3,}|-\s?30\s?-|[-–—]+\s*ends\s*[-–—]+|(?-i:ENDS)",
        r"our standards\s*:?\s*the thomson reuters trust principles",
    ],
}

# Headings of lists of related links. A heading followed by two or more headline-like lines is
# removed with its list (`related_links_block`); followed by prose, it is removed alone
# (`related_links_heading`, the scraper stripped the list).
RELATED_HEADINGS: list[str] = [
    r"(?:the )?latest(?: news| stories| articles| posts| headlines| updates| developments| videos"
    r"| reviews| from .+| in .+| on .+)?",
    r"related(?: stories| articles| posts| links| content| coverage| reading| news| topics| videos"
    r"| guides| reviews| products| items| searches| questions)?",
    r"(?:read|see|watch|listen) (?:more|also|next|this|these|further|on)\s*:",
    r"(?:read|watch|listen) (?:next|this|these|also)",
    r"(?:more|also|further) (?:reading|stories|news|articles|posts|videos|coverage|reviews|guides|"
    r"from .+|on .+|in .+|about .+|like this|to (?:read|explore|watch))",
    r"more",
    r"also (?:read|see|on .+|in .+)",
    r"(?:most|top|trending|popular|hot) (?:read|popular|viewed|shared|commented|emailed|watched|"
    r"stories|articles|posts|news|headlines|now|today|this week|on .+|in .+)(?: stories| articles"
    r"| posts| news| now| today| this week)?",
    r"(?:you|you'?ll) (?:may|might|could|will|should)(?: also)? (?:like|enjoy|love|be interested"
    r" in|have missed|want to read)(?: these| this| reading)?",
    r"(?:recommended|suggested|curated) (?:for you|stories|articles|posts|reading|videos|links|"
    r"content|news|reads)",
    r"(?:in case you missed it|icymi|don'?t miss|must read|must reads|what to read next|up next|"
    r"recent posts|recent articles|recent stories|recent news|around the web|from the web|"
    r"from our partners|sponsored stories|promoted stories|in other news|elsewhere on .+|"
    r"other stories|other news|other articles|trending now|trending stories|popular now|"
    r"popular stories|popular posts|top stories|top news|top headlines|news in brief|"
    r"more headlines|further reading|useful links|quick links|related searches|"
    r"people also (?:ask|read|viewed|searched for)|trending topics|featured stories|"
    r"featured articles|featured posts|hot network questions)",
    r"similar (?:threads|posts|topics|questions|articles|stories|products|items|listings|recipes)",
    r"(?:customers|people|shoppers|others) (?:who (?:bought|viewed) this(?: item| product)? )?"
    r"also (?:bought|viewed|liked|purchased|searched for|considered)",
    r"(?:your |you )?recently viewed(?: items| products)?|frequently bought together",
]

# Edge lines (bylines, datelines, reading times) removed only near the start or end of the text or
# of the article body. Byline and name patterns are matched case-sensitively (a name is
# capitalised), so their keywords carry their own `(?i:...)`; role and date patterns ignore case.
PERSON_NAME = (
    r"(?:(?i:dr|prof|mr|mrs|ms|sir|dame)\.?\s+)?\p{Lu}[^\s\d,;:!?()]+(?:\s+(?:(?:de|da|van|von|der|"
    r"del|la|le|bin|al|el)\s+)?\p{Lu}[^\s\d,;:!?()]*){1,3}"
)
ROLE = (
    r"(?:(?:guest|staff|senior|chief|political|deputy|associate|special|contributing|freelance|"
    r"foreign|royal|sports?|business|health|science|technology|tech|news|crime|court|legal|"
    r"education|environment|climate|entertainment|showbiz|culture|arts|music|film|travel|food|"
    r"fashion|lifestyle|data|investigations?|investigative|local|national|international|world|"
    r"us|uk|economics|financial|markets|energy|transport|home affairs|social affairs|digital|"
    r"video|audio|assistant|executive|managing|commissioning|consulting|online|web|"
    r"breaking news|weekend|night|features?|opinion|content|copy|photo|picture)\s+){0,3}"
    r"(?:reporter|correspondent|writer|editor|columnist|journalist|contributor|author|"
    r"photographer|producer|analyst|blogger|critic|presenter|anchor|staff|desk|team|"
    r"bureau chief|reporters|writers|editors|staff writer|staff reporter)"
    r"(?:\s*[,|–—-]\s*(?:\S+\s*){1,6})?"
)
BYLINE_PATTERNS: list[str] = [
    r"(?i:(?:written |words |reported |story |text |posted |published |compiled |edited |"
    r"reviewed |photos? |video )?by)\s*:?\s+(?i:the |our )?[\p{Lu}@].*",
    r"(?i:(?:medically |fact[- ]checked |expert )?reviewed by) .+",
    r"(?i:author|authors|posted by|written by|words|reporter|correspondent|contributor)\s*:\s*.+",
    # "Jane Doe | Staff Writer", "Jane Doe, Political Editor"
    PERSON_NAME + r"\s*[,|–—-]\s*(?i:" + ROLE + ")",
    # news-agency credits: "Reporting by Jane Doe; Editing by Ravi Patel", "(Additional
    # reporting by ...)"
    r"(?i:(?:additional |further )?(?:reporting|editing|writing|research|graphics|photography|"
    r"production|translation|fact-checking|compilation) by)\s+[\p{Lu}@].*",
]
ROLE_PATTERNS: list[str] = [ROLE]
WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?"
DATELINE_PATTERNS: list[str] = [
    r"(?:first |last |originally )?(?:published|posted|updated|modified|created|written|"
    r"reviewed|date|dated)(?: on| at)?\s*:?\s*(?:[^a-z]*\d.*|(?:"
    + WEEKDAY
    + r"|"
    + MONTH
    + r"|yesterday|today|just now|an? (?:hour|minute|day|week)|\d+).*)",
    r"\d+\s*(?:min(?:ute)?s?|hours?|hrs?|h|m)\.?\s+(?:read|listen|watch|reading time|to read)"
    r"(?:\s*[|·•,]\s*.*)?",
    r"(?:reading time|read time|time to read|estimated reading time)\s*:?\s*\d.*",
    r"(?:about |updated |posted |published )?(?:\d+|an?|one|few)\s+(?:seconds?|secs?|minutes?|"
    r"mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago",
    r"(?:just now|yesterday|today)(?:\s+at\s+\d.*)?",
    r"(?:" + WEEKDAY + r"\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?" + MONTH + r"\s+(?:\d{1,2}"
    r"(?:st|nd|rd|th)?,?\s+)?\d{4}(?:\s*(?:,|at|-|–|·|\|)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*[a-z]{2,5})?)?(?:\s*[|·•,]\s*.*)?",
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ t,]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*"
    r"[+-]\d{2}:?\d{2}|\s*[a-z]{2,5})?)?",
    r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*[a-z]{2,5})?(?:\s*[,|·•-]\s*.*)?",
]

# Reader comments under an article (`comment_thread`, see `pipeline/clean/comment_threads.py`).
# A signature is a date, after an optional commenter: `COMMENT_DATES` say what a date is (with or
# without a time, or "3 days ago"), `COMMENT_COMMENTER` what may stand before it (a name of up to
# five words, "says", a separator: "Sharon says: ", "Amy · ", "Amy" glued to "September ...").
_CLOCK = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
_DAY = (
    r"(?:" + WEEKDAY + r"\s*)?(?:" + MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}"
    r"(?:st|nd|rd|th)?\s+" + MONTH + r",?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
COMMENT_DATES: list[str] = [
    rf"{_DAY}(?:,?\s*(?:at|@|-|–|,)?\s*{_CLOCK})?",
    rf"{_CLOCK},?\s*(?:on\s*)?{_DAY}",
    r"(?:\d+|an?) (?:minute|hour|day|week|month|year)s? ago",
]
COMMENT_COMMENTER = r"[^\s:]+(?: [^\s:]+){0,4}?\s*(?:says|commented)?\s*(?:[,•|·–—:-]|on)?\s*"
# Metadata that looks like a signature but is not one (a question site's "asked", a post's own
# "Published"): never a signature.
COMMENT_SIGNATURE_EXCLUSIONS: list[str] = [
    r"(?:asked|answered|edited|modified|commented|posted|published|updated|created|joined|"
    r"member since|registered|started|last (?:edited|updated|modified|seen|active|post)|"
    r"reviewed|written|released|filed)\b.*",
]
# A question site's page (its answers' comments are content): the rule leaves it alone.
COMMENT_SKIP_PAGE: list[str] = [
    r"(?:asked|answered)\s+(?:on\s+)?(?:" + "|".join(COMMENT_DATES) + r"|.*\bago)"
]
COMMENT_HEADINGS: list[str] = [
    # "42 Comments", "One comment", "Comments", "12 thoughts on “…”"; not a "Comment" button, and
    # "Responses" / "Reactions" only with a count (bare, they head an article's own section)
    r"(?:(?:\d[\d,]*|one|no)\s*(?:comments?|responses?|thoughts|reactions)|comments)"
    r"(?: (?:on|to|for|about) .+)?",
    r"(?:reader|user|readers'?|visitor) (?:comments|interactions|responses|discussion)",
    r"join the (?:conversation|discussion)|leave a (?:reply|comment)|what do you think\??|"
    r"discussion about this (?:post|article|story)|comments? (?:section|thread)",
]
# "Sharon says", "Sharon says: July 14, 2015 at 3:53 pm" (WordPress).
COMMENT_SAYS: list[str] = [r"[^\s:]+(?: [^\s:]+){0,4} (?:says|commented)\s*:?(?:\s+.*\d.*)?"]
# The line that closes a comment (the last one of a thread ends there).
COMMENT_ENDS: list[str] = [
    r"reply|replydelete|reply ↓|reply to (?:comment|this(?: comment)?)|log in to reply|"
    r"(?:leave|add|post) a (?:reply|comment)|add comment|load more(?: comments)?|cancel reply|"
    r"report(?: comment| abuse)?|permalink|reply to this share",
]
