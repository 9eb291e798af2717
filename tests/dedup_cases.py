"""The labelled de-duplication set of bench/dedup.py and tests/unit/dedup/test_dedupe.py: Arabic articles
of 150-800 words and what a re-post does to them (near copies, three kinds of partial copies), daily template news (gold and currency
prices, prayer times, weather, exam results: a series, never a copy), and different reports on
one event.  Written for akhbar; no text is taken from a real outlet."""

from __future__ import annotations

import random
import re

from tests.world import SAME_EVENT_PAIRS, generated_paragraphs

AGENCY_OPENINGS = [
    "القاهرة (وكالة الأنباء العربية) - في خطوة لافتة تابعها المراقبون باهتمام منذ ساعات الصباح الأولى، "
    "كشفت مصادر مطلعة عن تفاصيل جديدة تتعلق بالملف الذي شغل الرأي العام خلال الأسابيع الماضية. "
    "وأوضحت المصادر التي طلبت عدم الكشف عن هويتها أن الأيام المقبلة ستشهد تطورات مهمة.",
    "عمّان - خاص - يترقب الشارع نتائج الاجتماعات المكثفة التي عقدت خلال اليومين الماضيين بين الأطراف المعنية، "
    "في وقت تتزايد فيه التساؤلات حول الجدول الزمني للتنفيذ. وبحسب ما علمته الوكالة من مصادرها فإن النقاشات "
    "تناولت عدة بنود خلافية لم تحسم بعد.",
    "الرباط (الوكالة) - أفادت معطيات رسمية حصلت عليها الوكالة بأن السلطات المختصة تستعد للإعلان عن حزمة من "
    "الإجراءات الجديدة، وذلك بعد سلسلة من المشاورات الموسعة مع الفاعلين في القطاع. وينتظر أن تكشف الحكومة عن "
    "تفاصيلها في ندوة صحفية مرتقبة.",
]
READ_MORE = [
    "لقراءة الخبر كاملا اضغط هنا على موقع المصدر.",
    "تابع بقية التفاصيل على موقعنا الرسمي.",
    "للمزيد من التفاصيل يرجى زيارة الموقع الأصلي للخبر.",
]


def base_articles(count: int = 12, seed: int = 5) -> list[str]:
    """Articles of 150-800 words: 6 to 30 paragraphs of 2-3 sentences each."""
    rng = random.Random(seed)
    sizes = [4 + (15 * i) // max(1, count - 1) for i in range(count)]
    return ["\n\n".join(generated_paragraphs(1000 + i * 37 + rng.randrange(30), size)) for i, size in enumerate(sizes)]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!؟])\s+", text.replace("\n\n", " ")) if s.strip()]


def near_copy(text: str, rng: random.Random) -> str:
    """Spelling variants, tatweel, diacritics, one sentence dropped, an agency dateline."""
    text = text.replace("أ", "ا").replace("ى", "ي").replace("الحكومة", "الحكـــومة").replace("قال", "قَالَ")
    parts = sentences(text)
    parts.pop(rng.randrange(1, len(parts)))
    return "(رويترز) - " + " ".join(parts)


def partial_own_opening(text: str, rng: random.Random) -> str:
    """The agency's own opening in place of the original's first paragraphs."""
    paragraphs = text.split("\n\n")
    opening = sentences(rng.choice(AGENCY_OPENINGS))[: 1 if len(paragraphs) < 8 else 2]
    if len(paragraphs) < 4:  # a body in one or a few blocks: its first sentences are the opening
        kept = sentences(text)
        return "\n\n".join([" ".join(opening), " ".join(kept[max(1, len(kept) // 4) :])])
    return "\n\n".join([" ".join(opening), *paragraphs[max(1, len(paragraphs) // 4) :]])


def partial_first_half(text: str, rng: random.Random) -> str:
    """Only the first half of the article, with a "read the rest at the source" line."""
    paragraphs = text.split("\n\n")
    return "\n\n".join([*paragraphs[: max(3, len(paragraphs) // 2)], rng.choice(READ_MORE)])


def partial_condensed(text: str, rng: random.Random) -> str:
    """A third of the sentences left out, the rest re-flowed into new paragraphs."""
    kept = [s for i, s in enumerate(sentences(text)) if i % 3 != 1]
    size = rng.choice((2, 4))
    return "\n\n".join(" ".join(kept[i : i + size]) for i in range(0, len(kept), size))


COPY_KINDS = {"near": [near_copy], "partial": [partial_own_opening, partial_first_half, partial_condensed]}

# --- template news: the same text every day with other numbers, dates and days -------------------

DAYS = ["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة"]

TEMPLATES = {
    "gold": (
        "سجلت أسعار الذهب في الأسواق المحلية اليوم {day} {d} مايو {y} تغيرات ملحوظة مع بداية التعاملات الصباحية، "
        "حيث بلغ سعر جرام الذهب عيار 21 الأكثر مبيعا نحو {p21} جنيها، فيما سجل عيار 24 نحو {p24} جنيها للجرام. "
        "وبلغ سعر جرام الذهب عيار 18 نحو {p18} جنيها، بينما استقر سعر الجنيه الذهب عند {coin} جنيها. "
        "وقال رئيس شعبة الذهب في الغرفة التجارية إن حركة البيع والشراء ما زالت محدودة في محلات الصاغة، "
        "مشيرا إلى أن المستهلكين يترقبون استقرار الأسعار قبل اتخاذ قرارات الشراء. وأضاف أن سعر الأوقية في "
        "البورصة العالمية سجل {ounce} دولارا، وهو ما ينعكس مباشرة على السوق المحلية خلال ساعات التداول. "
        "ونصح الخبراء المواطنين الراغبين في الادخار بمتابعة الأسعار بشكل يومي وتجنب الشراء في أوقات الذروة، "
        "كما أكدوا أن المصنعية تختلف من محل إلى آخر وتتراوح بين {m1} و{m2} جنيها للجرام الواحد. "
        "وتشهد الأسواق عادة ارتفاعا في الطلب خلال مواسم الأعياد والأفراح، وهو ما يدفع التجار إلى زيادة "
        "المعروض من المشغولات الذهبية الخفيفة التي تناسب مختلف الفئات. ويتوقع المتعاملون أن تواصل الأسعار "
        "تذبذبها خلال الأيام المقبلة تبعا لحركة الدولار وقرارات البنوك المركزية الكبرى."
    ),
    "currency": (
        "استقر سعر صرف الدولار الأمريكي أمام الدينار في البنوك العاملة بالسوق المحلية اليوم {day} {d} مايو {y}، "
        "إذ سجل في البنك المركزي نحو {buy} دينار للشراء و{sell} دينار للبيع. وبلغ سعر اليورو نحو {eur} دينار، "
        "فيما سجل الجنيه الإسترليني {gbp} دينار، والريال السعودي {sar} دينار للشراء. "
        "وقال مسؤول مصرفي إن الطلب على العملات الأجنبية يتركز عادة في بداية الأسبوع مع نشاط المستوردين، "
        "لافتا إلى أن السوق الموازية لم تشهد فروقا كبيرة عن الأسعار الرسمية خلال الفترة الأخيرة. "
        "وأوضح أن احتياطي النقد الأجنبي يساعد على ضبط الأسعار ومنع المضاربات، وأن البنك المركزي يتابع "
        "حركة السوق بشكل يومي لضمان توفر العملة الصعبة للأغراض الضرورية. وكانت الحكومة قد أعلنت في وقت "
        "سابق عن خطة لتشجيع التحويلات المالية من الخارج عبر القنوات الرسمية، بما يدعم الاستقرار النقدي. "
        "ويرى محللون أن استمرار تدفق الاستثمارات الأجنبية وتحسن عائدات السياحة من شأنهما أن يعززا قيمة "
        "العملة المحلية خلال الأشهر المقبلة، رغم الضغوط التي تفرضها فاتورة الواردات المرتفعة."
    ),
    "prayer": (
        "تنشر الصحيفة مواعيد الصلاة لليوم {day} {d} من شهر ذي القعدة {hy} هـ الموافق {d2} مايو {y} م في العاصمة "
        "وعدد من المدن الرئيسية وفقا لتقويم الهيئة العامة للمساحة. ويحين موعد أذان الفجر في الساعة {fajr} "
        "صباحا، والظهر في الساعة {dhuhr} ظهرا، والعصر في الساعة {asr} عصرا، والمغرب في الساعة {maghrib} مساء، "
        "والعشاء في الساعة {isha} مساء. وتختلف المواعيد في المحافظات الأخرى بفارق دقائق معدودة بحسب الموقع "
        "الجغرافي لكل مدينة، حيث تتقدم في المدن الشرقية وتتأخر في المدن الغربية. "
        "وتحرص وزارة الأوقاف على تحديث المواعيد بشكل يومي عبر موقعها الإلكتروني وتطبيقها على الهواتف "
        "الذكية، كما تدعو المواطنين إلى الالتزام بالمواعيد الرسمية المعلنة. ويحرص كثير من المصلين على "
        "التبكير إلى المساجد لأداء صلاة الجماعة والاستماع إلى الدروس الدينية التي تقام بين الصلوات. "
        "وتشهد المساجد في هذه الأيام إقبالا متزايدا مع اعتدال درجات الحرارة وطول ساعات النهار، وتواصل "
        "الوزارة جهودها لتجهيز المساجد وتوفير سبل الراحة للمصلين في مختلف المناطق."
    ),
    "weather": (
        "توقعت هيئة الأرصاد الجوية أن يسود اليوم {day} {d} مايو {y} طقس معتدل في الصباح الباكر مائل للحرارة "
        "نهارا على أغلب الأنحاء، حار على جنوب البلاد، ومعتدل ليلا. وتتراوح درجات الحرارة العظمى في العاصمة "
        "بين {hi1} و{hi2} درجة مئوية، فيما تسجل الصغرى نحو {lo} درجة. وتبلغ نسبة الرطوبة {hum} بالمئة، "
        "وتهب رياح شمالية غربية بسرعة تصل إلى {wind} كيلومترا في الساعة. "
        "وحذرت الهيئة من شبورة مائية صباحا على الطرق السريعة والزراعية، داعية قائدي المركبات إلى توخي "
        "الحذر والقيادة بسرعات مناسبة. كما نبهت إلى نشاط الرياح على بعض المناطق المكشوفة مما قد يؤدي إلى "
        "إثارة الرمال والأتربة وانخفاض مستوى الرؤية الأفقية. وأشارت إلى أن البحر المتوسط سيكون متوسط "
        "الموج، ويبلغ ارتفاع الأمواج ما بين {wave1} و{wave2} متر. "
        "ونصحت الهيئة المواطنين بارتداء الملابس المناسبة وتجنب التعرض المباشر لأشعة الشمس في أوقات الظهيرة، "
        "خاصة كبار السن والأطفال، مع الإكثار من شرب المياه والسوائل طوال اليوم."
    ),
    "exams": (
        "أعلنت وزارة التربية والتعليم اليوم {day} {d} مايو {y} نتائج امتحانات الشهادة الإعدادية في المحافظة "
        "للفصل الدراسي الثاني، حيث بلغت نسبة النجاح العامة {rate} بالمئة مقارنة بالعام الماضي. "
        "وتقدم للامتحانات {total} طالبا وطالبة، نجح منهم {passed} طالبا، فيما بلغ عدد الطلاب الذين لهم حق "
        "الدور الثاني {second} طالبا. وحصل الطالب الأول على المحافظة على {top} درجة من المجموع الكلي. "
        "وقال وكيل الوزارة إن النتيجة متاحة على الموقع الإلكتروني للمديرية برقم الجلوس، كما يمكن الحصول "
        "عليها من المدارس مباشرة اعتبارا من صباح الغد. وأوضح أن لجان التصحيح عملت على مدار الأيام "
        "الماضية وفق ضوابط دقيقة لضمان الشفافية وتكافؤ الفرص بين جميع الطلاب. "
        "وهنأ المحافظ الطلاب الناجحين وأولياء أمورهم، مؤكدا أن المحافظة تولي التعليم أولوية قصوى، وأن "
        "العمل جار على تطوير المدارس وتزويدها بالوسائل التعليمية الحديثة. وأشار إلى أن باب التظلمات "
        "سيفتح لمدة أسبوع للطلاب الذين يرغبون في مراجعة أوراق إجاباتهم."
    ),
}


def template_series(name: str, days: int = 4, seed: int = 3) -> list[str]:
    """``days`` consecutive days of one template, numbers drawn like a real market or forecast."""
    rng = random.Random(seed + len(name))
    out = []
    for i in range(days):
        d = 5 + i
        values = {
            "day": DAYS[(d + 2) % 7],
            "d": d,
            "d2": d,
            "y": 2025,
            "hy": 1446,
            "p21": 3480 + rng.randrange(10, 90),
            "p24": 3960 + rng.randrange(10, 90),
            "p18": 2980 + rng.randrange(10, 90),
            "coin": 27800 + rng.randrange(100, 900),
            "ounce": 2300 + rng.randrange(5, 60),
            "m1": 50 + rng.randrange(5),
            "m2": 90 + rng.randrange(20, 30),
            "buy": f"1.{310 + rng.randrange(9)}",
            "sell": f"1.{320 + rng.randrange(9)}",
            "eur": f"1.{420 + rng.randrange(30)}",
            "gbp": f"1.{650 + rng.randrange(30)}",
            "sar": f"0.{340 + rng.randrange(9)}",
            "fajr": f"3:{20 + i}",
            "dhuhr": f"11:{52 + i % 3}",
            "asr": f"3:{28 + i}",
            "maghrib": f"6:{40 + i}",
            "isha": f"8:{8 + i}",
            "hi1": 28 + rng.randrange(4),
            "hi2": 32 + rng.randrange(4),
            "lo": 17 + rng.randrange(4),
            "hum": 40 + rng.randrange(30),
            "wind": 20 + rng.randrange(20),
            "wave1": f"1.{rng.randrange(5)}",
            "wave2": f"2.{rng.randrange(5)}",
            "rate": f"{80 + rng.randrange(15)}.{rng.randrange(10)}",
            "total": 41000 + rng.randrange(9000),
            "passed": 35000 + rng.randrange(5000),
            "second": 3000 + rng.randrange(2000),
            "top": 279 + rng.randrange(2),
        }
        out.append(TEMPLATES[name].format(**values))
    return out


def labelled_pairs() -> list[tuple[str, str, str, str]]:
    """``(expected, case, stored text, new text)``: expected is ``near``, ``partial`` (link it),
    ``template`` (a series, never a copy) or ``different`` (no link)."""
    rng = random.Random(11)
    bases = base_articles()
    pairs = []
    for base in bases:
        for kind, transforms in COPY_KINDS.items():
            for transform in transforms:
                pairs.append((kind, transform.__name__, base, transform(base, rng)))
    for name in TEMPLATES:
        series = template_series(name)
        for earlier, later in zip(series, series[1:]):
            pairs.append(("template", f"template {name}", earlier, later))
        pairs.append(("template", f"template {name} (3 days apart)", series[0], series[-1]))
    for first, second in SAME_EVENT_PAIRS:
        pairs.append(("different", "same event, other report", first, second))
    for a, b in zip(bases, bases[1:]):
        pairs.append(("different", "different stories", a, b))
    return pairs
