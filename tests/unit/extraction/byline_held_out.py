"""Held-out byline pages: the byline classes of #25 in the two styles of date_held_out (Drupal
fields, an ASP.NET table layout), with other names, separators and markup than the tuning
fixtures (test_author_evidence.py); written after the rules, not used to tune them.
bench/evidence.py scores them; test_author_evidence.py keeps a floor on them.

Each case: (class, byline markup by the headline, head markup, markup inside and after the body,
expected people).  First run: 13 of 24 right.  Two general causes: no byline was read inside a
<form>, and ASP.NET WebForms pages are one form (now a form that holds the page is read, as the
visible text already did); "بقلم / name" (a slash after the role word) gave no name.  24 of 24
after those two fixes.
"""

from __future__ import annotations

import json

from tests.unit.extraction.date_held_out import STYLES  # (the same two page styles)

__all__ = ["HELD_OUT", "STYLES"]


def ld_author(name: str) -> str:
    doc = {"@context": "https://schema.org", "@type": "NewsArticle", "author": {"@type": "Person", "name": name}}
    return f'<script type="application/ld+json">{json.dumps(doc)}</script>'


GALLERY = '<figure class="gallery-item"><img src="/g/1.jpg" alt=""><figcaption>تصوير: أحمد زكي</figcaption></figure>'
CARD = (
    '<div class="author-box"><img src="/w/9.jpg" alt=""><h3>نبذة عن الكاتب</h3>'
    '<div class="author-name">الأستاذ فؤاد الزين</div><p>كاتب صحفي متخصص في الشؤون البرلمانية منذ عام 2005.</p></div>'
)

HELD_OUT: list[tuple[str, str, str, dict[str, str], list[str]]] = [
    (
        "meta disagrees with the printed byline",
        '<div class="field--name-field-writer">بقلم / محمد القحطاني</div>',
        '<meta name="author" content="Mohammed Al-Qahtani">',
        {},
        ["محمد القحطاني"],
    ),
    (
        "the editor in meta",
        "<p>كتبت: ريم العلي</p>",
        ld_author("هيئة التحرير"),
        {},
        ["ريم العلي"],
    ),
    ("roles in one line", "<p>إعداد: يوسف الحربي - تدقيق: منى الشمري</p>", "", {}, ["يوسف الحربي"]),
    (
        "roles in their own elements",
        "<span>ترجمة: سارة خليل</span> <span>كتب: جون سميث</span>",
        "",
        {},
        ["جون سميث"],
    ),
    ("a photographer only", "", "", {"inside": GALLERY}, []),
    ("a dateline before the name (colon)", '<div class="reporter">عمّان: لينا الخطيب</div>', "", {}, ["لينا الخطيب"]),
    ("a dateline before the name (dash)", '<div class="reporter">الجزائر - كريم بن علي</div>', "", {}, ["كريم بن علي"]),
    ("a lineage name", "<p>كتب: عبد الله آل ثاني</p>", "", {}, ["عبد الله آل ثاني"]),
    ("two people, the conjunction glued", "<p>بقلم: هدى منصور وسليم داود</p>", "", {}, ["هدى منصور", "سليم داود"]),
    (
        "the role word in its own element",
        '<div class="writer"><span class="lbl">بقلم</span> <a href="/writers/7">نادر الشريف</a></div>',
        "",
        {},
        ["نادر الشريف"],
    ),
    ("a title before the name", "<p>كتب: د. عماد حسن</p>", "", {}, ["عماد حسن"]),
    ("a writer card", "", "", {"after": CARD}, ["فؤاد الزين"]),
]
