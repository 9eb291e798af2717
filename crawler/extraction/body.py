"""Body text clean-up after trafilatura: the article only.

Removes the headline repeated as the first line, a date or byline line at the top, share widgets
("مشاركة المقال"), "اقرأ أيضا"/"شاهد أيضا" boxes and the related headline that follows them,
image credits, newsletter and "تابعونا" calls, copyright lines and tag lists; at the end, a
signature byline ("— تقرير: فلان") and the headline printed again; anywhere, a line of
punctuation alone.  Paragraphs are kept, separated by a blank line (a table-layout page's
paragraphs too: crawler.extraction.page.unwrap_layout_tables).
"""

from __future__ import annotations

import re

from crawler.extraction.arabic_dates import find_dates
from crawler.extraction.bylines import BRACKETED_TAIL_RE, BYLINE_PREFIX_RE
from crawler.text.arabic import clean_stored_text, normalize_key

# A line that starts like this is boilerplate (matched on the normalised line).
_BOILERPLATE_STARTS = tuple(
    normalize_key(s)
    for s in (
        "اقرأ أيضا",
        "اقرا ايضا",
        "إقرأ أيضاً",
        "اقرأ أيضًا",
        "اقرأ المزيد",
        "شاهد أيضا",
        "شاهد ايضا",
        "طالع أيضا",
        "إقرأ ايضا",
        "اقرأ كذلك",
        "للمزيد:",
        "اقرأ ايضاً",
        "مواضيع ذات صلة",
        "أخبار ذات صلة",
        "اخبار ذات صلة",
        "مقالات ذات صلة",
        "الأكثر قراءة",
        "الاكثر قراءة",
        "الأكثر مشاهدة",
        "مشاركة المقال",
        "شارك المقال",
        "شارك الخبر",
        "مشاركة الخبر",
        "شارك على",
        "تابعونا",
        "تابعوا آخر",
        "تابعوا أخبار",
        "تابعوا قناة",
        "تابع آخر الأخبار",
        "للاشتراك",
        "اشترك في",
        "اشترك الآن",
        "اشترك ليصلك",
        "سجل بريدك",
        "النشرة البريدية",
        "حمل تطبيق",
        "حمّل تطبيق",
        "جميع الحقوق محفوظة",
        "كل الحقوق محفوظة",
        "حقوق النشر",
        "الحقوق محفوظة",
        "©",
        "copyright",
        "all rights reserved",
        "مصدر الصورة",
        "الصورة:",
        "صورة:",
        "تصوير:",
        "الصورة من",
        "(صورة",
        "getty images",
        "كلمات دالة",
        "الكلمات المفتاحية",
        "الوسوم",
        "وسوم:",
        "tags:",
        "اضغط هنا",
        "لمتابعة آخر",
        "لمتابعة اخر",
        "انضم إلى قناة",
        "انضم الى قناة",
        "read more",
        "related:",
        "share this",
    )
)
_SHORT_BOILERPLATE = {
    normalize_key(s)
    for s in (
        "شارك",
        "مشاركة",
        "فيسبوك",
        "تويتر",
        "واتساب",
        "تيليجرام",
        "facebook",
        "twitter",
        "whatsapp",
        "telegram",
        "linkedin",
        "email",
        "print",
        "طباعة",
        "نسخ الرابط",
        "أرسل",
        "ارسل",
        "إرسال",
        "المزيد",
        "التالي",
        "السابق",
        "الرئيسية",
        "تعليقات",
        "تعليق",
        "أضف تعليق",
        "اقرأ أيضا",
        "إقرأ أيضاً",
        "شاهد أيضا",
        "شاهد",
        "الكلمات الدالة",
        "اخبار ذات صلة",
        "google news",
        "جوجل نيوز",
        "advertisement",
        "إعلان",
        "اعلان",
    )
}
# Lines after an "اقرأ أيضا" heading that are headlines of other stories (no sentence end).
_WORD_RE = re.compile(r"\w")
_SENTENCE_END_RE = re.compile(r"[.!?؟…:»\"”)]\s*$")
MAX_RELATED_HEADLINE = 160
# A short line with no sentence end before the first paragraph is a caption or a kicker.
MAX_HEAD_CAPTION = 50
HEAD_LOOKAHEAD = 12  # lines looked at for the first real paragraph


# Cookie-consent and privacy notices, whatever their wording and wherever the site puts them.
_CONSENT_RE = re.compile(
    "|".join(
        re.escape(normalize_key(w))
        for w in (
            "ملفات تعريف الارتباط",
            "ملفات الارتباط",
            "ملفات الكوكيز",
            "الكوكيز",
            "كوكيز",
            "سياسة الخصوصية",
            "سياسة الاستخدام",
            "سياسه الخصوصيه",
            "cookies",
            "cookie policy",
            "privacy policy",
            "we use cookies",
        )
    )
)
MAX_CONSENT_LINE = 400


def _is_boilerplate(key: str) -> bool:
    if not key:
        return True
    if len(key) <= MAX_CONSENT_LINE and _CONSENT_RE.search(key):
        return True
    if key in _SHORT_BOILERPLATE:
        return True
    return key.startswith(_BOILERPLATE_STARTS)


def _is_related_heading(key: str) -> bool:
    """An "اقرأ أيضا"-style heading with nothing after it (the next lines are related links)."""
    stripped = key.rstrip(" :.-")
    return stripped in _SHORT_BOILERPLATE or (_is_boilerplate(key) and len(key) < 30)


def _is_date_line(line: str) -> bool:
    if len(line) > 90:
        return False
    found = find_dates(line)
    if not found:
        return False
    rest = len(line) - sum(f.end - f.start for f in found)
    return rest < 45


def _is_byline_line(line: str) -> bool:
    """ "كتب: فلان", "مراسلنا: فلان (دمشق)": a role word, a name, perhaps a place in brackets."""
    if len(line) > 80 or not BYLINE_PREFIX_RE.match(line):
        return False
    return not _SENTENCE_END_RE.search(BRACKETED_TAIL_RE.sub("", line))


def _is_writer_footnote(line: str) -> bool:
    """ "* كاتب وباحث سعودي": the footnote an opinion page ends with, on the writer marked "فلان*"."""
    return line.startswith(("*", "(*)")) and len(line) < MAX_FOOTNOTE_CHARS


MAX_FOOTNOTE_CHARS = 150


def _same_as_title(key: str, title_key: str) -> bool:
    return bool(title_key) and (key == title_key or (len(key) < len(title_key) + 25 and title_key in key))


def _split_table_rows(lines: list[str]) -> list[str]:
    """trafilatura renders table rows as "| cell | cell |"; old sites lay whole pages out in
    tables, so each cell becomes a line of its own."""
    result: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            result.extend(cell.strip() for cell in stripped.strip("|").split("|"))
        else:
            result.append(line)
    return result


def clean_body(text: str | None, title: str | None = None) -> str:
    """The article's text without the boilerplate listed in the module docstring."""
    if not text:
        return ""
    # trafilatura escapes a table's "|" as "\|": a menu row of a table-layout page ends in "\".
    lines = [line.rstrip(" \\") for line in _split_table_rows(clean_stored_text(text).split("\n"))]
    lines = [line for line in lines if _WORD_RE.search(line)]  # (not a line of punctuation or symbols)
    title_key = normalize_key(title or "")
    # Head: headline repeated, date line, byline (in any order, a few lines at most).
    while lines:
        line = lines[0]
        key = normalize_key(line)
        if _same_as_title(key, title_key) or _is_date_line(line) or _is_byline_line(line) or _is_boilerplate(key):
            lines.pop(0)
            continue
        if (
            len(lines) > 1
            and len(line) < MAX_HEAD_CAPTION
            and not _SENTENCE_END_RE.search(line)
            and any(len(later) > max(80, 2 * len(line)) for later in lines[1:HEAD_LOOKAHEAD])
        ):
            lines.pop(0)  # a caption, a kicker, or a menu of a table-layout page before the first paragraph
            continue
        break
    kept: list[str] = []
    skip_related = 0
    for line in lines:
        key = normalize_key(line)
        if skip_related and len(line) <= MAX_RELATED_HEADLINE and not _SENTENCE_END_RE.search(line):
            skip_related -= 1
            continue
        skip_related = 0
        if _is_boilerplate(key):
            if _is_related_heading(key):
                skip_related = 3
            continue
        kept.append(line)
    # Tail: trailing short non-sentences (tags, widgets, dates), a signature byline, the headline
    # again (a theme that prints the post's title under it).
    while kept and (
        (
            len(kept[-1]) < 60
            and not _SENTENCE_END_RE.search(kept[-1])
            and (_is_date_line(kept[-1]) or len(kept[-1].split()) <= 3)
        )
        or _is_byline_line(kept[-1])
        or _is_writer_footnote(kept[-1])
        or _same_as_title(normalize_key(kept[-1]), title_key)
    ):
        kept.pop()
    return "\n\n".join(kept)
