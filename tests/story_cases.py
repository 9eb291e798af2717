"""A labelled set of stories, written for akhbar's tests and bench/stories.py: 48 short articles
from outlets in several regions and styles, 15 events reported 2-4 times each in words of their
own, two syndicated copies, an opinion column, singletons, and the hard negatives: the same kind
of event elsewhere or on another day (two earthquakes a day apart, one club's two matches three
days apart, two countries' inflation figures the same day), and a later development (the verdict
a week after the arrest).  ``event`` is the truth: articles with the same event share a story."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

T0 = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Report:
    event: str
    url: str
    hours: float  # published this long after T0
    title: str
    text: str
    categories: tuple[str, ...] = ()

    @property
    def published_at(self) -> datetime:
        return T0 + timedelta(hours=self.hours)


def _r(event: str, url: str, hours: float, title: str, text: str, categories: tuple[str, ...] = ()) -> Report:
    return Report(event, url, hours, title, text, categories)


REPORTS: list[Report] = [
    # 1. An earthquake in south-eastern Turkey (day 1)
    _r(
        "quake-turkey",
        "https://masry.example.eg/news/2025/3/10/1201",
        1,
        "زلزال بقوة 6.1 درجات يضرب ولاية ملاطية التركية",
        "ضرب زلزال بقوة 6.1 درجات على مقياس ريختر ولاية ملاطية جنوب شرقي تركيا فجر الاثنين، وشعر به سكان "
        "المدن المجاورة. وقالت إدارة الكوارث والطوارئ التركية (آفاد) إن مركز الزلزال كان على عمق عشرة كيلومترات، "
        "وإن فرق الإنقاذ انتشرت في القرى القريبة من المركز. وأعلن وزير الداخلية التركي إصابة 37 شخصا بجروح طفيفة.",
    ),
    _r(
        "quake-turkey",
        "https://khaleej.example.ae/world/turkey-quake-malatya",
        2,
        "هزة أرضية عنيفة في ملاطية.. و37 مصابا",
        "أعلنت هيئة آفاد التركية أن هزة أرضية بلغت قوتها 6.1 درجات هزت ولاية ملاطية في ساعة مبكرة من صباح اليوم، "
        "ما أدى إلى إصابة 37 شخصا وانهيار عدد من المباني القديمة. وأرسلت أنقرة فرق إنقاذ إضافية إلى المنطقة، "
        "فيما قضى كثير من السكان ليلتهم في العراء خشية الهزات الارتدادية.",
    ),
    _r(
        "quake-turkey",
        "https://shaam.example.sy/archives/88412",
        3.5,
        "سكان شمال سوريا يشعرون بزلزال ملاطية",
        "شعر سكان في حلب وإدلب بالزلزال الذي ضرب ولاية ملاطية التركية فجر اليوم بقوة 6.1 درجات، وفق ما أفاد "
        "مراسلون. ولم تسجل أضرار في الجانب السوري، بينما قالت السلطات التركية إن عدد المصابين ارتفع إلى 37 "
        "وإن عمليات المسح الميداني مستمرة في ملاطية.",
    ),
    _r(
        "quake-turkey",
        "https://hespress.example.ma/monde/774120.html",
        6,
        "تركيا: زلزال ملاطية يخلف 37 جريحا وأضرارا مادية",
        "خلف الزلزال الذي بلغت قوته 6.1 درجات وضرب ولاية ملاطية بتركيا، صباح الاثنين، 37 جريحا وأضرارا في "
        "عشرات المنازل، حسب حصيلة رسمية لهيئة آفاد. وأوضحت الهيئة أن أكثر من 40 هزة ارتدادية سجلت بعد الزلزال "
        "الرئيسي.",
    ),
    # 2. An earthquake in south-eastern Iran the next day (the same kind, elsewhere)
    _r(
        "quake-iran",
        "https://masry.example.eg/news/2025/3/11/1330",
        25,
        "زلزال بقوة 5.4 درجات يهز محافظة كرمان الإيرانية",
        "هز زلزال بقوة 5.4 درجات على مقياس ريختر محافظة كرمان جنوب شرقي إيران صباح الثلاثاء، وقال الهلال "
        "الأحمر الإيراني إن فرقه توجهت إلى القرى المتضررة. وأفادت وسائل إعلام إيرانية بإصابة 9 أشخاص وتضرر "
        "منازل ريفية مبنية من الطين.",
    ),
    _r(
        "quake-iran",
        "https://khaleej.example.ae/world/iran-kerman-earthquake",
        26,
        "إيران: 9 مصابين في زلزال كرمان",
        "أصيب 9 أشخاص في زلزال بلغت قوته 5.4 درجات ضرب محافظة كرمان في إيران، حسبما ذكرت وكالة إرنا. "
        "وقال محافظ كرمان إن الأضرار تركزت في قرى قرب مدينة بم، وإن فرق الإغاثة وزعت خياما على العائلات "
        "التي تضررت منازلها.",
    ),
    _r(
        "quake-iran",
        "https://aljazaer.example.dz/international/quake-kerman",
        29,
        "هزة أرضية في كرمان جنوب إيران",
        "سجل مركز رصد الزلازل الإيراني هزة أرضية بقوة 5.4 درجات في محافظة كرمان، وقالت السلطات إن 9 أشخاص "
        "نقلوا إلى المستشفيات. وتقع إيران على عدة صدوع زلزالية نشطة وتشهد هزات متكررة.",
    ),
    # 3. Al Ahly against Zamalek (day 1) and Al Ahly against Pyramids three days later
    _r(
        "ahly-zamalek",
        "https://yallakora.example.eg/match/ahly-zamalek-2025",
        14,
        "الأهلي يفوز على الزمالك 2-1 في قمة الدوري المصري",
        "فاز الأهلي على غريمه الزمالك بهدفين مقابل هدف في قمة الدوري المصري الممتاز على استاد القاهرة الدولي. "
        "سجل وسام أبو علي هدفي الأهلي، بينما أحرز ناصر منسي هدف الزمالك الوحيد. ورفع الأهلي رصيده إلى 45 "
        "نقطة في صدارة الترتيب.",
    ),
    _r(
        "ahly-zamalek",
        "https://kooora.example.qa/news/ahly-beat-zamalek",
        15,
        "وسام أبو علي يقود الأهلي لإسقاط الزمالك في القمة",
        "قاد المهاجم الفلسطيني وسام أبو علي فريقه الأهلي للفوز على الزمالك 2-1 مساء أمس في مباراة القمة، "
        "مسجلا هدفين، فيما قلص ناصر منسي الفارق للزمالك. وعزز الأهلي صدارته للدوري المصري برصيد 45 نقطة.",
    ),
    _r(
        "ahly-zamalek",
        "https://sport.example.sa/football/egypt/ahly-zamalek",
        17,
        "الأهلي يتغلب على الزمالك ويبتعد بالصدارة",
        "تغلب الأهلي على الزمالك بنتيجة 2-1 في قمة الجولة العشرين من الدوري المصري، بثنائية وسام أبو علي، "
        "مقابل هدف لناصر منسي. وبات الأهلي يملك 45 نقطة في صدارة الدوري.",
    ),
    _r(
        "ahly-pyramids",
        "https://yallakora.example.eg/match/ahly-pyramids-2025",
        86,
        "الأهلي يتعادل مع بيراميدز 1-1 في الدوري المصري",
        "تعادل الأهلي مع بيراميدز بهدف لمثله في الجولة الحادية والعشرين من الدوري المصري على استاد السلام. "
        "سجل فيستون ماييلي هدف بيراميدز، وعادل إمام عاشور للأهلي في الدقائق الأخيرة، ليصل الأهلي إلى 46 نقطة.",
    ),
    _r(
        "ahly-pyramids",
        "https://kooora.example.qa/news/ahly-pyramids-draw",
        87,
        "إمام عاشور ينقذ الأهلي من الخسارة أمام بيراميدز",
        "أنقذ إمام عاشور فريقه الأهلي من الخسارة أمام بيراميدز بتسجيله هدف التعادل 1-1، بعد أن تقدم فيستون "
        "ماييلي لبيراميدز في الشوط الأول. ورفع الأهلي رصيده إلى 46 نقطة في صدارة الدوري المصري.",
    ),
    _r(
        "ahly-pyramids",
        "https://sport.example.sa/football/egypt/ahly-pyramids",
        89,
        "تعادل مثير بين الأهلي وبيراميدز",
        "انتهت مباراة الأهلي وبيراميدز بالتعادل 1-1 ضمن الدوري المصري، إذ سجل ماييلي لبيراميدز وعادل "
        "إمام عاشور للأهلي. وبقي الأهلي في الصدارة برصيد 46 نقطة.",
    ),
    # 4. Inflation in Egypt and in Jordan, published the same day
    _r(
        "inflation-egypt",
        "https://masry.example.eg/economy/2025/3/10/inflation",
        4,
        "تراجع التضخم السنوي في مصر إلى 12.8% خلال فبراير",
        "أعلن الجهاز المركزي للتعبئة العامة والإحصاء تراجع معدل التضخم السنوي في المدن المصرية إلى 12.8 بالمئة "
        "في فبراير، مقارنة مع 24 بالمئة في يناير. وأرجع محللون التراجع إلى تأثير سنة الأساس وتباطؤ ارتفاع "
        "أسعار الغذاء.",
    ),
    _r(
        "inflation-egypt",
        "https://asharq.example.sa/economy/egypt-inflation-feb",
        5,
        "التضخم في مصر يهبط إلى 12.8% بأكبر وتيرة منذ سنوات",
        "هبط التضخم السنوي لأسعار المستهلكين في مدن مصر إلى 12.8% في فبراير من 24% في الشهر السابق، بحسب "
        "بيانات الجهاز المركزي للتعبئة العامة والإحصاء. ويتوقع البنك المركزي المصري استمرار تباطؤ الأسعار.",
    ),
    _r(
        "inflation-egypt",
        "https://alkhabar.example.tn/eco/egypte-inflation",
        8,
        "مصر: التضخم ينخفض إلى 12.8 بالمائة",
        "انخفض معدل التضخم السنوي في مصر إلى 12.8 بالمائة خلال شهر فبراير، وفق الجهاز المركزي للتعبئة العامة "
        "والإحصاء، بعد أن سجل 24 بالمائة في يناير. ويعد هذا أدنى مستوى للتضخم في مصر منذ ثلاث سنوات.",
    ),
    _r(
        "inflation-jordan",
        "https://ammon.example.jo/economy/inflation-feb",
        4.5,
        "ارتفاع التضخم في الأردن إلى 2.1% في شباط",
        "أظهرت بيانات دائرة الإحصاءات العامة ارتفاع معدل التضخم في الأردن إلى 2.1 بالمئة في شباط مقارنة "
        "بالشهر نفسه من العام الماضي، مدفوعا بارتفاع أسعار الإيجارات والتبغ. وبلغ الرقم القياسي لأسعار "
        "المستهلك 112.3 نقطة.",
    ),
    _r(
        "inflation-jordan",
        "https://petra.example.jo/ar/node/99120",
        5.5,
        "الإحصاءات: التضخم 2.1 بالمئة خلال شباط",
        "قالت دائرة الإحصاءات العامة الأردنية إن التضخم بلغ 2.1 بالمئة خلال شهر شباط، وإن الرقم القياسي "
        "لأسعار المستهلك سجل 112.3 نقطة. وارتفعت أسعار الإيجارات 3.4 بالمئة والتبغ والسجائر 4 بالمئة.",
    ),
    _r(
        "inflation-jordan",
        "https://asharq.example.sa/economy/jordan-inflation-feb",
        9,
        "التضخم في الأردن يرتفع إلى 2.1%",
        "ارتفع التضخم السنوي في الأردن إلى 2.1 بالمئة في فبراير، بحسب دائرة الإحصاءات العامة، مع صعود أسعار "
        "الإيجارات. وسجل الرقم القياسي لأسعار المستهلك في المملكة 112.3 نقطة.",
    ),
    # 5. A former minister arrested (day 1), and sentenced a week later (a later development)
    _r(
        "arrest",
        "https://shorouk.example.dz/national/arrest-former-minister",
        3,
        "توقيف وزير الأشغال العمومية الأسبق عمار بن يوسف بتهم فساد",
        "أوقفت مصالح الأمن بالجزائر العاصمة وزير الأشغال العمومية الأسبق عمار بن يوسف، للتحقيق معه في قضايا "
        "فساد تتعلق بصفقات طرق سريعة. وأمر قاضي التحقيق بالقطب الجزائي المالي بإيداعه الحبس المؤقت.",
    ),
    _r(
        "arrest",
        "https://elkhabar.example.dz/politique/ben-youcef-detention",
        5,
        "الحبس المؤقت لعمار بن يوسف",
        "أمر قاضي التحقيق لدى القطب الجزائي الاقتصادي والمالي بإيداع وزير الأشغال العمومية الأسبق عمار بن يوسف "
        "الحبس المؤقت، بعد توقيفه في قضية صفقات الطرق السريعة. ويواجه الوزير الأسبق تهما بتبديد أموال عمومية.",
    ),
    _r(
        "arrest",
        "https://alaraby.example.uk/politics/algeria-minister-arrest",
        9,
        "الجزائر: توقيف وزير سابق في قضية صفقات الطرق",
        "أودع الوزير الجزائري الأسبق للأشغال العمومية عمار بن يوسف الحبس المؤقت، في قضية فساد مرتبطة بصفقات "
        "الطرق السريعة، وفق ما أفادت وسائل إعلام محلية. وتعد القضية الأحدث ضمن حملة على الفساد.",
    ),
    _r(
        "verdict",
        "https://shorouk.example.dz/national/ben-youcef-sentenced",
        170,
        "الحكم بسجن الوزير الأسبق عمار بن يوسف 10 سنوات",
        "أصدرت محكمة القطب الجزائي المالي بالجزائر العاصمة حكما بسجن وزير الأشغال العمومية الأسبق عمار بن يوسف "
        "10 سنوات نافذة، وغرامة بقيمة مليون دينار، في قضية صفقات الطرق السريعة.",
    ),
    _r(
        "verdict",
        "https://elkhabar.example.dz/politique/ben-youcef-verdict",
        171,
        "10 سنوات سجنا نافذا لعمار بن يوسف",
        "قضت المحكمة بعشر سنوات سجنا نافذا في حق الوزير الأسبق عمار بن يوسف، مع مصادرة ممتلكاته، بعد إدانته "
        "بتبديد أموال عمومية في صفقات الطرق السريعة. وقرر الدفاع استئناف الحكم الذي صدر بسجنه 10 سنوات.",
    ),
    _r(
        "verdict",
        "https://alaraby.example.uk/politics/algeria-minister-sentenced",
        175,
        "الجزائر: سجن وزير سابق 10 سنوات بتهم فساد",
        "حكم القضاء الجزائري بسجن وزير الأشغال العمومية الأسبق عمار بن يوسف 10 سنوات، بعد أسبوع من إيداعه "
        "الحبس المؤقت في قضية صفقات الطرق السريعة.",
    ),
    # 6. OPEC+ output decision
    _r(
        "opec",
        "https://asharq.example.sa/energy/opec-plus-april",
        10,
        "أوبك+ تقرر زيادة الإنتاج 138 ألف برميل يوميا في أبريل",
        "قرر تحالف أوبك+ المضي في زيادة إنتاج النفط بمقدار 138 ألف برميل يوميا اعتبارا من أبريل، في أول زيادة "
        "منذ 2022، وفق بيان للتحالف بعد اجتماع افتراضي لثماني دول أعضاء بقيادة السعودية وروسيا.",
    ),
    _r(
        "opec",
        "https://alqabas.example.kw/economy/opec-increase",
        11,
        "ثماني دول في أوبك+ ترفع الإنتاج بدءا من أبريل",
        "اتفقت ثماني دول من تحالف أوبك+، بينها السعودية وروسيا والكويت، على زيادة الإنتاج بمقدار 138 ألف "
        "برميل يوميا في أبريل، مع إمكانية إيقاف الزيادة إذا تغيرت ظروف السوق. وتراجعت أسعار برنت عقب القرار.",
    ),
    _r(
        "opec",
        "https://almadapaper.example.iq/economy/opec-plus-decision",
        13,
        "أسعار النفط تتراجع بعد قرار أوبك+ زيادة الإنتاج",
        "تراجعت أسعار خام برنت بعد إعلان تحالف أوبك+ زيادة الإنتاج 138 ألف برميل يوميا في أبريل. وقالت وزارة "
        "النفط العراقية إن حصة العراق من الزيادة ستحدد بالتنسيق مع السعودية وروسيا.",
    ),
    # 7. Floods in Derna, Libya
    _r(
        "derna-floods",
        "https://libyaobserver.example.ly/ar/derna-rain",
        30,
        "أمطار غزيرة تغمر شوارع درنة وتعليق الدراسة",
        "غمرت مياه الأمطار الغزيرة شوارع مدينة درنة شرق ليبيا، وقررت السلطات المحلية تعليق الدراسة يومين. "
        "وقال جهاز الإسعاف إن فرقه أجلت 120 عائلة من الأحياء القريبة من الوادي.",
    ),
    _r(
        "derna-floods",
        "https://alwasat.example.ly/news/libya/451200",
        31,
        "إجلاء 120 عائلة في درنة بسبب السيول",
        "أجلت فرق الإسعاف والطوارئ 120 عائلة من منازل قرب وادي درنة بعد سيول ناجمة عن أمطار غزيرة، وعلقت "
        "الدراسة في المدينة. وتعيد الأمطار إلى الأذهان كارثة انهيار السدين في درنة قبل عامين.",
    ),
    _r(
        "derna-floods",
        "https://alaraby.example.uk/society/libya-derna-floods",
        34,
        "ليبيا: سيول في درنة وإجلاء عائلات",
        "شهدت مدينة درنة الليبية سيولا بعد أمطار غزيرة، ما دفع السلطات إلى إجلاء 120 عائلة وتعليق الدراسة. "
        "ولم تسجل وفيات حتى الآن.",
    ),
    # 8. The Riyadh Metro's orange line opens
    _r(
        "riyadh-metro",
        "https://riyadhdaily.example.sa/local/metro-orange",
        12,
        "افتتاح المسار البرتقالي لقطار الرياض أمام الركاب",
        "بدأ المسار البرتقالي لقطار الرياض استقبال الركاب اليوم، بطول 41 كيلومترا و22 محطة تمتد من غرب العاصمة "
        "إلى شرقها. وقالت الهيئة الملكية لمدينة الرياض إن المسار يكمل تشغيل الشبكة بمساراتها الستة.",
    ),
    _r(
        "riyadh-metro",
        "https://okaz.example.sa/news/riyadh-metro-line",
        13,
        "المسار البرتقالي يكمل شبكة قطار الرياض",
        "اكتمل تشغيل شبكة قطار الرياض بافتتاح المسار البرتقالي الذي يضم 22 محطة على امتداد 41 كيلومترا، "
        "بحسب الهيئة الملكية لمدينة الرياض. ويربط المسار طريق جدة غربا بالطريق الدائري الشرقي.",
    ),
    _r(
        "riyadh-metro",
        "https://albayan.example.ae/world/gulf/riyadh-metro-orange",
        16,
        "السعودية: تشغيل آخر مسارات مترو الرياض",
        "شغلت السعودية المسار البرتقالي، آخر مسارات مترو الرياض الستة، بطول 41 كيلومترا و22 محطة، وفق الهيئة "
        "الملكية لمدينة الرياض.",
    ),
    # 9. Lebanon's central bank keeps the exchange rate
    _r(
        "bdl-rate",
        "https://annahar.example.lb/economy/bdl-89500",
        20,
        "مصرف لبنان يثبت سعر الصرف الرسمي عند 89500 ليرة",
        "أعلن حاكم مصرف لبنان بالإنابة وسيم منصوري تثبيت سعر الصرف الرسمي عند 89500 ليرة للدولار حتى نهاية "
        "العام، مؤكدا أن الاحتياطي بالعملات الأجنبية ارتفع إلى 10.6 مليارات دولار.",
    ),
    _r(
        "bdl-rate",
        "https://almodon.example.lb/economy/mansouri-rate",
        21,
        "منصوري: سعر 89500 ليرة باق والاحتياطي 10.6 مليارات دولار",
        "قال وسيم منصوري، حاكم مصرف لبنان بالإنابة، إن المصرف سيحافظ على سعر 89500 ليرة للدولار، وإن احتياطي "
        "العملات الأجنبية بلغ 10.6 مليارات دولار، رافضا تمويل عجز الدولة.",
    ),
    # 10. Morocco's new stadium (a Maghreb story, Moroccan month names)
    _r(
        "rabat-stadium",
        "https://hespress.example.ma/sport/stade-rabat-1188",
        40,
        "تدشين ملعب الأمير مولاي عبد الله الجديد بالرباط",
        "دشن المغرب ملعب الأمير مولاي عبد الله الجديد بالرباط بسعة 68 ألف متفرج، استعدادا لكأس إفريقيا للأمم، "
        "بعد أشغال استمرت 20 شهرا. وأكدت الجامعة الملكية المغربية لكرة القدم جاهزية الملعب لاحتضان المباريات.",
    ),
    _r(
        "rabat-stadium",
        "https://le360.example.ma/ar/sport/stadium-opening",
        42,
        "ملعب مولاي عبد الله يفتح أبوابه بسعة 68 ألف متفرج",
        "فتح ملعب الأمير مولاي عبد الله بالرباط أبوابه بعد إعادة بنائه خلال 20 شهرا، ليتسع لـ68 ألف متفرج. "
        "ويحتضن الملعب مباريات كأس إفريقيا للأمم المقبلة.",
    ),
    _r(
        "rabat-stadium",
        "https://kooora.example.qa/news/rabat-stadium",
        45,
        "المغرب يدشن ملعبا جديدا في الرباط",
        "أعلنت الجامعة الملكية المغربية لكرة القدم تدشين ملعب الأمير مولاي عبد الله في الرباط بطاقة 68 ألف "
        "متفرج، بعد 20 شهرا من الأشغال، تحضيرا لكأس إفريقيا للأمم.",
    ),
    # 11. Syndicated copies of the Jordan inflation agency report (a copy shares its original's story)
    _r(
        "inflation-jordan",
        "https://alrai.example.jo/article/10288",
        6,
        "الإحصاءات: التضخم 2.1 بالمئة خلال شباط",
        "قالت دائرة الإحصاءات العامة الأردنية إن التضخم بلغ 2.1 بالمئة خلال شهر شباط، وإن الرقم القياسي "
        "لأسعار المستهلك سجل 112.3 نقطة. وارتفعت أسعار الإيجارات 3.4 بالمئة والتبغ والسجائر 4 بالمئة.",
    ),
    _r(
        "quake-turkey",
        "https://sawt.example.jo/world/2025/03/10/turkey-earthquake",
        4,
        "زلزال بقوة 6.1 درجات يضرب ولاية ملاطية التركية",
        "ضرب زلزال بقوة 6.1 درجات على مقياس ريختر ولاية ملاطية جنوب شرقي تركيا فجر الاثنين، وشعر به سكان "
        "المدن المجاورة. وقالت إدارة الكوارث والطوارئ التركية (آفاد) إن مركز الزلزال كان على عمق عشرة كيلومترات، "
        "وإن فرق الإنقاذ انتشرت في القرى القريبة من المركز. وأعلن وزير الداخلية التركي إصابة 37 شخصا بجروح طفيفة.",
    ),
    # 12. An opinion column on the same day as the inflation figures: its own story
    _r(
        "opinion-inflation",
        "https://ammon.example.jo/articles/opinion/15502",
        7,
        "التضخم الحقيقي الذي لا تقيسه الإحصاءات",
        "كتب: سامر الخطيب. تقول دائرة الإحصاءات العامة إن التضخم في الأردن بلغ 2.1 بالمئة في شباط، لكن المواطن "
        "الذي يدفع الإيجار يعرف أن الرقم لا يشبه حياته. فالإيجارات ارتفعت 3.4 بالمئة، والرواتب لم تتحرك منذ سنوات.",
        ("مقالات",),
    ),
    # 13. Singletons
    _r(
        "single-dates",
        "https://alkhaleej.example.ae/local/dates-festival",
        22,
        "انطلاق مهرجان ليوا للرطب بمشاركة 200 مزارع",
        "انطلقت فعاليات مهرجان ليوا للرطب في منطقة الظفرة بمشاركة 200 مزارع، وتتضمن مسابقات لأجود أنواع "
        "الرطب والمانجو وجوائز بقيمة 8 ملايين درهم.",
    ),
    _r(
        "single-book",
        "https://alquds.example.ps/culture/book-fair",
        50,
        "معرض فلسطين الدولي للكتاب يفتتح دورته في رام الله",
        "افتتح معرض فلسطين الدولي للكتاب دورته الجديدة في رام الله بمشاركة 300 دار نشر عربية، ويستمر عشرة "
        "أيام، وتحل تونس ضيف شرف على الدورة.",
    ),
    _r(
        "single-space",
        "https://albayan.example.ae/technology/satellite-launch",
        60,
        "إطلاق القمر الصناعي الإماراتي محمد بن زايد سات",
        "أطلقت الإمارات القمر الصناعي محمد بن زايد سات من قاعدة فاندنبرغ في كاليفورنيا، وهو أكبر قمر صناعي "
        "يطوره مهندسون إماراتيون، لالتقاط صور عالية الدقة للأرض.",
    ),
    # 14. A report whose page prints related-story links after the body
    _r(
        "riyadh-metro",
        "https://sabq.example.sa/saudi/metro-orange-line",
        18,
        "بدء تشغيل المسار البرتقالي في قطار الرياض",
        "بدأ تشغيل المسار البرتقالي في قطار الرياض بطول 41 كيلومترا و22 محطة، بحسب الهيئة الملكية لمدينة "
        "الرياض، ليكتمل تشغيل المسارات الستة.\n\nاقرأ أيضا: زلزال بقوة 6.1 درجات يضرب ولاية ملاطية التركية"
        "\n\nاقرأ أيضا: أوبك+ تقرر زيادة الإنتاج 138 ألف برميل يوميا في أبريل",
    ),
    _r(
        "bdl-rate",
        "https://aljadeed.example.lb/news/economy/bdl",
        23,
        "مصرف لبنان: لا تغيير في سعر الصرف",
        "أكد مصرف لبنان أنه لن يغير سعر الصرف البالغ 89500 ليرة للدولار، وقال الحاكم بالإنابة وسيم منصوري "
        "إن الاحتياطيات تحسنت إلى 10.6 مليارات دولار.",
    ),
]

# Pairs that must never share a story, whatever else is right or wrong.
HARD_NEGATIVES = [
    ("quake-turkey", "quake-iran"),
    ("ahly-zamalek", "ahly-pyramids"),
    ("inflation-egypt", "inflation-jordan"),
    ("arrest", "verdict"),
    ("opinion-inflation", "inflation-jordan"),
    ("riyadh-metro", "quake-turkey"),
    ("riyadh-metro", "opec"),
]


def host(url: str) -> str:
    return url.split("/")[2]


def in_time_order() -> list[Report]:
    return sorted(REPORTS, key=lambda r: r.hours)


def as_items(reports: list[Report]) -> list:
    """The reports as the crawl would make them, each outlet a source named after its host."""
    from tests.item_helpers import item

    return [
        item(
            r.url, r.text, title=r.title, published_at=r.published_at, categories=list(r.categories), source=host(r.url)
        )
        for r in reports
    ]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    b_cubed_f1: float
    hard_negatives_together: list[tuple[str, str]]


def score(reports: list[Report], story_of: dict[str, int | None]) -> Score:
    """Pairwise precision and recall, B-cubed F1, and the hard-negative pairs put in one story."""
    import itertools

    pairs = list(itertools.combinations(reports, 2))
    together = [(a, b) for a, b in pairs if story_of[a.url] is not None and story_of[a.url] == story_of[b.url]]
    right = sum(1 for a, b in together if a.event == b.event)
    true_pairs = sum(1 for a, b in pairs if a.event == b.event)
    precisions, recalls = [], []
    for r in reports:
        cluster = [x for x in reports if story_of[x.url] is not None and story_of[x.url] == story_of[r.url]] or [r]
        event = [x for x in reports if x.event == r.event]
        shared = sum(1 for x in cluster if x.event == r.event)
        precisions.append(shared / len(cluster))
        recalls.append(shared / len(event))
    p, q = sum(precisions) / len(reports), sum(recalls) / len(reports)
    negatives = {frozenset(pair) for pair in HARD_NEGATIVES}
    return Score(
        right / len(together) if together else 1.0,
        right / true_pairs if true_pairs else 1.0,
        2 * p * q / (p + q),
        [(a.event, b.event) for a, b in together if frozenset((a.event, b.event)) in negatives],
    )
