"""A small world of Arabic news sites for the tests: articles written for akhbar's tests, rendered
through page templates modelled on real Arabic CMS markup (WordPress, a JSON-LD portal, an
Egyptian portal that prints only an Arabic date, a Levantine site with dual month names), with
RSS and Atom feeds.  Each article carries its truth (title, time, byline, first/last words).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.localserver import LocalServer, Route

PARAGRAPHS = [
    "أعلنت وزارة الموارد المائية عن بدء المرحلة الثانية من مشروع تبطين الترع في محافظات الصعيد، بتكلفة تتجاوز ثلاثة مليارات جنيه، على أن ينتهي العمل فيها خلال ثمانية عشر شهرًا.",
    "وقال المتحدث باسم الوزارة في مؤتمر صحفي إن المشروع يهدف إلى تقليل الفاقد من مياه الري وتحسين توزيعها على نهايات الترع التي عانت طويلًا من نقص المياه خلال أشهر الصيف.",
    "وأضاف أن فرق العمل ستبدأ بمراكز سوهاج وقنا، قبل أن تنتقل إلى أسوان في الربع الأخير من العام، مشيرًا إلى أن المزارعين سيُبلَّغون بمواعيد إغلاق الترع قبل أسبوعين على الأقل.",
    "من جهته، رحّب نقيب الفلاحين بالخطوة، لكنه طالب بتعويض المزارعين الذين تتأثر محاصيلهم بفترات الإغلاق، وبإشراك الجمعيات الزراعية في متابعة جودة التنفيذ.",
    "وشهدت العاصمة الأردنية عمّان مساء الخميس افتتاح الدورة الجديدة من معرض الكتاب الدولي، بمشاركة أكثر من ثلاثمئة دار نشر من اثنتين وعشرين دولة عربية وأجنبية.",
    "وتتضمن فعاليات المعرض ندوات فكرية وأمسيات شعرية وورشًا للأطفال، إضافة إلى جناح خاص بالكتب الرقمية والصوتية التي تزايد الإقبال عليها في السنوات الأخيرة.",
    "وقالت مديرة المعرض إن اللجنة المنظمة خفّضت أسعار الأجنحة للناشرين الشباب، وخصصت جائزة سنوية لأفضل كتاب أول يصدر عن دار نشر أردنية.",
    "وفي المغرب، أطلقت السلطات حملة واسعة لتنظيف الشواطئ قبل موسم الاصطياف، شارك فيها آلاف المتطوعين في مدن طنجة والرباط والدار البيضاء وأكادير.",
    "وأوضح منسق الحملة أن المتطوعين جمعوا في اليوم الأول أكثر من أربعين طنًا من النفايات البلاستيكية، داعيًا المصطافين إلى احترام المساحات المخصصة للنفايات.",
    "كما أعلنت وزارة الصحة الإماراتية تسجيل انخفاض ملحوظ في حالات الإنفلونزا الموسمية هذا الشتاء، مرجعة ذلك إلى ارتفاع نسبة التطعيم بين كبار السن والأطفال.",
    "وأكدت الوزارة أن اللقاحات لا تزال متوفرة مجانًا في المراكز الصحية الحكومية، ودعت المترددين إلى الحصول على الجرعة قبل نهاية الشهر الجاري.",
    "وفي الجزائر، افتتح وزير النقل خطًا جديدًا للسكك الحديدية يربط العاصمة بمدينة بجاية، يقلّص مدة الرحلة من خمس ساعات إلى ثلاث ساعات ونصف.",
    "وقال الوزير إن الخط سيخدم نحو مليوني مسافر سنويًا، وإن الحكومة تدرس تمديده نحو الحدود التونسية ضمن خطة لتحديث شبكة النقل حتى عام ألفين وثلاثين.",
    "ويرى خبراء اقتصاديون أن تحسين شبكات النقل بين المدن سيخفف الضغط عن الطرق السريعة، ويخفض كلفة نقل البضائع التي تشكل عبئًا على صغار التجار.",
    "وفي بيروت، عقدت نقابة الصحافة اجتماعًا طارئًا لمناقشة أوضاع العاملين في المؤسسات الإعلامية بعد تأخر صرف الرواتب في عدد من الصحف والمواقع.",
    "وطالب المجتمعون الحكومة بإقرار صندوق دعم للصحافيين المتضررين، وبتسهيل حصول المؤسسات الإعلامية على قروض ميسّرة للحفاظ على فرص العمل.",
]

HEADLINES = [
    "بدء المرحلة الثانية من تبطين الترع في الصعيد بتكلفة ثلاثة مليارات جنيه",
    "افتتاح معرض عمّان الدولي للكتاب بمشاركة ثلاثمئة دار نشر",
    "حملة لتنظيف الشواطئ المغربية قبل موسم الاصطياف",
    "انخفاض حالات الإنفلونزا الموسمية في الإمارات بفضل التطعيم",
    "خط سكك حديدية جديد يربط الجزائر العاصمة ببجاية",
    "نقابة الصحافة في بيروت تطالب بصندوق لدعم الصحافيين",
]
# Sentence templates for generated articles: filled with different people, places, bodies and
# numbers, so that two generated articles share little text (like two real stories would).
SENTENCES = [
    "أعلن {org} في {place} عن خطة جديدة بقيمة {n} مليون دولار لتطوير {thing} خلال السنوات المقبلة.",
    "وقال {person} في تصريحات صحفية إن {org} سيبدأ التنفيذ في {place} قبل نهاية الشهر {ordinal}.",
    "وأوضح المتحدث أن نحو {n} ألف مواطن في {place} سيستفيدون من {thing} في المرحلة الأولى.",
    "من جهته، انتقد {person} تأخر {org} في صرف المستحقات، مطالبًا بجدول زمني واضح لـ{thing}.",
    "وشهدت {place} يوم {day} اجتماعًا موسعًا ضم {person} وممثلين عن {org} لمناقشة {thing}.",
    "وتشير أرقام {org} إلى ارتفاع الطلب على {thing} بنسبة {n} في المئة مقارنة بالعام الماضي.",
    "وأكد {person} أن {place} تحتاج إلى {n} مدرسة جديدة و{n2} مركزًا صحيًا لتلبية احتياجات السكان.",
    "وفي سياق متصل، وقّع {org} اتفاقية مع شركات محلية في {place} لتوريد معدات {thing} بقيمة {n} مليونًا.",
    "ويرى مراقبون في {place} أن نجاح {thing} يعتمد على التزام {org} بالمواعيد المعلنة.",
    "وكان {person} قد زار {place} الأسبوع الماضي، حيث تفقد مواقع العمل والتقى عددًا من الأهالي.",
    "ودعا {org} المواطنين في {place} إلى التسجيل عبر المنصة الإلكترونية قبل {day} المقبل.",
    "وبحسب بيان رسمي، بلغ عدد المستفيدين من {thing} حتى الآن {n} ألف أسرة في {place} وحدها.",
    "وأشار {person} إلى أن الميزانية المخصصة لـ{thing} ارتفعت إلى {n} مليارًا هذا العام.",
    "وطالب نواب عن {place} بزيادة الرقابة على {org} وبنشر تقارير دورية عن سير {thing}.",
    "وتأتي هذه الخطوة بعد {n} أشهر من المشاورات بين {org} والهيئات المحلية في {place}.",
    "وقالت مصادر مطلعة إن {person} سيعرض نتائج {thing} على مجلس الوزراء في جلسته {ordinal}.",
    "ورحّبت جمعيات أهلية في {place} بالقرار، معتبرة أن {thing} تأخر أكثر من {n} سنوات.",
    "ويعمل في المشروع أكثر من {n} مهندس وفني من {place} ومن محافظات مجاورة بإشراف {org}.",
]
PEOPLE = [
    "وزير الطاقة",
    "محافظ الإقليم",
    "رئيس البلدية",
    "مديرة الصحة",
    "نقيب المهندسين",
    "وزير النقل",
    "رئيسة الجمعية",
    "مدير الموانئ",
    "وزير التربية",
    "الناطق الحكومي",
    "رئيس الغرفة التجارية",
    "مدير المياه",
]
PLACES = [
    "الإسكندرية",
    "إربد",
    "صفاقس",
    "مراكش",
    "حمص",
    "البصرة",
    "الزرقاء",
    "وهران",
    "طرابلس",
    "الخرطوم",
    "جدة",
    "مسقط",
    "المنامة",
    "صيدا",
    "أسيوط",
    "قسنطينة",
    "فاس",
    "الموصل",
    "نابلس",
    "عدن",
]
ORGS = [
    "وزارة الإسكان",
    "هيئة الطرق",
    "البنك المركزي",
    "صندوق التنمية",
    "وزارة الزراعة",
    "شركة الكهرباء",
    "مجلس المحافظة",
    "هيئة الاستثمار",
    "وزارة الصحة",
    "الهلال الأحمر",
    "بلدية المدينة",
    "سلطة المياه",
]
THINGS = [
    "شبكة الصرف الصحي",
    "مستشفى الأطفال",
    "الطريق الدائري",
    "محطة تحلية المياه",
    "المدارس الرقمية",
    "خط الحافلات السريعة",
    "سوق الجملة",
    "الإسكان الاجتماعي",
    "محطة الطاقة الشمسية",
    "ميناء الصيد",
    "الحديقة العامة",
    "مركز التدريب المهني",
]
ORDINALS = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس"]
DAYS = ["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس"]


def generated_paragraphs(n: int, count: int = 4) -> list[str]:
    """``count`` paragraphs of 2-3 sentences unique to article ``n`` (deterministic)."""
    import random

    rng = random.Random(n * 7919 + 13)
    paragraphs = []
    for _ in range(count):
        sentences = []
        for template in rng.sample(SENTENCES, rng.choice((2, 3))):
            sentences.append(
                template.format(
                    person=rng.choice(PEOPLE),
                    place=rng.choice(PLACES),
                    org=rng.choice(ORGS),
                    thing=rng.choice(THINGS),
                    ordinal=rng.choice(ORDINALS),
                    day=rng.choice(DAYS),
                    n=rng.randint(3, 950),
                    n2=rng.randint(2, 60),
                )
            )
        paragraphs.append(" ".join(sentences))
    return paragraphs


AUTHORS = ["سارة المصري", "محمود عبد الرحمن", "ليلى حداد", "يوسف بن علي", None, "هالة يوسف"]


@dataclass
class Article:
    path: str
    title: str
    paragraphs: list[str]
    published: datetime  # aware
    author: str | None
    template: str
    site_name: str
    tz: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def body_start(self) -> str:
        return self.paragraphs[0][:60]

    @property
    def body_end(self) -> str:
        return self.paragraphs[-1][-60:]


ARABIC_DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EGYPT_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
LEVANT_MONTHS = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _ampm(local: datetime) -> tuple[str, str]:
    hour = local.hour % 12 or 12
    return f"{hour:02d}:{local.minute:02d}", ("ص" if local.hour < 12 else "م")


def _share_widget() -> str:
    return (
        '<div class="share-box"><span>مشاركة المقال:</span><a href="#">فيسبوك</a>'
        '<a href="#">تويتر</a><a href="#">واتساب</a></div>'
    )


def _related() -> str:
    return (
        '<div class="related"><h3>اقرأ أيضا</h3><ul><li><a href="/x/1">وزير الري يتفقد محطات الرفع في أسيوط</a>'
        '<span>الأحد 3 نوفمبر 2024</span></li><li><a href="/x/2">ارتفاع منسوب المياه في بحيرة ناصر</a></li></ul></div>'
    )


def _nav(site: str) -> str:
    return (
        f'<header><nav class="main-menu"><a href="/">الرئيسية</a><a href="/news">أخبار</a>'
        f'<a href="/sport">رياضة</a><a href="/economy">اقتصاد</a></nav><div class="logo">{site}</div></header>'
    )


def _footer(site: str) -> str:
    return (
        f'<footer><p>جميع الحقوق محفوظة © 2024 {site}</p><a href="/about">من نحن</a>'
        '<a href="/contact">اتصل بنا</a></footer>'
    )


def render_wordpress(a: Article) -> str:
    """WordPress news theme: og + article:published_time with offset, visible byline link."""
    local = a.published.astimezone(ZoneInfo(a.tz))
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
    byline = f'<span class="author vcard"><a href="/author/x" rel="author">{a.author}</a></span>' if a.author else ""
    return f"""<!DOCTYPE html><html dir="rtl" lang="ar"><head><meta charset="UTF-8">
<title>{html.escape(a.title)} - {a.site_name}</title>
<meta property="og:title" content="{html.escape(a.title)} - {a.site_name}">
<meta property="og:site_name" content="{a.site_name}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{local.isoformat()}">
<meta property="article:section" content="أخبار محلية">
<meta name="author" content="{a.site_name}">
<link rel="canonical" href="{a.extra.get("canonical", "")}">
</head><body class="single-post">{_nav(a.site_name)}
<div id="content"><article class="post type-post">
<header class="entry-header"><h1 class="entry-title">{html.escape(a.title)}</h1>
<div class="entry-meta"><time class="entry-date published" datetime="{local.isoformat()}">{local.day} {EGYPT_MONTHS[local.month - 1]} {local.year}</time> {byline}</div></header>
<div class="entry-content">{paras}{_share_widget()}</div>
<div class="tags-links">الوسوم: <a href="/tag/a">ري</a> <a href="/tag/b">زراعة</a></div>
</article>{_related()}</div>
<aside class="sidebar"><div class="widget"><h3>الأكثر قراءة</h3><ul><li>كتب أحمد فؤاد: عن الصيف الطويل</li></ul></div></aside>
{_footer(a.site_name)}</body></html>"""


def render_portal_arabic_date(a: Article) -> str:
    """Egyptian portal: no machine-readable date, only "الإثنين، 24 أغسطس 2020 09:23 ص" under
    the headline; "كتبت" byline; headline repeated in the body's first line; related box inside."""
    local = a.published.astimezone(ZoneInfo(a.tz))
    clock, ampm = _ampm(local)
    date_line = (
        f"{ARABIC_DAYS[local.weekday()]}، {local.day} {EGYPT_MONTHS[local.month - 1]} {local.year} {clock} {ampm}"
    )
    byline = f'<span class="writeBy">كتبت {a.author}</span>' if a.author else ""
    first, *rest = a.paragraphs
    middle = len(rest) // 2
    body = (
        f"<p><strong>{html.escape(a.title)}</strong></p><p>{html.escape(first)}</p>"
        + "".join(f"<p>{html.escape(p)}</p>" for p in rest[:middle])
        + '<div class="readAlso"><p>اقرأ أيضا</p><p><a href="/y">محافظ قنا يتابع أعمال الصيانة</a></p></div>'
        + "".join(f"<p>{html.escape(p)}</p>" for p in rest[middle:])
    )
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{html.escape(a.title)} - {a.site_name}</title>
<meta property="og:title" content="{html.escape(a.title)} - {a.site_name}">
<meta name="author" content="{a.site_name}">
</head><body>{_nav(a.site_name)}
<div class="container"><div class="articleCont">
<div class="articleHeader"><h1>{html.escape(a.title)}</h1>
<div class="newsStoryDate"><span>{date_line}</span></div>{byline}</div>
<div id="articleBody" class="articleBody">{body}</div>
{_share_widget()}
</div>
<div class="news-related"><h4>أخبار متعلقة</h4>
<div><a href="/z/1">انقطاع المياه عن مناطق بالجيزة</a> <span>الجمعة، 01 نوفمبر 2024 10:00 م</span></div></div>
</div>{_footer(a.site_name)}</body></html>"""


def render_jsonld(a: Article) -> str:
    """Gulf-style portal: JSON-LD NewsArticle with +0400-style offset, meta author carrying a
    dateline credit "(أبوظبي - الموقع)" that is not a person, \\u-escaped JSON strings."""
    local = a.published.astimezone(ZoneInfo(a.tz))
    offset = local.strftime("%z")
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "datePublished": local.strftime("%Y-%m-%dT%H:%M") + offset,
        "dateModified": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M") + offset,
        "author": {"@type": "Person", "name": a.author}
        if a.author
        else {"@type": "Person", "name": f"(أبوظبي - {a.site_name})"},
        "publisher": {"@type": "Organization", "name": a.site_name},
    }
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{html.escape(a.title)} | {a.site_name}</title>
<meta property="og:title" content="{html.escape(a.title)}">
<meta property="og:url" content="{a.extra.get("canonical", "")}">
<meta name="author" content="(أبوظبي - {a.site_name})">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>{_nav(a.site_name)}<main><div class="article">
<h1 class="title">{html.escape(a.title)}</h1>
<div class="date"><time itemprop="datePublished" datetime="{local.strftime("%Y-%m-%dT%H:%M") + offset}">{local.day:02d} {EGYPT_MONTHS[local.month - 1]} {local.year}</time></div>
<div class="article-body">{paras}<p><a href="https://news.google.com/x">تابعوا آخر أخبارنا عبر تطبيق جوجل نيوز</a></p></div>
</div></main>{_footer(a.site_name)}</body></html>"""


def render_levant(a: Article) -> str:
    """Levantine site: visible "تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً" with Arabic-Indic
    digits, meta author = site name, a "بقلم" byline paragraph, agency credit at the end."""
    local = a.published.astimezone(ZoneInfo(a.tz))
    hour = local.hour % 12 or 12
    when = "صباحًا" if local.hour < 12 else "مساءً"
    date_line = (
        f"تم نشره {ARABIC_DAYS[local.weekday()]} {local.day} {LEVANT_MONTHS[local.month - 1]} / "
        f"{EGYPT_MONTHS[local.month - 1]} {local.year} {hour:02d}:{local.minute:02d} {when}"
    ).translate(INDIC)
    byline = f'<p class="byline">بقلم: {a.author}</p>' if a.author else ""
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
    return f"""<html><head><meta charset="utf-8"><title>{a.site_name} - {html.escape(a.title)}</title>
<meta property="og:title" content="{a.site_name} - {html.escape(a.title)}">
<meta name="Author" content="{a.site_name}">
</head><body>{_nav(a.site_name)}<div id="main">
<div class="news-title"><h2>{html.escape(a.title)}</h2><div class="news-date">{date_line}</div></div>
{byline}<div id="main_article_content">{paras}</div>
<div class="share">شارك</div></div>{_footer(a.site_name)}</body></html>"""


TEMPLATES = {
    "wordpress": render_wordpress,
    "portal": render_portal_arabic_date,
    "jsonld": render_jsonld,
    "levant": render_levant,
}


def render(a: Article) -> str:
    return TEMPLATES[a.template](a)


def rss(items: list[Article], base: str, title: str, link_of=None, date_in_feed: bool = True) -> str:
    link_of = link_of or (lambda a: base + a.path)
    entries = []
    for a in items:
        pub = f"<pubDate>{a.published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>" if date_in_feed else ""
        entries.append(
            f"<item><title>{html.escape(a.title)}</title><link>{html.escape(link_of(a))}</link>"
            f'<guid isPermaLink="false">{a.path}</guid>{pub}'
            f"<description>{html.escape(a.paragraphs[0][:100])}</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>{base}/</link><description>أخبار</description>{''.join(entries)}</channel></rss>"
    )


def atom(items: list[Article], base: str, title: str) -> str:
    entries = "".join(
        f'<entry><title>{html.escape(a.title)}</title><link href="{base}{a.path}"/><id>{base}{a.path}</id>'
        f"<updated>{a.published.isoformat()}</updated><author><name>{a.author or ''}</name></author></entry>"
        for a in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>{base}/</id><updated>2024-11-05T10:00:00Z</updated>{entries}</feed>"
    )


@dataclass
class World:
    server: LocalServer
    articles: dict[str, list[Article]]  # per source
    sources_yaml: str

    def all_articles(self) -> list[Article]:
        return [a for items in self.articles.values() for a in items]


def make_articles(
    site: str, template: str, tz: str, prefix: str, start: int, count: int, base_time: datetime
) -> list[Article]:
    items = []
    for i in range(count):
        n = start + i
        paragraphs = [PARAGRAPHS[n % len(PARAGRAPHS)], *generated_paragraphs(n, 3)]
        items.append(
            Article(
                path=f"/{prefix}/{2024}/{n}-خبر",
                title=f"{HEADLINES[n % len(HEADLINES)]} ({n})",
                paragraphs=paragraphs,
                published=(base_time - timedelta(hours=3 * n, minutes=7 * n)).replace(second=0),
                author=AUTHORS[n % len(AUTHORS)],
                template=template,
                site_name=site,
                tz=tz,
            )
        )
    return items


def build_world(server: LocalServer, per_source: int = 3) -> World:
    """Four sources, one per template, each with an RSS (or Atom) feed on the local server."""
    base = server.url("")
    base_time = datetime(2024, 11, 5, 9, 30, tzinfo=UTC)
    specs = [
        ("nile-news", "نيل نيوز", "wordpress", "Africa/Cairo", "rss"),
        ("cairo-portal", "بوابة القاهرة", "portal", "Africa/Cairo", "rss-undated"),
        ("gulf-daily", "الخليج اليومي", "jsonld", "Asia/Dubai", "atom"),
        ("levant-post", "بريد الشام", "levant", "Asia/Amman", "rss-undated"),
    ]
    articles: dict[str, list[Article]] = {}
    lines = ["sources:"]
    for index, (name, site, template, tz, kind) in enumerate(specs):
        items = make_articles(site, template, tz, name, index * per_source, per_source, base_time)
        for a in items:
            a.extra["canonical"] = base + a.path
            server.add(
                quote_path(a.path),
                Route(render(a).encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"}),
            )
        feed_path = f"/{name}/feed"
        if kind == "atom":
            server.add(
                feed_path, Route(atom(items, base, site).encode(), headers={"Content-Type": "application/atom+xml"})
            )
        else:
            feed = rss(items, base, site, date_in_feed=kind == "rss")
            server.add(feed_path, Route(feed.encode(), headers={"Content-Type": "application/rss+xml"}))
        articles[name] = items
        lines += [f"  - name: {name}", f'    feeds: ["{base}{feed_path}"]', f"    timezone: {tz}"]
    return World(server, articles, "\n".join(lines) + "\n")


def quote_path(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/%")


# Two different reports of the same event each: shared names, places and numbers, different text.
# Linking them would be a false duplicate.
SAME_EVENT_PAIRS = [
    (
        "استقبل الرئيس المصري في قصر الاتحادية بالقاهرة وزير الخارجية الأردني، وبحث معه تطورات الأوضاع في غزة "
        "وسبل إدخال المساعدات الإنسانية عبر معبر رفح. وأكد الجانبان رفضهما أي محاولة لتهجير الفلسطينيين من "
        "أراضيهم، وشددا على ضرورة الوقف الفوري لإطلاق النار. وقال المتحدث باسم الرئاسة إن اللقاء تناول أيضًا "
        "التعاون الاقتصادي بين البلدين ومشروعات الربط الكهربائي. ونقل الوزير الأردني رسالة من العاهل الأردني "
        "تتعلق بالتنسيق المشترك قبل القمة العربية المقبلة، فيما أعرب الرئيس المصري عن تقديره للموقف الأردني.",
        "بحث وزير الخارجية الأردني مع الرئيس المصري في القاهرة اليوم ملف المساعدات إلى غزة، في زيارة هي الثالثة "
        "له إلى مصر خلال شهرين. وذكر بيان لوزارة الخارجية الأردنية أن الوزير سلّم رسالة خطية من الملك، وأن "
        "المحادثات ركزت على فتح معبر رفح بشكل دائم وزيادة عدد الشاحنات اليومية. وأشار البيان إلى اتفاق البلدين "
        "على عقد اجتماع ثلاثي مع الجانب الفلسطيني الشهر المقبل. وفي عمّان، قال مصدر حكومي إن الأردن أرسل حتى الآن "
        "أكثر من مئة قافلة برية، وإن جسرًا جويًا جديدًا سيبدأ الأسبوع القادم من مطار ماركا العسكري.",
    ),
    (
        "ضرب زلزال بقوة خمس درجات ونصف على مقياس ريختر ولاية الشلف غربي الجزائر فجر الجمعة، وشعر به سكان العاصمة "
        "ووهران. وقال مركز البحث في علم الفلك والفيزياء الفلكية إن مركز الهزة يقع على بعد اثني عشر كيلومترًا جنوب "
        "مدينة الشلف وعلى عمق عشرة كيلومترات. وأعلنت الحماية المدنية تسجيل إصابات طفيفة لسبعة أشخاص بسبب حالات "
        "الهلع، وتضرر عدد من المباني القديمة في وسط المدينة، فيما أمر الوالي بفتح القاعات الرياضية لإيواء العائلات.",
        "أمضى مئات من سكان الشلف ليلتهم في العراء بعد الهزة الأرضية التي ضربت المنطقة، وسط مخاوف من هزات ارتدادية. "
        "وروى شهود أنهم استيقظوا على اهتزاز النوافذ وسقوط الأواني، وأن الكهرباء انقطعت لنحو ساعة في عدة أحياء. "
        "وزار وزير الداخلية الولاية ظهر الجمعة، وتفقد المباني المتصدعة ومركز الإيواء في القاعة متعددة الرياضات، "
        "وأعلن تشكيل لجنة تقنية لمعاينة البنايات. ويذكّر الزلزال بكارثة الأصنام عام ألف وتسعمئة وثمانين.",
    ),
    (
        "أعلن البنك المركزي السعودي رفع سعر الفائدة الرئيسي بمقدار ربع نقطة مئوية إلى خمسة ونصف في المئة، تماشيًا "
        "مع قرار مجلس الاحتياطي الفيدرالي الأمريكي. وقال البنك في بيان إن القرار يهدف إلى الحفاظ على الاستقرار "
        "النقدي في ظل ارتباط الريال بالدولار. ويتوقع محللون أن ترتفع تكلفة القروض العقارية والاستهلاكية خلال "
        "الأشهر المقبلة، بينما قد تستفيد الودائع من عوائد أعلى.",
        "تراجعت أسهم البنوك في السوق المالية السعودية بعد إعلان البنك المركزي رفع الفائدة ربع نقطة، وانخفض المؤشر "
        "العام بنحو واحد في المئة في تعاملات الظهيرة. وقال متعاملون إن المستثمرين يخشون تباطؤ الطلب على التمويل، "
        "خصوصًا في قطاع العقارات الذي شهد نموًا كبيرًا العام الماضي. في المقابل، صعدت أسهم شركات التأمين التي "
        "تستفيد عادة من ارتفاع العوائد على محافظها الاستثمارية.",
    ),
]


def light_edit(text: str) -> str:
    """A syndicated copy's edits: spelling variants, tatweel, diacritics, one sentence dropped."""
    text = text.replace("أ", "ا").replace("ى", "ي").replace("الحكومة", "الحكـــومة").replace("قال", "قَالَ")
    sentences = [s for s in text.split("\n\n") if s]
    return "\n\n".join(sentences[:-1] + [sentences[-1][: len(sentences[-1]) // 2] + "."])


def render_amp(a: Article, canonical: str) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
    return (
        f'<!doctype html><html amp lang="ar"><head><meta charset="utf-8"><title>{html.escape(a.title)}</title>'
        f'<link rel="canonical" href="{canonical}"></head><body><header>{a.site_name}</header>'
        f"<article><h1>{html.escape(a.title)}</h1>{paras}</article></body></html>"
    )


def build_syndication_world(server: LocalServer) -> tuple[World, list[Article], list[Article], list[Article]]:
    """A wire outlet reachable three ways (plain feed, utm-tagged social feed, AMP feed) and a second
    outlet that re-posts three wire stories with light edits and publishes two stories of its own on
    the same events (not copies).  Returns (world, wire articles, re-posts, own stories)."""
    base = server.url("")
    t0 = datetime(2024, 11, 5, 9, 30, tzinfo=UTC)
    wire = make_articles("وكالة الأنباء", "wordpress", "Africa/Cairo", "wire", 0, 4, t0)
    for i, a in enumerate(wire):  # unique, long texts per story
        a.paragraphs = [PARAGRAPHS[(4 * i + k) % len(PARAGRAPHS)] for k in range(4)]
        a.extra["canonical"] = base + a.path
        server.add(quote_path(a.path), Route(render(a).encode(), headers={"Content-Type": "text/html; charset=utf-8"}))
        server.add(
            quote_path("/amp" + a.path),
            Route(render_amp(a, base + a.path).encode(), headers={"Content-Type": "text/html; charset=utf-8"}),
        )
    reposts = []
    for i, original in enumerate(wire[:3]):
        copy = Article(
            path=f"/repost/2024/{i}",
            title="عاجل | " + original.title,
            paragraphs=light_edit("\n\n".join(original.paragraphs)).split("\n\n"),
            published=original.published + timedelta(hours=1),
            author=None,
            template="levant",
            site_name="صدى المدن",
            tz="Asia/Amman",
        )
        reposts.append(copy)
    own = []
    for i, (first, second) in enumerate(SAME_EVENT_PAIRS[:2]):
        for j, text in enumerate((first, second)):
            own.append(
                Article(
                    path=f"/repost/2024/own-{i}-{j}",
                    title=f"تقرير خاص {i}-{j}",
                    paragraphs=[p + "." for p in text.split(". ") if p],
                    author=None,
                    published=t0 - timedelta(hours=i * 2 + j),
                    template="levant",
                    site_name="صدى المدن",
                    tz="Asia/Amman",
                )
            )
    for a in reposts + own:
        server.add(quote_path(a.path), Route(render(a).encode(), headers={"Content-Type": "text/html; charset=utf-8"}))
    social = lambda a: f"{base}{a.path}?utm_source=twitter&utm_medium=social&fbclid=IwAR0"  # noqa: E731
    amp = lambda a: f"{base}/amp{a.path}"  # noqa: E731
    server.add("/wire/feed", Route(rss(wire, base, "wire").encode(), headers={"Content-Type": "application/rss+xml"}))
    server.add(
        "/wire/social",
        Route(rss(wire, base, "wire", link_of=social).encode(), headers={"Content-Type": "application/rss+xml"}),
    )
    server.add(
        "/wire/amp",
        Route(rss(wire, base, "wire", link_of=amp).encode(), headers={"Content-Type": "application/rss+xml"}),
    )
    for i, a in enumerate(wire):  # a redirecting feed proxy (feedburner-style)
        server.add(f"/go/{i}", Route(status=301, headers={"Location": base + quote_path(a.path)}))
    server.add(
        "/wire/proxy",
        Route(
            rss(wire, base, "wire", link_of=lambda a: f"{base}/go/{wire.index(a)}").encode(),
            headers={"Content-Type": "application/rss+xml"},
        ),
    )
    server.add(
        "/repost/feed",
        Route(rss(reposts + own, base, "repost").encode(), headers={"Content-Type": "application/rss+xml"}),
    )
    sources = (
        "sources:\n"
        f'  - name: wire\n    feeds: ["{base}/wire/feed", "{base}/wire/social", "{base}/wire/amp", "{base}/wire/proxy"]\n'
        "    timezone: Africa/Cairo\n"
        f'  - name: echo\n    feeds: ["{base}/repost/feed"]\n    timezone: Asia/Amman\n'
    )
    return World(server, {"wire": wire, "echo": reposts + own}, sources), wire, reposts, own


def news_sitemap(items: list[Article], base: str) -> str:
    urls = "".join(
        f"<url><loc>{html.escape(base + a.path)}</loc><news:news><news:publication><news:name>{a.site_name}</news:name>"
        f"<news:language>ar</news:language></news:publication>"
        f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
        f"<news:title>{html.escape(a.title)}</news:title></news:news></url>"
        for a in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )


def plain_sitemap(items: list[Article], base: str) -> str:
    urls = "".join(
        f"<url><loc>{html.escape(base + a.path)}</loc><lastmod>{a.published.isoformat()}</lastmod></url>" for a in items
    )
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def sitemap_index(children: list[tuple[str, datetime]]) -> str:
    body = "".join(
        f"<sitemap><loc>{url}</loc><lastmod>{when.isoformat()}</lastmod></sitemap>" for url, when in children
    )
    return (
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'
    )


@dataclass
class SitemapWorld:
    sources_yaml: str
    recent: list[Article]
    old: list[Article]
    homepage: str
    homepage_feed: str
    homepage_sitemap: str
    done_candidates: list[str]
    news_sitemap_listed: list[Article]  # the old articles the news sitemap lists too


def build_sitemap_world(server: LocalServer, now: datetime, article_delay: float = 0.0) -> SitemapWorld:
    """Outlets without feeds: "news-only" publishes a Google News sitemap (recent) and day-archive
    sitemaps (older); "indexed" a sitemap index with gzipped children, one recent and one old;
    "robots" lists its sitemap in robots.txt.  "portal" has only a homepage that declares its feed
    with <link rel="alternate"> and a news sitemap (for discovery)."""
    import gzip

    base = server.url("")
    html_headers = {"Content-Type": "text/html; charset=utf-8"}
    xml = {"Content-Type": "application/xml"}
    recent_a = make_articles("أخبار الساحل", "jsonld", "Africa/Tunis", "news-only", 100, 3, now - timedelta(hours=1))
    old_a = make_articles("أخبار الساحل", "jsonld", "Africa/Tunis", "news-only", 103, 4, now - timedelta(days=6))
    recent_b = make_articles("المؤشر", "wordpress", "Asia/Riyadh", "indexed", 110, 2, now - timedelta(hours=2))
    old_b = make_articles("المؤشر", "wordpress", "Asia/Riyadh", "indexed", 112, 2, now - timedelta(days=9))
    recent_c = make_articles("الرابط", "levant", "Asia/Beirut", "robots", 120, 2, now - timedelta(hours=3))
    recent_d = make_articles("البوابة", "portal", "Africa/Cairo", "portal", 130, 2, now - timedelta(hours=1))
    for group, start in (
        (recent_a, now - timedelta(hours=1)),
        (old_a, now - timedelta(days=6)),
        (recent_b, now - timedelta(hours=2)),
        (old_b, now - timedelta(days=9)),
        (recent_c, now - timedelta(hours=3)),
        (recent_d, now - timedelta(hours=1)),
    ):
        for i, a in enumerate(group):  # spread over days for the old ones, minutes for the recent
            step = timedelta(days=1) if start < now - timedelta(days=2) else timedelta(minutes=25)
            a.published = (start - i * step).replace(microsecond=0)
    for a in recent_a + old_a + recent_b + old_b + recent_c + recent_d:
        a.extra["canonical"] = base + a.path
        server.add(quote_path(a.path), Route(render(a).encode(), headers=html_headers, delay=article_delay))
    server.add("/news-only/news-sitemap.xml", Route(news_sitemap(recent_a + old_a[:1], base).encode(), headers=xml))
    archive_urls = []
    for day in sorted({a.published.date() for a in old_a}):
        items = [a for a in old_a if a.published.date() == day]
        path = f"/news-only/archive/{day:%Y}-{day:%m}-{day:%d}.xml"
        server.add(path, Route(plain_sitemap(items, base).encode(), headers=xml))
        archive_urls.append(base + path)
    server.add(
        "/indexed/s-recent.xml.gz",
        Route(gzip.compress(plain_sitemap(recent_b, base).encode()), headers={"Content-Type": "application/x-gzip"}),
    )
    server.add(
        "/indexed/s-old.xml.gz",
        Route(gzip.compress(plain_sitemap(old_b, base).encode()), headers={"Content-Type": "application/x-gzip"}),
    )
    server.add(
        "/indexed/sitemap-index.xml",
        Route(
            sitemap_index(
                [
                    (base + "/indexed/s-recent.xml.gz", now - timedelta(hours=2)),
                    (base + "/indexed/s-old.xml.gz", now - timedelta(days=9)),
                ]
            ).encode(),
            headers=xml,
        ),
    )
    server.add("/robots/sitemap.xml", Route(news_sitemap(recent_c, base).encode(), headers=xml))
    server.add(
        "/robots.txt",
        Route(
            f"User-agent: *\nAllow: /\nSitemap: {base}/robots/sitemap.xml\n".encode(),
            headers={"Content-Type": "text/plain"},
        ),
    )
    server.add(
        "/portal/",
        Route(
            (
                '<html lang="ar"><head><title>البوابة</title><link rel="alternate" type="application/rss+xml" '
                'title="RSS" href="/portal/rss"></head><body><h1>البوابة</h1></body></html>'
            ).encode(),
            headers=html_headers,
        ),
    )
    server.add(
        "/portal/rss", Route(rss(recent_d, base, "البوابة").encode(), headers={"Content-Type": "application/rss+xml"})
    )
    server.add("/sitemap-news.xml", Route(news_sitemap(recent_d, base).encode(), headers=xml))
    yaml = (
        "sources:\n"
        f'  - name: news-only\n    sitemaps: ["{base}/news-only/news-sitemap.xml"]\n    timezone: Africa/Tunis\n'
        f'    archive: "{base}/news-only/archive/{{yyyy}}-{{mm}}-{{dd}}.xml"\n'
        f'  - name: indexed\n    sitemaps: ["{base}/indexed/sitemap-index.xml"]\n    timezone: Asia/Riyadh\n'
        f'  - name: robots\n    sitemaps: ["{base}/robots.txt"]\n    timezone: Asia/Beirut\n'
    )
    return SitemapWorld(
        yaml,
        recent_a + recent_b + recent_c,
        old_a + old_b,
        base + "/portal/",
        base + "/portal/rss",
        base + "/sitemap-news.xml",
        archive_urls,
        old_a[:1],
    )
