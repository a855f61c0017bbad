"""lessonlib.show: one display path, right-to-left HTML in Hebrew, never a Hebrew sentence in plain text."""
import json
import os
import pathlib
import re
import subprocess
import sys
import textwrap

import nbformat
import pytest
import torch

import lessonlib
from lessonlib import History, Result, Stepper, make_line_data, make_model, show, t
from lessonlib.display import html_block, lines, plain_block

ROOT = pathlib.Path(__file__).resolve().parents[1]
HEBREW = re.compile(r"[\u05D0-\u05EA]")


@pytest.fixture(scope="module")
def batch():
    xt, yt, _, _ = make_line_data(0).tensors()
    return xt[:32], yt[:32]


def records(batch, lang):
    lessonlib.set_language(lang)
    model = make_model(seed=0)
    stepper = Stepper(model, torch.optim.SGD(model.parameters(), lr=0.01), *batch)
    return stepper.run_batch()


def history(diverged=False):
    h = History(optimizer="sgd", lr=0.0625, epochs=3, train_loss=[2.5, 1.25, float("nan") if diverged else 0.5],
                val_loss=[3.0, 1.5, float("nan") if diverged else 0.75])
    if diverged:
        h.diverged_at = 3
    return h


def test_show_is_exported_and_lazy():
    assert "show" in lessonlib.__all__ and lessonlib.show is show


def test_hebrew_block_is_rtl_with_inline_styles(language, batch):
    language("he")
    recs = records(batch, "he")
    out = html_block(recs[2])
    assert out.startswith('<div class="lessonlib-show" dir="rtl" lang="he" style="direction: rtl; text-align: right;')
    assert "unicode-bidi: isolate" in out
    assert out.count('<div style="direction: rtl; text-align: right;') == 1     # each line styled inline too
    assert "<style" not in out and "class=\"jp-" not in out                       # nothing relies on page CSS
    assert HEBREW.search(out)
    # the zero_grad message: code isolated left to right
    assert "<bdi dir='ltr'>None</bdi>" in out and "set_to_none=True" in out


def test_english_block_is_ltr(language, batch):
    recs = records(batch, "en")
    out = html_block(recs)
    assert 'dir="ltr"' in out and "text-align: left" in out and 'dir="rtl"' not in out
    assert out.count('<div style="direction: ltr') == 5
    assert "<bdi" not in out


@pytest.mark.parametrize("lang", ["en", "he"])
def test_each_item_type_is_one_line(language, batch, lang):
    recs = records(batch, lang)
    language(lang)
    res = Result(True, t("check.correct", detail="x"), "correct")
    got = lines("a sentence", recs[0], history(), res, [recs[1], recs[2]], ("x", "y"))
    assert got == ["a sentence", recs[0].message, t("display.history", optimizer="sgd", lr=0.0625, epochs=3,
                                                     train=0.5, val=0.75),
                   f"✅ {res.message}", recs[1].message, recs[2].message, "x", "y"]
    assert plain_block(recs) == "\n".join(r.message for r in recs)


def test_history_shows_its_divergence_message(language):
    language("he")
    h = history(diverged=True)
    assert lines(h) == [h.divergence_message()]
    assert "<bdi dir='ltr'>nan</bdi>" in html_block(h)


def test_record_used_out_of_order_is_flagged(language, batch):
    language("he")
    model = make_model(seed=0)
    st = Stepper(model, torch.optim.SGD(model.parameters(), lr=0.01), *batch)
    st.forward()
    st.compute_loss()
    st.zero_grad()
    rec = st.step()                              # step() before backward()
    assert not rec.ok
    assert lines(rec) == [f"⚠️ {rec.message}"]


@pytest.mark.parametrize("lang", ["en", "he"])
def test_unknown_item_gets_a_clear_message_not_a_traceback(language, capsys, lang):
    language(lang)
    assert show(3.5, object()) is None
    out = capsys.readouterr().out
    assert out == "\n".join([t("display.unknown_item", type="float"), t("display.unknown_item", type="object")]) + "\n"
    assert "show()" in out and "Traceback" not in out
    assert bool(HEBREW.search(out)) == (lang == "he")


def test_outside_ipython_show_prints_the_plain_text(language, capsys, batch):
    recs = records(batch, "he")
    assert show(recs[0], "שורה 2") is None
    assert capsys.readouterr().out == f"{recs[0].message}\nשורה 2\n"


def test_repr_html_is_the_same_path(language, batch):
    language("he")
    rec = records(batch, "he")[0]
    h = history()
    res = Result(False, "עוד לא: קיבלתי -3, ציפיתי ל־97.")
    for item in (rec, h, res):
        assert item._repr_html_() == html_block(item)
    assert "<bdi dir='ltr'>-3</bdi>" in res._repr_html_()


def test_html_escapes(language):
    language("he")
    assert "&lt;b&gt;" in html_block("טקסט <b>x</b>") and "<b>" not in html_block("טקסט <b>x</b>")
    language("en")
    assert "&lt;b&gt;" in html_block("<b>x</b>")


def test_in_ipython_show_displays_html_with_a_plain_fallback():
    """In a real IPython shell (fresh interpreter), show() emits one display with both mimetypes."""
    code = textwrap.dedent("""
        import json
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.utils.capture import capture_output
        InteractiveShell.instance()
        import lessonlib
        lessonlib.set_language("he")
        with capture_output() as cap:
            ret = lessonlib.show(["שכבה 0, nn.Linear(1, 16): משקולות בצורה (1, 16)", "שורה 2"])
        print(json.dumps({"ret": repr(ret), "stdout": cap.stdout, "outputs": [o.data for o in cap.outputs]}))
    """)
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["ret"] == "None" and out["stdout"] == ""
    assert len(out["outputs"]) == 1
    data = out["outputs"][0]
    assert set(data) == {"text/html", "text/plain"}
    assert 'dir="rtl"' in data["text/html"] and "text-align: right" in data["text/html"]
    assert "<bdi dir='ltr' style='white-space: nowrap'>nn.Linear(1, 16)</bdi>" in data["text/html"]
    assert "<bdi dir='ltr' style='white-space: nowrap'>(1, 16)</bdi>" in data["text/html"]
    assert data["text/plain"] == "שכבה 0, nn.Linear(1, 16): משקולות בצורה (1, 16)\nשורה 2"


# ---- the lessons: no Hebrew-capable sentence is print()ed -----------------------------------------

PRINTS_A_SENTENCE = re.compile(r"print\(\s*(t\(|[\w.\[\]\"]*\.message\b|[\w.\[\]\"]*divergence_message\(|"
                               r"[\w.\[\]\"]*\.summary\b)")


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*/*.ipynb")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_lesson_prints_a_catalog_sentence(path):
    nb = nbformat.read(path, as_version=4)
    bad = [(i, m.group()) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
           for m in PRINTS_A_SENTENCE.finditer(cell.source)]
    assert not bad, f"{path.parent.name}/{path.name}: print() of a sentence (use show()): {bad}"
