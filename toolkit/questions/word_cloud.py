"""``word_cloud``: one to three short words or phrases each; the room's words as a cloud."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from typing import Literal

from pydantic import Field

from .base import AnswerError, QuestionType, listing
from .choice import n_line
from .parts import QuestionBase
from .typed_text import clean_text

__all__ = ["WordCloudQuestion", "WordCloud", "normal_word", "cloud_svg", "STOP_WORDS"]

# Common Dutch and English function words, left out of a cloud when ``stop_words`` is on.
STOP_WORDS = frozenset(
    """de het een en of van in op te voor met aan bij om als dat die dit is zijn was
    er maar ook niet nog wel we wij je jij ik u ze zij hun ons onze mijn meer veel
    the a an and or of in on to for with at by as that this is are was be it we you""".split()
)
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def normal_word(text: str) -> str:
    """The form words are counted by: NFC, lower case, single spaces, no punctuation at the
    ends.

    Examples
    --------
    >>> normal_word("  Privacy!! "), normal_word("Samen  WERKEN")
    ('privacy', 'samen werken')
    """
    text = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return _EDGE.sub("", text)


class WordCloudQuestion(QuestionBase):
    """One to ``max_words`` short words or phrases per participant, shown as a cloud."""

    type: Literal["word_cloud"]
    max_words: int = Field(default=3, ge=1, le=3)
    max_length: int = Field(default=40, ge=3, le=80)
    stop_words: bool = True
    shared: Literal["never", "moderated"] = "moderated"


def _box_free(box, placed) -> bool:
    x0, y0, x1, y1 = box
    return all(x1 <= a0 or x0 >= a1 or y1 <= b0 or y0 >= b1 for a0, b0, a1, b1 in placed)


def cloud_svg(words: list[tuple[str, int]], *, title: str, large: bool = False) -> str:
    """A word cloud as SVG: bigger words are said more often; placed on a spiral from the
    middle, none overlapping; every word escaped. ``words`` are (word, count), most first.

    Examples
    --------
    >>> svg = cloud_svg([("privacy", 5), ("<tijd>", 2)], title="Woorden")
    >>> "&lt;tijd&gt;" in svg and "privacy" in svg
    True
    """
    from markupsafe import Markup

    from ..charts.svg import GROUP, markup, svg_element

    w, h = 640, 340
    words = words[:60]
    top = max((c for _, c in words), default=1)

    def base(count: int) -> float:
        return 14 + 34 * math.sqrt(count / top)

    # Many words: all sizes shrink together, so that every word has room.
    area = sum(len(word) * base(c) * 0.58 * base(c) * 1.15 for word, c in words) or 1
    scale = min(1.0, math.sqrt(0.42 * w * h / area))
    placed, parts = [], []
    palette = (GROUP, "#1d4e89", "#7a4b00", "#5b3a8a", "#1d2733")
    for rank, (word, count) in enumerate(words):
        size = max(9.0, base(count) * scale)
        bw, bh = len(word) * size * 0.58 + 6, size * 1.15
        for step in range(2000):
            angle = 0.35 * step
            radius = 2.2 * angle
            cx, cy = w / 2 + radius * math.cos(angle) * 1.6, h / 2 + radius * math.sin(angle)
            box = (cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2)
            inside = box[0] >= 2 and box[1] >= 2 and box[2] <= w - 2 and box[3] <= h - 2
            if inside and _box_free(box, placed):
                placed.append(box)
                parts.append(
                    markup(
                        '<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="{:.1f}" '
                        'font-weight="{}" fill="{}" unicode-bidi="isolate">'
                        "<title>{}: {}</title>{}</text>",
                        cx,
                        cy + size * 0.35,
                        size,
                        700 if count == top else 600,
                        palette[rank % len(palette)],
                        word,
                        count,
                        word,
                    )
                )
                break
    alt = title + ": " + ", ".join(f"{word} ({count})" for word, count in words)
    return svg_element(w, h, large, alt, Markup("").join(parts))


class WordCloud(QuestionType):
    name = "word_cloud"
    model = WordCloudQuestion
    template = """
{% macro form(q, own, ui, x) %}
{% set mine = (own or {}).get('words', []) %}
<div class="words">
{% for i in range(q.max_words) %}
  <label class="field-label" for="w{{ i }}-{{ q.id }}">{{ ui.t('w_word', n=i + 1) }}</label>
  <input id="w{{ i }}-{{ q.id }}" name="w" value="{{ mine[i] if i < mine|length else '' }}"
    maxlength="{{ q.max_length }}" autocomplete="off">
{% endfor %}
</div>
{% endmacro %}
"""

    def clean(self, question, value, check):
        words = value.get("words") if isinstance(value, dict) else None
        if not isinstance(words, list) or not words:
            raise AnswerError("error_empty")
        if len(words) > question.max_words:
            raise AnswerError("error_max_items", limit=question.max_words)
        cleaned, seen = [], set()
        for word in words:
            text = clean_text(word, question.max_length)
            key = normal_word(text)
            if not key:
                raise AnswerError("error_empty")
            if key not in seen:
                seen.add(key)
                cleaned.append(text)
        return {"words": cleaned}

    def from_form(self, question, form, check):
        words = [w for w in form.getall("w") if w.strip()]
        return [(question.id, {"words": words} if words else None)]

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        counts, spelling = Counter(), {}
        shown = [
            a
            for a in answers
            if a.item == question.id and view.text_shown(exercise.id, question, a)
        ]
        for answer in shown:
            for word in answer.value.get("words", []):
                key = normal_word(word)
                if question.stop_words and key in STOP_WORDS:
                    continue
                counts[key] += 1
                spelling.setdefault(key, Counter())[word.strip()] += 1
        words = [
            (spelling[key].most_common(1)[0][0], n)
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        authors = {a.participant_id for a in answers if a.item == question.id}
        return {"n": len(authors), "words": words}

    def group_html(self, exercise, question, group, ui):
        if not group["words"]:
            return f"<p>{ui.e(ui.t('p_no_answers'))}</p>"
        return cloud_svg(group["words"], title=question.prompt(ui.lang), large=ui.large) + n_line(
            group["n"], ui
        )

    def own_html(self, exercise, question, own, group, ui):
        words = (own or {}).get("words")
        if not words:
            return ""
        listed = ", ".join(f"<bdi>{ui.e(w)}</bdi>" for w in words)
        return (
            f"<p class='own-line'><span class='own-mark' aria-hidden='true'>◆</span> "
            f"{ui.e(ui.t('w_your_words'))}: {listed}</p>"
        )

    def columns(self, exercise, question, answers, content, lang="nl"):
        """One column per word a participant may give (``max_words``)."""
        from ..i18n import t

        prompt = question.prompt(lang)
        return [
            (f"{question.id}:{i}", t("x_text_n", lang, prompt=prompt, n=i))
            for i in range(1, question.max_words + 1)
        ]

    def cells(self, exercise, question, own, content, lang="nl"):
        words = (own.get(question.id) or {}).get("words", [])
        return {f"{question.id}:{i}": word for i, word in enumerate(words, 1)}

    def headline(self, exercise, question, group, ui):
        if not group["words"]:
            return ui.t("h_none")
        items = [f"{word} ({count})" for word, count in group["words"][:5]]
        return ui.t("h_words", items=listing(items, ui.lang), n=group["n"])

    def kept(self, question, group):
        """The words at least two participants gave (those are the group's); a word only
        one person used is that person's free text and goes."""
        return {"n": group["n"], "words": [[w, c] for w, c in group["words"] if c >= 2]}

    def demo(self, question, rng, content):
        pool = ["privacy", "samenwerken", "tijd", "overzicht", "visie", "veiligheid", "data"]
        return {"words": rng.sample(pool, rng.randint(1, question.max_words))}
