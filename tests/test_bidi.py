"""lessonlib.bidi: one rule for mixed Hebrew/English text, checked on every output path.

Cases are the ones found in issue 7 (items 1-6). For each, the left-to-right runs a reader must
see in order are listed, and every path is checked:
* runs(): exactly those LTR pieces;
* html(): each run inside <bdi dir='ltr'>, and the Hebrew outside;
* plain(): each run between U+2066 and U+2069; the visual order a full UBA implementation
  (python-bidi's Rust `bidi.get_display`, which knows isolates) gives keeps each run unreversed;
* for_matplotlib(): raw on 3.11; on 3.10 (the visual order is the string after get_display) each
  run appears unreversed, the runs in right-to-left order, and the whole line equals the
  independent UBA order above (brackets aside: the new API does not mirror them).
"""
import html as htmllib
import re

import bidi as pybidi
import pytest
from bidi.algorithm import get_display
from hypothesis import given, strategies as st

from lessonlib import bidi
from lessonlib.bidi import LRI, LRM, PDI, RLM

CASES = {
    # 1. printed messages
    "zero_grad": ("כל \u200e.grad הוא עכשיו None (set_to_none=True, ברירת המחדל של PyTorch). אף פרמטר לא השתנה.",
                  ["\u200e.grad", "None", "set_to_none=True", "PyTorch"]),
    "nan": ("האימון התבדר באפוק 4: ההפסד הפך ל־nan (קצב הלמידה 0.0625 גדול מדי עבור sgd).",
            ["4", "nan", "0.0625", "sgd"]),
    "backward": ("חושבו dL/dW ו־dL/db לכל 6 טנזורי הפרמטרים (נשמרו ב־\u200e.grad). אף פרמטר לא השתנה.",
                 ["dL/dW", "dL/db", "6", "\u200e.grad"]),
    "small_number": ("lr = 1e-05: 100 אפוקים, הפסד האימון האחרון 1.0649e+02",
                     ["lr = 1e-05", "100", "1.0649e+02"]),
    "negative": ("קיבלתי -3, ציפיתי ל־97.", ["-3", "97"]),
    "problem_record": ("⚠️ backward() שוב בלי zero_grad(): הגרדיאנטים החדשים נוספו", ["backward()", "zero_grad()"]),
    # 3. the debugger's caption and the Δ line
    "caption": ("שכבה 0, nn.Linear(1, 16): משקולות בצורה (1, 16), הטיה בצורה (16,), והגרדיאנטים שלהם (.grad)",
                ["0", "nn.Linear(1, 16)", "(1, 16)", "(16,)", "(.grad)"]),
    "delta": ("התאים המודגשים השתנו בלחיצה האחרונה; Δ הוא הערך החדש פחות הערך הישן (ב־SGD: -lr * grad).",
              ["Δ", "SGD", "-lr * grad"]),
    "call": ("הריצו loss.backward() ואז optimizer.zero_grad(set_to_none=True)",
             ["loss.backward()", "optimizer.zero_grad(set_to_none=True)"]),
    # 4. checker messages
    "choice_list": ("קיבלתי 'zzz'; ציפיתי לאחת מהאפשרויות ['forward', 'loss', 'zero_grad', 'backward', 'step'].",
                    ["'zzz'", "['forward', 'loss', 'zero_grad', 'backward', 'step']"]),
    "wrong_choice": ("עוד לא: 'backward' היא לא הבחירה הנכונה. צעדים 1–4 מחשבים דברים",
                     ["'backward'", "1–4"]),
    "sgd_update": ("נכון! w - lr * grad = 0.5 - 0.1 * (-2) = 0.7: גרדיאנט שלילי מזיז את המשקל למעלה.",
                   ["w - lr * grad = 0.5 - 0.1 * (-2) = 0.7"]),
    # 5. other texts
    "plus_minus": ("נקודות שבירה (kinks) בטווח ±15: 3 מתוך 16", ["(kinks)", "±15", "3", "16"]),
    "ranges": ("שיעורים 02–06 וצעדים 1–4 בטווח [-10, 10]", ["02–06", "1–4", "[-10, 10]"]),
    "formula": ("הכתום: w <- w - lr * dL/dw ו־b <- b - lr * dL/db.", ["w <- w - lr * dL/dw", "b <- b - lr * dL/db"]),
    # 6. plot labels
    "weight_label": ("הערך של W3[0, 1]", ["W3[0, 1]"]),
    "loss_label": ("ההפסד כשמשנים את W3[0, 1]", ["W3[0, 1]"]),
    "shape_label": ("משקולות בצורה (16, 1) בשכבה 4", ["(16, 1)", "4"]),
    "updates": ("5 אצוות באפוק × 10 אפוקים = 50 קריאות ל־optimizer.step().", ["5", "10", "50", "optimizer.step()"]),
    "argmin": ("w = 2, b = 1: בדיוק הישר", ["w = 2", "b = 1"]),
    "quotes": ("לחצו על „1. מעבר קדימה” כדי להתחיל", ["1"]),
    "range_label": ("טווח x ±", ["x"]),
    # prose brackets and values
    "sentence_bracket": ("אצווה 1 מתוך 5 (32 דוגמאות)", ["1", "5", "32"]),
    "two_values": ("קצב 0.01, 300 אפוקים", ["0.01", "300"]),
    "value_then_bracket": ("ב־16 (x = 1) וגם", ["16", "(x = 1)"]),
}
IDS = sorted(CASES)

# plots.label / bidi.for_matplotlib on matplotlib >= 3.11, written out: SAME is the text unchanged (the
# library's own bidi draws it right); otherwise the runs it would flip are isolated in U+2066..U+2069
SAME = object()
MPL_311 = {
    'argmin': f'{LRI}w = 2{PDI}, {LRI}b = 1{PDI}: בדיוק הישר',
    'backward': SAME,
    'call': f'הריצו {LRI}loss.backward(){PDI} ואז {LRI}optimizer.zero_grad(set_to_none=True){PDI}',
    'caption': f'שכבה {LRI}0{PDI}, {LRI}nn.Linear(1, 16){PDI}: משקולות בצורה {LRI}(1, 16){PDI}, הטיה בצורה {LRI}(16,){PDI}, והגרדיאנטים שלהם {LRI}(.grad){PDI}',
    'choice_list': f"קיבלתי {LRI}'zzz'{PDI}; ציפיתי לאחת מהאפשרויות {LRI}['forward', 'loss', 'zero_grad', 'backward', 'step']{PDI}.",
    'delta': f'התאים המודגשים השתנו בלחיצה האחרונה; {LRI}Δ{PDI} הוא הערך החדש פחות הערך הישן (ב־{LRI}SGD{PDI}: {LRI}-lr * grad{PDI}).',
    'formula': SAME,
    'loss_label': SAME,
    'nan': SAME,
    'negative': f'קיבלתי {LRI}-3{PDI}, ציפיתי ל־{LRI}97{PDI}.',
    'plus_minus': f'נקודות שבירה {LRI}(kinks){PDI} בטווח {LRI}±15{PDI}: {LRI}3{PDI} מתוך {LRI}16{PDI}',
    'problem_record': f'⚠️ {LRI}backward(){PDI} שוב בלי {LRI}zero_grad(){PDI}: הגרדיאנטים החדשים נוספו',
    'quotes': SAME,
    'range_label': SAME,
    'ranges': f'שיעורים {LRI}02–06{PDI} וצעדים {LRI}1–4{PDI} בטווח {LRI}[-10, 10]{PDI}',
    'sentence_bracket': SAME,
    'sgd_update': SAME,
    'shape_label': f'משקולות בצורה {LRI}(16, 1){PDI} בשכבה {LRI}4{PDI}',
    'small_number': f'{LRI}lr = 1e-05{PDI}: {LRI}100{PDI} אפוקים, הפסד האימון האחרון {LRI}1.0649e+02{PDI}',
    'two_values': SAME,
    'updates': f'{LRI}5{PDI} אצוות באפוק × {LRI}10{PDI} אפוקים = {LRI}50{PDI} קריאות ל־{LRI}optimizer.step(){PDI}.',
    'value_then_bracket': f'ב־{LRI}16{PDI} {LRI}(x = 1){PDI} וגם',
    'weight_label': SAME,
    'wrong_choice': f"עוד לא: {LRI}'backward'{PDI} היא לא הבחירה הנכונה. צעדים {LRI}1–4{PDI} מחשבים דברים",
    'zero_grad': SAME,
}
# ... and on matplotlib 3.10, which draws characters as stored: the visual order, left to right, written out
# (Hebrew words reversed, LTR runs kept, the sentence's brackets mirrored, runs in right-to-left order)
MPL_310 = {
    'argmin': 'רשיה קוידב :b = 1 ,w = 2',
    'backward': '.הנתשה אל רטמרפ ףא .(.grad־ב ורמשנ) םירטמרפה ירוזנט 6 לכל dL/db־ו dL/dW ובשוח',
    'call': 'optimizer.zero_grad(set_to_none=True) זאו loss.backward() וצירה',
    'caption': '(.grad) םהלש םיטנאידרגהו ,(16,) הרוצב היטה ,(1, 16) הרוצב תולוקשמ :nn.Linear(1, 16) ,0 הבכש',
    'choice_list': ".['forward', 'loss', 'zero_grad', 'backward', 'step'] תויורשפאהמ תחאל יתיפיצ ;'zzz' יתלביק",
    'delta': '.(-lr * grad :SGD־ב) ןשיה ךרעה תוחפ שדחה ךרעה אוה Δ ;הנורחאה הציחלב ונתשה םישגדומה םיאתה',
    'formula': '.b <- b - lr * dL/db־ו w <- w - lr * dL/dw :םותכה',
    'loss_label': 'W3[0, 1] תא םינשמשכ דספהה',
    'nan': '.(sgd רובע ידמ לודג 0.0625 הדימלה בצק) nan־ל ךפה דספהה :4 קופאב רדבתה ןומיאה',
    'negative': '.97־ל יתיפיצ ,-3 יתלביק',
    'plus_minus': '16 ךותמ 3 :±15 חווטב (kinks) הריבש תודוקנ',
    'problem_record': 'ופסונ םישדחה םיטנאידרגה :zero_grad() ילב בוש backward() ️⚠',
    'quotes': 'ליחתהל ידכ ”המידק רבעמ .1„ לע וצחל',
    'range_label': '± x חווט',
    'ranges': '[-10, 10] חווטב 1–4 םידעצו 02–06 םירועיש',
    'sentence_bracket': '(תואמגוד 32) 5 ךותמ 1 הווצא',
    'sgd_update': '.הלעמל לקשמה תא זיזמ ילילש טנאידרג :w - lr * grad = 0.5 - 0.1 * (-2) = 0.7 !ןוכנ',
    'shape_label': '4 הבכשב (16, 1) הרוצב תולוקשמ',
    'small_number': '1.0649e+02 ןורחאה ןומיאה דספה ,םיקופא 100 :lr = 1e-05',
    'two_values': 'םיקופא 300 ,0.01 בצק',
    'updates': '.optimizer.step()־ל תואירק 50 = םיקופא 10 × קופאב תווצא 5',
    'value_then_bracket': 'םגו (x = 1) 16־ב',
    'weight_label': 'W3[0, 1] לש ךרעה',
    'wrong_choice': "םירבד םיבשחמ 1–4 םידעצ .הנוכנה הריחבה אל איה 'backward' :אל דוע",
    'zero_grad': '.הנתשה אל רטמרפ ףא .(PyTorch לש לדחמה תרירב ,set_to_none=True) None וישכע אוה .grad לכ',
}
HEBREW_WORD = re.compile(r"[\u05D0-\u05EA\u05BE]+")
BRACKETS = str.maketrans("()[]{}", "||||||")


def ltr_runs(text):
    return [piece for ltr, piece in bidi.runs(text) if ltr]


def isolated(text, runs_):
    """The text with each listed run (found left to right) between U+2066 and U+2069: built here from the
    case's own list, not by bidi.plain."""
    out, pos = [], 0
    for run in runs_:
        at = text.index(run, pos)
        out += [text[pos:at], LRI, run, PDI]
        pos = at + len(run)
    return "".join(out) + text[pos:]


def uba_visual(text, runs_=None):
    """Visual order by a full UBA with isolates (python-bidi's Rust API), marks removed; the runs isolated
    are the case's listed ones (default: the CASES entry of `text`).

    A line with Hebrew is a right-to-left line (the isolated runs hide a leading Latin letter).
    """
    if runs_ is None:
        runs_ = next(r for t_, r in CASES.values() if t_ == text)
    return pybidi.get_display(isolated(text, runs_), base_dir="R").replace(LRI, "").replace(PDI, "").replace(LRM, "")


def in_right_to_left_order(visual, runs_):
    """Each run appears unreversed; in a right-to-left line the first run is the rightmost."""
    pos = len(visual)
    for run in runs_:
        run = run.replace(LRM, "")
        at = visual.rfind(run, 0, pos)
        assert at >= 0, f"{run!r} not found unreversed (left of the previous run) in {visual!r}"
        pos = at


def drawn(label_text):
    """What the installed matplotlib draws, left to right: its own text layout, each glyph read
    back as the character whose shape it has (a mirrored "(" reads ")"), invisible marks dropped."""
    from matplotlib import _text_helpers, font_manager
    from matplotlib.ft2font import FT2Font
    font = FT2Font(font_manager.findfont("DejaVu Sans"))
    font.set_size(12, 72)
    shape = {font.get_char_index(ord(c)): c for c in "()[]{}"}
    out = []
    for item in sorted(_text_helpers.layout(label_text, font), key=lambda it: it.x):
        glyph = getattr(item, "glyph_index", getattr(item, "glyph_idx", None))
        out.append(shape.get(glyph, item.char) if item.char in "()[]{}" else item.char)
    return re.sub(f"[{LRI}{PDI}{LRM}{RLM}\u2067\u2068]", "", "".join(out))


@pytest.mark.parametrize("name", IDS)
def test_runs(name):
    text, expected = CASES[name]
    assert ltr_runs(text) == expected


@pytest.mark.parametrize("name", IDS)
def test_html(name):
    text, expected = CASES[name]
    out = bidi.html(text)
    isolated = [htmllib.unescape(m) for m in re.findall(r"<bdi dir='ltr'(?: style='white-space: nowrap')?>(.*?)</bdi>", out)]
    assert isolated == expected
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", out)) == text       # nothing lost, nothing added
    outside = re.sub(r"<bdi.*?</bdi>", "", out)
    assert not re.search(r"[A-Za-z0-9]", htmllib.unescape(outside)), f"code left outside an isolate: {out}"


# The rule's edges, one case per clause that a wrong split would break (found by mutation testing:
# docs/mutation.md, text). Literal runs, read off the module docstring's rule.
EDGE_CASES = {
    # ", " splits two values outside brackets; a letter that is not a quote pairs with nothing
    "capital_x_values": ("בחרו Xa, Xb או", ["Xa", "Xb"]),
    # a comma with no space after it (here right before the end) does not split
    "comma_without_space": ("ערך a,b", ["a,b"]),
    # "·" at the end of a stretch splits off (it is not prose punctuation that peeling would catch)
    "middle_dot_at_the_end": ("המשקל x·ואז", ["x"]),
    "letter_inside": ("ערך aXb כאן", ["aXb"]),
    "letter_at_the_end": ("ערך aX כאן", ["aX"]),
    # a dash with spaces belongs to the sentence
    "spaced_dash": ("ערך a — b כאן", ["a", "b"]),
    # a bracket after a value and a space opens a piece of its own, closed by its partner
    "bracket_piece_then_value": ("ערך 16 (x = 1), 17 כאן", ["16", "(x = 1)", "17"]),
    # a quoted string is one level: after it, ", " splits again; inside it, it does not
    "two_quoted_values": ("בחרו 'sgd', 'adam' או", ["'sgd'", "'adam'"]),
    "quote_inside_bracket_piece": ("ערך 16 ('a, b') כאן", ["16", "('a, b')"]),
    # a list written without spaces keeps its "..." (code), not peeled as a full stop
    "list_with_ellipsis": ("הסדרה 1,2,... נמשכת", ["1,2,..."]),
    # a quote without its partner is the sentence's
    "unpaired_quote": ("כתבו 'abc ואז", ["abc"]),
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_runs_at_the_edges_of_the_rule(name):
    text, expected = EDGE_CASES[name]
    assert ltr_runs(text) == expected
    assert "".join(piece for _, piece in bidi.runs(text)) == text


def test_html_keeps_an_expression_on_one_line():
    """A run a browser could wrap ("(1, 16)", "b <- b - lr * dL/db") must not wrap (issue 7 item 5)."""
    out = bidi.html("הכתום: b <- b - lr * dL/db, בצורה (1, 16) עם nn.Linear ו־1e-05")
    assert "<bdi dir='ltr' style='white-space: nowrap'>b &lt;- b - lr * dL/db</bdi>" in out
    assert "<bdi dir='ltr' style='white-space: nowrap'>(1, 16)</bdi>" in out
    assert "<bdi dir='ltr'>nn.Linear</bdi>" in out
    assert "<bdi dir='ltr' style='white-space: nowrap'>1e-05</bdi>" in out
    long_formula = "dL/dy_hat = 2 * (y_hat - y) = 2 * (24.7511 - 25.0000) = -0.4978"
    assert len(long_formula) > bidi.NOWRAP_MAX
    assert f"<bdi dir='ltr'>{long_formula}</bdi>" in bidi.html(f"{long_formula} (אצווה של דוגמה אחת)")


@pytest.mark.parametrize("name", IDS)
def test_plain(name):
    text, expected = CASES[name]
    out = bidi.plain(text)
    assert re.findall(f"{LRI}(.*?){PDI}", out) == expected
    assert out.replace(LRI, "").replace(PDI, "") == text
    in_right_to_left_order(uba_visual(text), expected)


@pytest.mark.parametrize("name", IDS)
@pytest.mark.parametrize("version", ["3.11.0", "3.11.2", "3.12.1"])
def test_matplotlib_3_11_raw_only_where_it_is_drawn_right(name, version):
    """matplotlib >= 3.11 runs the bidi algorithm itself: raw text where that gives the isolated
    order, else the text with isolates (e.g. "(16, 1)" and "-3" flip when raw)."""
    text, _ = CASES[name]
    out = bidi.for_matplotlib(text, version)
    assert out == (text if MPL_311[name] is SAME else MPL_311[name])
    assert uba_visual(text) == pybidi.get_display(out).replace(LRI, "").replace(PDI, "").replace(LRM, "")


def test_matplotlib_3_11_keeps_raw_text_that_needs_nothing():
    for text in ("הפסד אימון", "הערך של W3[0, 1]", "הנתונים של השיעור: y = 2x + 1", "קצב 1e-05"):
        assert bidi.for_matplotlib(text, "3.11.2") == text
    assert bidi.for_matplotlib("משקולות בצורה (16, 1)", "3.11.2") == f"משקולות בצורה {LRI}(16, 1){PDI}"
    assert bidi.for_matplotlib("lr = 0.01 (מתאים)", "3.11.2") == f"{LRI}lr = 0.01{PDI} (מתאים)"


@pytest.mark.parametrize("name", IDS)
def test_installed_matplotlib_draws_every_run_in_order(name):
    """The installed matplotlib's own layout of plots.label(text): runs unreversed, right to left,
    Hebrew words reversed (3.11 lays out with libraqm; 3.10 draws characters as stored)."""
    from lessonlib.plots import label
    text, expected = CASES[name]
    shown = drawn(label(text))
    in_right_to_left_order(shown, expected)
    for word in HEBREW_WORD.findall(text):
        assert word[::-1] in shown, f"Hebrew word {word!r} not drawn right to left in {shown!r}"


@pytest.mark.parametrize("name", IDS)
@pytest.mark.parametrize("version", ["3.10.0", "3.10.7", "3.9.2"])
def test_matplotlib_3_10_visual_order(name, version):
    """On 3.10 matplotlib draws the string as it is, left to right: the string IS the display."""
    text, expected = CASES[name]
    visual = bidi.for_matplotlib(text, version)
    assert visual == MPL_310[name]
    assert LRM not in visual and RLM not in visual and LRI not in visual
    in_right_to_left_order(visual, expected)
    for word in HEBREW_WORD.findall(text):
        assert word[::-1] in visual, f"Hebrew word {word!r} not reversed in {visual!r}"
    assert visual.translate(BRACKETS) == uba_visual(text).translate(BRACKETS)


def test_matplotlib_3_10_issue_labels_exactly():
    assert bidi.for_matplotlib("הערך של W3[0, 1]", "3.10.0") == "W3[0, 1] לש ךרעה"
    assert bidi.for_matplotlib("ההפסד כשמשנים את W3[0, 1]", "3.10.0") == "W3[0, 1] תא םינשמשכ דספהה"
    assert bidi.for_matplotlib("משקולות בצורה (16, 1)", "3.10.0") == "(16, 1) הרוצב תולוקשמ"
    # the bare legacy algorithm breaks them: what the issue saw
    assert get_display("הערך של W3[0, 1]") != "W3[0, 1] לש ךרעה"
    assert get_display("משקולות בצורה (16, 1)") != "(16, 1) הרוצב תולוקשמ"
    # a bracket of the sentence is mirrored as Hebrew needs
    assert bidi.for_matplotlib("אצווה 1 (32 דוגמאות)", "3.10.0") == "(תואמגוד 32) 1 הווצא"


def test_matplotlib_never_passes_an_isolate_to_the_legacy_algorithm():
    text = "ערך " + LRI + "x" + PDI      # even if a caller's text has one, no assertion error
    out = bidi.for_matplotlib(text, "3.10.0")
    assert "x" in out


def test_text_without_hebrew_is_left_alone():
    for text in ("training loss", "(2, 1) x", "W3[0, 1]", "-lr * grad", ""):
        assert bidi.html(text) == htmllib.escape(text)
        assert bidi.plain(text) == text
        assert bidi.for_matplotlib(text, "3.10.0") == text
        assert bidi.for_matplotlib(text, "3.11.0") == text
    assert bidi.runs("") == []
    assert bidi.runs("x = 1") == [(True, "x = 1")]


def test_html_escapes():
    assert bidi.html("ערך <b> & x < 1") == "ערך <bdi dir='ltr' style='white-space: nowrap'>&lt;b&gt; &amp; x &lt; 1</bdi>"
    assert bidi.html("ערך <> ו־&") == "ערך &lt;&gt; ו־&amp;"


def test_prose_punctuation_stays_hebrew():
    assert bidi.runs("שכבה 0, nn.Linear(1, 16): משקולות") == [
        (False, "שכבה "), (True, "0"), (False, ", "), (True, "nn.Linear(1, 16)"), (False, ": משקולות")]
    assert bidi.runs("נכון! x. ואז") == [(False, "נכון! "), (True, "x"), (False, ". ואז")]
    assert bidi.runs("שלב — x") == [(False, "שלב — "), (True, "x")]


hebrew = st.text(alphabet="אבגדהוזחטיכלמנסעפצקרשת ־", min_size=1, max_size=6)
other = st.text(alphabet="abcXYZ0123456789 .,;:!?()[]{}'\"-–—±*/<=_\u200e", max_size=12)


@given(st.lists(st.one_of(hebrew, other), max_size=10))
def test_runs_concatenate_back_to_the_input(parts):
    text = "".join(parts)
    pieces = bidi.runs(text)
    assert "".join(piece for _, piece in pieces) == text
    assert all(piece for _, piece in pieces)
    for ltr, piece in pieces:
        if ltr and bidi.has_hebrew(text):
            assert not bidi.has_hebrew(piece)
            assert piece == piece.strip()
    # and every path keeps the text
    assert bidi.plain(text).replace(LRI, "").replace(PDI, "") == text
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", bidi.html(text))) == text
    bidi.for_matplotlib(text, "3.10.0")     # never raises (no isolate reaches the legacy algorithm)


# ---- the real messages of issue 7 (catalog + checkers), through the display path ------------------

def isolated_runs(html_text):
    return [htmllib.unescape(m) for m in re.findall(r"<bdi dir='ltr'[^>]*>(.*?)</bdi>", html_text)]


def test_real_checker_messages_in_hebrew(language):
    from lessonlib import exercises
    language("he")
    for key, options in (("08.symptom", "['forward', 'loss', 'zero_grad', 'backward', 'step']"),
                         ("01.predict_float64", "['float32', 'float64', 'error']")):
        assert options in isolated_runs(exercises.check(key, "nothing")._repr_html_())      # the list, in order
        assert "'float64'" in isolated_runs(exercises.check("01.predict_float64", "float64")._repr_html_())
        assert "'backward'" in isolated_runs(exercises.check("08.symptom", "backward")._repr_html_())
        assert options in isolated_runs(exercises.check(key, 3)._repr_html_())
    ok = exercises.check("06.sgd_update", 0.7)
    assert ok.ok and "w - lr * grad = 0.5 - 0.1 * (-2) = 0.7" in isolated_runs(ok._repr_html_())


def test_real_widget_texts_in_hebrew(language):
    """The debugger's caption and Δ note, the landscape's formulas, the explorer's ±: as widgets show them."""
    from lessonlib.text import prose_html, t
    language("he")
    caption = t("widgets.dbg.table_caption", layer=0, shape="nn.Linear(1, 16)", wshape="(1, 16)", bshape="(16,)")
    assert isolated_runs(prose_html(caption)) == ["0", "nn.Linear(1, 16)", "(1, 16)", "(16,)", "(\u200e.grad)"]
    assert isolated_runs(prose_html(t("widgets.dbg.table_legend"))) == ["Δ", "SGD", "-lr * grad"]
    land = prose_html(t("widgets.land.explain"))
    assert isolated_runs(land) == ["w <- w - lr * dL/dw", "b <- b - lr * dL/db"]
    assert "<bdi dir='ltr' style='white-space: nowrap'>b &lt;- b - lr * dL/db</bdi>" in land     # never wraps
    kinks = t("widgets.learned.kinks", r=15, n1=3, total1=16, n2=5, total2=16)
    assert isolated_runs(prose_html(kinks))[:2] == ["(kinks)", "±15"]


def test_no_right_to_left_mark_inside_a_left_to_right_run(language):
    """A U+200F (RLM) that ends up inside an isolated LTR run mirrors its brackets: "(16, 1)" reads "(1 ,16)".

    Every Hebrew catalog entry, with its placeholders filled, as lessonlib.show draws it.
    """
    from lessonlib.catalog import MESSAGES
    from lessonlib.text import placeholders, prose_html
    language("he")
    bad = []
    for key, entry in MESSAGES.items():
        names = placeholders(entry["he"])
        try:
            text = entry["he"].format(**{n: "X" for n in names}) if names else entry["he"]
        except (ValueError, KeyError, IndexError):     # a numeric format spec: fill with numbers
            text = entry["he"].format(**{n: 1 for n in names})
        bad += [(key, run) for run in isolated_runs(prose_html(text)) if "\u200f" in run]
    assert not bad, bad
