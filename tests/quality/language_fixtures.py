"""Texts in many scripts and with langdetect's special cases, written for the language tests."""

from __future__ import annotations

import unicodedata

from quality_fixtures import LANGUAGE_SAMPLES

SCRIPTS = {
    "ru": "Городской совет обсудил новый бюджет для школ и библиотек города.",
    "el": "Το δημοτικό συμβούλιο συζήτησε τον νέο προϋπολογισμό για τα σχολεία.",
    "ja": "市議会は学校と図書館の新しい予算について月曜日の夜に話し合った。",
    "zh": "市议会星期一晚上讨论了学校和图书馆的新预算。",
    "ar": "ناقش مجلس المدينة الميزانية الجديدة للمدارس والمكتبات مساء الاثنين.",
    "hi": "नगर परिषद ने सोमवार शाम स्कूलों और पुस्तकालयों के नए बजट पर चर्चा की।",
    "ko": "시의회는 월요일 저녁 학교와 도서관의 새 예산을 논의했다.",
}
SPECIAL_CASES = (
    "",
    " ",
    "x",
    "   leading and trailing spaces   ",
    "NASA and the UN said  it was OK, the BBC reported.",
    "ALL CAPITALS HEADLINE ABOUT THE BUDGET",
    "Mixed: Городской совет met the mayor in Berlin.",
    "Visit https://example.org/news?id=42#top or write to press.office@example.org today.",
    "Numbers 2024, 3.5% and 1,000,000 with punctuation!!! ... ---",
    "Emoji 🙂 and astral letters 𝐀𝐁𝐂 in a sentence about 𝐀pples.",
    "Romanian ș and ț with comma below, Farsi یک, fullwidth ＡＢＣ letters.",
    unicodedata.normalize("NFD", "Hội đồng thành phố đã thảo luận ngân sách mới cho trường học."),
    "Tab\tand\nnewline\r\nseparated\u00a0words\u2003here",
    "nul\x00byte and \ufffd replacement",
    "Ça coûte très cher: l'élève naïve à Zürich, ÉCOLE, Ñandú, šťastný, abcжabc aéb ııı.",
    "THE BBC's NASA-funded MRI; McDONALD, iPhone and a𝐀b x🙂y É𝐀É ÉÉÉ éÉé",
    # Some of langdetect's trials run to the 1,000-draw limit on these without converging.
    "e",
    "mm m",
    "A",
)


def all_fixture_texts() -> list[str]:
    """Every text the exactness tests compare with langdetect."""
    mixed = " ".join(LANGUAGE_SAMPLES.values())
    long_mixed = " ".join([LANGUAGE_SAMPLES["en"]] * 20 + [LANGUAGE_SAMPLES["de"]] * 20)
    return [
        *LANGUAGE_SAMPLES.values(),
        *SCRIPTS.values(),
        *SPECIAL_CASES,
        mixed,
        long_mixed,
        "Latin words in a Russian text: " + SCRIPTS["ru"] * 3,
        # longer than langdetect's 10,000 characters, with a URL and Vietnamese marks to rewrite
        "See http://example.org/a " + SPECIAL_CASES[11] + " " + LANGUAGE_SAMPLES["fr"] * 60,
    ]
