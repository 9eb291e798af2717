"""What identifies the event an article reports: the salient words of its headline and lede
(Arabic-normalised, light-stemmed with Snowball's Arabic stemmer, function words and the words
of every news report dropped), the places it names and its numbers.  Only the headline and the
first paragraphs count: the end of a body is where outlets put background, related stories and
boilerplate.  Terms are 63-bit hashes, the same in every process."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from crawler.stories.places import PLACES
from crawler.text.arabic import ascii_digits, normalize_key, tokens

LEDE_WORDS = 90  # the body words that count, after the headline
MAX_WORDS = 40  # the most salient words kept per article (the index's rows per article)
MIN_WORD = 3  # letters, after stemming
TITLE = 4  # the kind's flag of a term the headline has

# Function words, and the words of every report (said, announced, today...), normalised.
STOPWORDS = frozenset(
    normalize_key(word, fold_ta_marbuta=True)
    for word in """
    في من على علي الى إلى عن مع أن ان إن كان كانت يكون تكون هذا هذه ذلك تلك التي الذي الذين اللذين
    هو هي هم هن نحن أنا انت أنت كما قد لقد لم لن لا ما ماذا متى أين كيف كل بعض غير بين حتى ثم أو او
    أم بل لكن لكنه وقد وكان وفي ومن وعلى وأن وان بعد قبل خلال عند منذ حول ضد دون فوق تحت أمام وراء
    عبر لدى إلا الا أي اي أيضا ايضا فقط جدا حيث بينما وهو وهي فيه فيها منه منها عليه عليها إليه اليه
    له لها لهم به بها بهم وذلك وهذا وهذه الآن اليوم أمس غدا العام عام الماضي المقبل الحالي الجاري
    قال قالت وقال وقالت يقول تقول أعلن أعلنت وأعلن وأعلنت أكد أكدت وأكد وأكدت أضاف أضافت وأضاف وأضافت
    أشار أشارت وأشار وأشارت أوضح أوضحت وأوضح وأوضحت ذكر ذكرت وذكر وذكرت أفاد أفادت بيان تصريح تصريحات
    مصدر مصادر وكالة وكالات الأنباء أنباء تقرير تقارير صحفي صحفية موقع مراسل مراسلنا متابعة متابعات
    يوم الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت صباح مساء ساعة ساعات دقيقة دقائق
    يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر جانفي فيفري
    أفريل ماي جوان جويلية أوت نونبر دجنبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين
    الأول الثاني الثالث أول ثاني نحو حوالي أكثر أقل عدد عدة مختلف إطار اطار بشأن وفق وفقا حسب بحسب
    """.split()  # noqa: SIM905 (a list literal of 200 words would not read)
)
# A paragraph opening with these is a list of other stories the page links to, not this one's.
RELATED = re.compile(
    r"^\s*(?:اقرأ|إقرأ|اقرا)\s+(?:أيضا|أيضاً|ايضا)|^\s*(?:مواضيع|أخبار|اخبار|مقالات|قصص)\s+(?:ذات صلة|متعلقة|مرتبطة)",
    re.M,
)
NUMBER = re.compile(r"\d+(?:[.,٫]\d+)?")
_STEMMER = snowballstemmer.stemmer("arabic")


def term_hash(term: str) -> int:
    """A term as a 63-bit integer, the same in every process and on every machine."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "big") >> 1


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball's Arabic stem of a normalised word (المصرية, مصري → مصر)."""
    return str(_STEMMER.stemWord(word))


def _place_stems() -> dict[tuple[str, ...], str]:
    found: dict[tuple[str, ...], str] = {}
    for place, forms in PLACES.items():
        for form in (place, *forms):
            words = tuple(stem(w) for w in tokens(normalize_key(form, fold_ta_marbuta=True)))
            if words:
                found.setdefault(words, place)
    return found


_PLACE_STEMS = _place_stems()
_LONGEST_PLACE = max(len(words) for words in _PLACE_STEMS)


@dataclass(frozen=True, slots=True)
class EventTerms:
    """The terms of one article, as hashes: ``words`` the salient stems (headline first),
    ``places`` the places named, ``numbers`` the numbers other than years; ``title`` those of
    them that the headline has."""

    words: tuple[int, ...] = ()
    places: tuple[int, ...] = ()
    numbers: tuple[int, ...] = ()
    title: frozenset[int] = frozenset()

    def all(self) -> tuple[int, ...]:
        return self.words + self.places + self.numbers

    def kinds(self) -> list[tuple[int, int]]:
        """``[(term, kind)]``, kind 0 a word, 1 a place, 2 a number, plus TITLE when the headline
        has it: the index's rows."""
        return [
            (t, kind | (TITLE if t in self.title else 0))
            for kind, terms in enumerate((self.words, self.places, self.numbers))
            for t in terms
        ]

    @classmethod
    def from_kinds(cls, rows: list[tuple[int, int]]) -> EventTerms:
        words, places, numbers = (tuple(t for t, k in rows if k & ~TITLE == kind) for kind in (0, 1, 2))
        return cls(words, places, numbers, frozenset(t for t, k in rows if k & TITLE))


def _numbers(text: str) -> list[str]:
    found = []
    for match in NUMBER.finditer(ascii_digits(text)):
        value = match.group().replace(",", ".").replace("٫", ".")
        whole = value.split(".")[0]
        if "." not in value and (len(whole) < 2 or (len(whole) == 4 and whole[:2] in ("19", "20"))):
            continue  # a single digit, or a year: every report has them
        found.append(value.rstrip("0").rstrip(".") if "." in value else value)
    return found


def _terms(text: str) -> tuple[list[str], list[str], list[str]]:
    """(words, places, numbers) of a text, in order."""
    stems = [stem(w) for w in tokens(normalize_key(text, fold_ta_marbuta=True)) if not w.isdigit()]
    places: dict[str, None] = {}
    taken: set[int] = set()
    for start in range(len(stems)):
        for size in range(_LONGEST_PLACE, 0, -1):
            place = _PLACE_STEMS.get(tuple(stems[start : start + size]))
            if place is not None:
                places.setdefault(place)
                taken.update(range(start, start + size))
                break
    words: dict[str, None] = {}
    for position, word in enumerate(stems):
        if position in taken or len(word) < MIN_WORD or word in STOPWORDS or stem(word) in _STOP_STEMS:
            continue
        words.setdefault(word)
    return list(words), list(places), list(dict.fromkeys(_numbers(text)))


def event_terms(title: str | None, text: str) -> EventTerms:
    """The event terms of an article (empty for one without title or text)."""
    related = RELATED.search(text)
    lede = " ".join((text[: related.start()] if related else text).split()[:LEDE_WORDS])
    words, places, numbers = _terms(f"{title or ''}\n{lede}")
    in_title = _terms(title or "")
    hashed = (
        [term_hash(f"w:{w}") for w in words[:MAX_WORDS]],
        [term_hash(f"p:{p}") for p in places],
        [term_hash(f"n:{n}") for n in numbers],
    )
    title_terms = {term_hash(f"{prefix}:{t}") for prefix, terms in zip("wpn", in_title) for t in terms}
    kept = {h for terms in hashed for h in terms}
    return EventTerms(tuple(hashed[0]), tuple(hashed[1]), tuple(hashed[2]), frozenset(title_terms & kept))


_STOP_STEMS = frozenset(stem(word) for word in STOPWORDS)
