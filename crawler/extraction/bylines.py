"""Bylines: who wrote an article, and only people.

Sources of a byline, in order of trust: JSON-LD/meta authors, then visible bylines on the page
("كتب:", "كتبت", "بقلم", "إعداد", "تقرير", "حوار/حاوره", or an element whose class says
author/byline).  Prefixes are stripped, several authors are split ("فلان وفلان", "،"), and what is
not a person is rejected: the outlet's own name, agency credits ("(رويترز)", "المصدر: وكالات"),
datelines ("(أبوظبي - البيان)"), URLs and e-mails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crawler.extraction.arabic_dates import find_dates
from crawler.extraction.byline_elements import byline_elements
from crawler.extraction.page import element_text
from crawler.stories.places import is_place
from crawler.text.arabic import normalize_key, raw_index

BYLINE_PREFIX_RE = re.compile(
    r"^\s*(?:[-–—•|*]+\s*)?(?:(?:أجرى الحوار|اجرى الحوار|أجرت الحوار|اسم الكاتب|أعد التقرير|اعد التقرير|أعدت التقرير|"
    r"من مراسل(?:نا|تنا)(?:\s+في\s+[^:：\-–—]{2,25})?|تقرير خاص|المؤلف|المؤلفة|par|"
    r"كتب|كتبت|كتبه|كتبها|بقلم|بقلم\s*:|إعداد|اعداد|تقرير|تحرير|حوار|حاورته|حاوره|حاورها|ترجمة|"
    r"متابعة|تغطية|رصد|تصوير|إشراف|بواسطة|حاورتها|حاورهم|by|written by|author|الكاتب|الكاتبة|المحرر|المحررة|"
    r"مراسل|مراسلة|مراسلنا|مراسلتنا|نص وتصوير|نص وصور)"
    r"(?![\w]))\s*[:：\-–—/ـ]?\s*",
    re.IGNORECASE,
)
# Words that mark an agency, a source credit or an organisation rather than a person.
NON_PERSON_WORDS = {
    normalize_key(w)
    for w in (
        "رويترز",
        "وكالات",
        "وكالة",
        "أ ف ب",
        "ا ف ب",
        "فرانس برس",
        "الأناضول",
        "سبوتنيك",
        "واس",
        "وام",
        "بترا",
        "سانا",
        "قنا",
        "كونا",
        "المصدر",
        "مصادر",
        "صحيفة",
        "جريدة",
        "موقع",
        "بوابة",
        "قناة",
        "شبكة",
        "فريق",
        "التحرير",
        "تحرير",
        "المحرر",
        "محرر",
        "الموقع",
        "أخبار",
        "اخبار",
        "نيوز",
        "news",
        "reuters",
        "afp",
        "ap",
        "agencies",
        "agency",
        "staff",
        "editor",
        "editorial",
        "desk",
        "admin",
        "administrator",
        "team",
        "online",
        "newsroom",
        "sputnik",
        "bbc",
        "cnn",
        "lbci",
        "رئيس",
        "هيئة",
        "logo",
        "png",
        "jpg",
        "image",
        "photo",
        "صورة",
        "developed",
        "designed",
        "powered",
        "developer",
        "design",
        "تصميم",
        "برمجة",
        "تطوير",
        "group",
        "مجموعة",
        "شركة",
        "company",
        "inc",
        "ltd",
        "media",
        "ميديا",
        "tv",
        "radio",
        "راديو",
        "network",
        "channel",
        "press",
        "إذاعة",
        "اذاعة",
        "تلفزيون",
        "مؤسسة",
        "دار",
        "مكتب",
        # an account link beside a user icon ("تسجيل الدخول", "حسابي")
        "تسجيل",
        "دخول",
        "الدخول",
        "خروج",
        "الخروج",
        "حسابي",
        "حساب",
        "اشتراك",
        "اشترك",
        "login",
        "logout",
        "sign",
        "account",
        "register",
        "profile",
    )
}
SPLIT_RE = re.compile(r"\s*(?:،|,|;|؛|\band\b|&)\s*")
# "فلان الفلاني وعلان العلاني": split on the conjunction only where both sides are full names,
# since many given names start with و (وائل، وليد، وفاء).
WA_SPLIT_RE = re.compile(r"\s+و\s*(?=\S{2,})")
MAX_NAME_WORDS = 5
MAX_BYLINE_CHARS = 120


def _site_keys(site_names: Iterable[str | None]) -> set[str]:
    keys: set[str] = set()
    for name in site_names:
        if name:
            key = normalize_key(name)
            keys.add(key)
            keys.add(key.replace(" ", ""))
            keys.add(re.sub(r"^ال", "", key))
    return {k for k in keys if k}


def is_person_name(name: str, site_names: Iterable[str | None] = ()) -> bool:
    """Whether ``name`` can be a person's name (not the outlet, an agency, a URL or a dateline)."""
    if not name or len(name) > 60:
        return False
    if re.search(r"https?:|www\.|@|\.com|\.net|\.org|\d|[()\[\]{}«»\"/|:]", name, re.IGNORECASE):
        return False
    key = normalize_key(name)
    words = key.split()
    if not words or len(words) > MAX_NAME_WORDS:
        return False
    if len(words) == 1 and re.fullmatch(r"[a-z]+", words[0]):
        return False  # a single Latin token is a user name or a brand ("akhbarelyom", "admin")
    if key in NON_PERSON_WORDS or all(len(w.strip(".")) <= 2 for w in words):
        return False
    if any(w in NON_PERSON_WORDS or re.sub(r"^ال", "", w) in NON_PERSON_WORDS for w in words):
        return False
    sites = _site_keys(site_names)
    compact = key.replace(" ", "")
    return not any(s == key or s == compact or (len(s) > 3 and s in compact) for s in sites)


# Titles before a name ("الدكتور سامي نصر", "د. هالة يوسف") and a city said before it ("كتب من
# القاهرة: فلان") or after it in brackets ("فلان (القاهرة)") are not part of the name.
TITLE_RE = re.compile(
    r"^(?:(?:(?:الدكتورة|الدكتوره|الدكتور|الأستاذة|الاستاذة|الأستاذ|الاستاذ|المهندسة|المهندس|الشيخ|السفيرة|السفير|"
    r"اللواء|العميد|الكاتبة|الكاتب|الصحفية|الصحفي|الإعلامية|الإعلامي)(?!\w)|د\s*\.|د\s|أ\s*\.\s*د\s*\.|أ\s*\.|"
    r"م\s*\.|Dr\.?|Prof\.?)\s*)+"
)
CITY_BEFORE_RE = re.compile(r"^من\s+[^:：]{2,25}[:：]\s*")
BRACKETED_TAIL_RE = re.compile(r"\s*[(\[][^)\]]{1,30}[)\]]\s*$")
# A conjunction left hanging at either end ("فلان و"), or glued to the next name after a comma
# ("فلان، وعلان").
DANGLING_WA_RE = re.compile(r"(?:^و\s+|\s+و$)")


# A place before the name is a dateline: "بيروت: جاد نعمة", "بغداد - حيدر الجبوري".  Before a
# colon, one or two words that are not a name's start; before a dash, a known place.
DATELINE_COLON_RE = re.compile(r"^([^\s:：]{2,20}(?:\s[^\s:：]{2,20})?)\s*[:：]\s*(?=\S+\s+\S+)")
DATELINE_DASH_RE = re.compile(r"^([^\s\-–—]{2,20}(?:\s[^\s\-–—]{2,20})?)\s+[-–—]\s+(?=\S+\s+\S+)")


def strip_dateline(text: str) -> str:
    """The byline without a place said before the name."""
    colon = DATELINE_COLON_RE.match(text)
    if colon:
        return text[colon.end() :]
    dash = DATELINE_DASH_RE.match(text)
    if dash and is_place(dash.group(1)):
        return text[dash.end() :]
    return text


# An e-mail address, a social handle or a link printed beside the name.
CONTACT_RE = re.compile(r"\S+@\S+\.\S+|(?<!\w)@\w+|https?://\S+|www\.\S+")


def split_byline(raw: str) -> list[str]:
    """``"كتب: فلان وفلان"`` → ``["فلان", "فلان"]`` (prefix stripped, names split, not yet vetted)."""
    text = " ".join(CONTACT_RE.sub(" ", raw.replace("\u00a0", " ")).split())
    text = BYLINE_PREFIX_RE.sub("", text, count=1)
    text = CITY_BEFORE_RE.sub("", text)
    text = strip_dateline(text)
    text = BRACKETED_TAIL_RE.sub("", text)
    text = re.sub(r"\s*[-–—|]\s*(?:\S+\s*){0,3}$", "", text) if re.search(r"\s[-–—|]\s", text) else text
    text = text.strip(" :：-–—.")
    # (each name without a footnote mark: "فلان*", with "* كاتب سعودي" after the body)
    parts = [p.strip(" :：-–—.*") for p in SPLIT_RE.split(text) if p and p.strip()]
    names: list[str] = []
    for index, part in enumerate(parts):
        part = DANGLING_WA_RE.sub("", part).strip()
        if index > 0 and re.match(r"^و\S+\s+\S+", part) and _glued_wa(part):
            part = part[1:]  # "، وعمر خالد": the conjunction, not a name that starts with و
        pieces = _split_on_wa(part)
        if len(pieces) > 1 and all(len(piece.split()) >= 2 for piece in pieces):
            names.extend(pieces)
        elif part:
            names.append(part)
    return [TITLE_RE.sub("", name).strip() for name in names if TITLE_RE.sub("", name).strip()]


# Given names that begin with و: never read as "و" + a name.
_WA_NAMES_TEXT = (
    "وليد وائل وفاء وديع وسام وعد وجدي وجيه وحيد وداد ورد وردة وصال وضاح "
    "وفيق وهيب وهبة ولاء وئام وسيم وسيمة وجدان ولید وهاد وصفي وصفية ولي"
)
WA_NAMES = {normalize_key(n) for n in _WA_NAMES_TEXT.split()}


def _split_on_wa(part: str) -> list[str]:
    """A part split on the conjunction و, never inside a name (وليد) or a lineage (ولد بابا)."""
    pieces, start = [], 0
    for match in WA_SPLIT_RE.finditer(part):
        glued = not match.group()[-1].isspace()  # "وعمر", not "و عمر"
        following = part[match.end() :].split(None, 1)
        word = normalize_key("و" + following[0]) if glued and following else ""
        if word in WA_NAMES or word in LINEAGE_WORDS:
            continue
        pieces.append(part[start : match.start()])
        start = match.end()
    pieces.append(part[start:])
    return [piece for piece in pieces if piece]


# Lineage words inside one person's name (محمد الأمين ولد بابا): never read as "و" + a name.
LINEAGE_WORDS = {normalize_key("ولد")}


def _glued_wa(part: str) -> bool:
    """Whether a part's leading و is the conjunction (not the first letter of a name like وليد)."""
    return normalize_key(part.split()[0]) not in WA_NAMES


_WEEKDAYS = frozenset(
    normalize_key(day)
    for day in ("الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "يوم")
)
_EDGE_MARKS = " ،,|-–—•:"


def without_date(text: str) -> str:
    """A byline block that also prints the date ("ندى حمدان 6 فبراير 2025", "الخميس 6 فبراير
    2025 | ندى حمدان"): the text on the name's side of the date (a day name next to it dropped)."""
    if not any(char.isdigit() for char in text):
        return text
    found = find_dates(text)
    if not found:
        return text
    start, end = raw_index(text, found[0].start), raw_index(text, found[0].end)
    words = text[:start].rstrip(_EDGE_MARKS).split()
    while words and normalize_key(words[-1].strip(_EDGE_MARKS)) in _WEEKDAYS:
        words.pop()
    if words:
        return " ".join(words).rstrip(_EDGE_MARKS)
    return text[end:].strip(_EDGE_MARKS)


def person_names(raw_values: Iterable[str], site_names: Iterable[str | None] = ()) -> list[str]:
    """The people named by a list of raw byline strings, in order, without repeats."""
    names: list[str] = []
    seen: set[str] = set()
    site_list = list(site_names)
    for raw in raw_values:
        if not raw or len(raw) > MAX_BYLINE_CHARS:
            continue
        for name in split_byline(without_date(raw)):
            key = normalize_key(name)
            if key not in seen and is_person_name(name, site_list):
                seen.add(key)
                names.append(name)
    return names


# "رئيس التحرير: فلان" (in an author meta tag): the editor-in-chief, an editor's role.
EDITOR_TITLE_RE = re.compile(r"^\s*(?:رئيس|رئيسة|مدير|مديرة|سكرتير|نائب رئيس)\s+(?:ال)?تحرير")


def byline_label(text: str) -> str | None:
    """The role word a byline opens with, in one spelling (كتب, بقلم, إعداد, تحرير, تصوير...)."""
    if EDITOR_TITLE_RE.match(text):
        return "تحرير"
    match = BYLINE_PREFIX_RE.match(text)
    if not match:
        return None
    word = normalize_key(match.group().strip(" :：-–—/•|*ـ")).lower()
    if word.startswith("من مراسل"):  # "من مراسلنا في دمشق"
        return "مراسلة" if word.startswith("من مراسلتنا") else "مراسل"
    return LABEL_SPELLINGS.get(word, word)


# One spelling per role word: the resolver reads these (crawler.extraction.authors).
LABEL_SPELLINGS = {
    normalize_key(w): canonical
    for canonical, words in {
        "كتب": ("كتب", "كتبت", "كتبه", "كتبها", "نص وتصوير", "نص وصور"),
        "إعداد": ("إعداد", "اعداد", "أعد التقرير", "اعد التقرير", "أعدت التقرير"),
        "حوار": ("حوار", "حاوره", "حاورته", "حاورها", "حاورتها", "حاورهم", "أجرى الحوار", "اجرى الحوار", "أجرت الحوار"),
        "بقلم": ("بقلم", "بقلم :", "بقلم:"),
        "مراسل": ("مراسل", "مراسلنا"),
        "مراسلة": ("مراسلة", "مراسلتنا"),
        "الكاتب": ("اسم الكاتب",),
        "تقرير": ("تقرير خاص",),
        "المؤلف": ("المؤلف", "المؤلفة"),
        "by": ("par",),
    }.items()
    for w in words
}


def visible_byline_candidates(tree: Any, limit: int = 6) -> list[tuple[str, str | None]]:
    """(text, role word or None) of each byline-looking text, in document order: lines with a
    byline prefix ("كتب ...") and, when they read as a full name (two words or more),
    author/byline elements.  A role word alone in its element takes its parent's text (the name
    is in the next element).  Comment forms, sidebars, related-article lists and footers are
    skipped."""
    found: list[tuple[str, str | None]] = []
    for element, by_class in byline_elements(tree):
        if by_class:
            text = element_text(element)
            if len(text.split()) < 2 and not BYLINE_PREFIX_RE.match(text):
                continue
        else:
            if not BYLINE_PREFIX_RE.match((element.text or "").strip()):
                continue
            text = element_text(element)
            if not BYLINE_PREFIX_RE.sub("", text, count=1).strip(" :：-–—") and element.getparent() is not None:
                text = element_text(element.getparent())  # "<span>كتب:</span> <a>فلان</a>"
        if not text or len(text) > MAX_BYLINE_CHARS or any(text == t for t, _ in found):
            continue
        found.append((text, byline_label(text)))
        if len(found) >= limit:
            break
    return found


def visible_bylines(tree: Any, limit: int = 6) -> list[str]:
    """The texts of :func:`visible_byline_candidates`."""
    return [text for text, _ in visible_byline_candidates(tree, limit)]
