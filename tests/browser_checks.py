"""What the browser test checks on a page, as JavaScript run in the page (Playwright `evaluate`).

THE ORDER RULE (what `JS_TEXT_CHECK` enforces, on every element under the given roots):

  A *block* is an element whose computed display is not `inline`/`contents`; its text is the
  text of its inline descendants (a nested block is its own block; <br> is a line break).
  In every block whose computed direction is rtl and whose text contains a Hebrew letter,
  every left-to-right run must be drawn with its characters left to right on screen, on ONE
  line. A left-to-right run is found like this:
  - a *stretch* is a maximal piece of the text without a Hebrew letter, a line break or a
    right-to-left mark (U+200F, RLE, RLO, RLI);
  - it is cut at sentence separators outside brackets and quotes (", " "; " ": " ". " " — "),
    at spaces between two operands outside brackets ("(seed) 0", "lr=0.01 Adam" are two runs
    each, read like words; an operator keeps a formula together: "b <- b - lr * dL/db"), at
    brackets whose partner is not in the stretch (they belong to the Hebrew sentence) and at
    straight quotes without a partner (gershayim in a Hebrew abbreviation such as עו"ד);
  - each piece is trimmed to start at a letter/digit/`_ ( [ { ' " ±` or at `. - + −` stuck
    to a letter/digit/bracket (a sentence's full stop is not a run's start), and to end at a
    letter/digit/`_ ) ] } ' " %`;
  - a bracket pair (or a pair of straight quotes) around the whole run is not compared: a
    right-to-left paragraph mirrors it, so it looks right either way round.
  So code, calls and attributes (`nn.Linear(1, 16)`, `.grad`, `loss.backward()`), shapes
  (`(16,)`, `(1, 16)`), signed numbers and exponents (`-0.25`, `1e-05`, `nan`), formulas
  (`-lr * grad`, `W3[0, 1]`, `b <- b - lr * dL/db`), Python lists (`['step', 'backward']`), ranges (`02–06`, `1–4`,
  `[-10, 10]`) and `±15` are runs. "Laid out left to right": for every two consecutive
  visible characters of the run (zero-width ones skipped) the later one's box starts right of
  the earlier one's (0.5 px slack) - unless the characters read left to right on screen spell
  the run anyway and it has no brackets (mirrored glyphs) in it ("16 + 16"). "One line": all its character boxes on one line box
  (a run split across lines is a failure - `wrapped`).

Also, in the same roots:
  * `plain_text_hebrew`: a plain-text output (`.jp-RenderedText`, or any <pre>) that contains a
    Hebrew letter: plain text is left-to-right and scrambles a Hebrew sentence.
  * `not_rtl` / `not_right_aligned`: a block that contains Hebrew (and is not code) must have
    direction rtl and be right-aligned (computed text-align right, or start with rtl; center
    only in a <th>/<button>/<summary>); alignment is only judged where it shows, i.e. the
    block is wider than its text.

`JS_CLIPPED` (widgets): an element inside a widget is clipped horizontally when
  * its own content overflows it (scrollWidth > clientWidth + 1) and neither it nor an
    ancestor up to the output is a scroll container (overflow-x auto/scroll), or
  * its box extends past an ancestor (up to the output) that hides overflow (overflow-x
    hidden/clip), or past a scroll container on the side it cannot scroll to (the left of a
    left-to-right one, the right of a right-to-left one), or past its widget's box
    (`.jupyter-widgets`) or the output box while nothing between scrolls.

Both return a list of {kind, text, ...} findings; [] means the page passes.
"""
from __future__ import annotations

JS_TEXT_CHECK = r"""roots => {
  const HEB = /[\u05d0-\u05ea]/;
  const INLINE = new Set(['inline', 'contents']);
  const out = [];
  const seen = new Set();
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const isCode = e => !!e.closest('pre, code, .cm-editor, .jp-InputArea-editor, kbd, samp, script, style, svg, select, option, textarea, input');
  const blockOf = n => {
    let e = n.nodeType === 3 ? n.parentElement : n;
    while (e && INLINE.has(getComputedStyle(e).display)) e = e.parentElement;
    return e;
  };
  const rootEls = [];
  for (const s of roots) for (const e of document.querySelectorAll(s)) if (!rootEls.includes(e)) rootEls.push(e);

  // 1. plain-text outputs with Hebrew
  for (const root of rootEls) {
    const pres = [...root.querySelectorAll('.jp-RenderedText, pre')];
    if (root.matches('.jp-RenderedText, pre')) pres.push(root);
    for (const p of pres) {
      if (p.closest('.jp-RenderedText') !== p && p.tagName === 'PRE' && p.closest('.jp-RenderedText')) continue;
      if (HEB.test(p.textContent) && !seen.has(p)) {
        seen.add(p);
        const line = p.textContent.split('\n').find(l => HEB.test(l)) || '';
        out.push({kind: 'plain_text_hebrew', text: line.trim().slice(0, 100)});
      }
    }
  }

  // 2. blocks: collect their inline text (in document order) with a map back to the text nodes
  const blocks = new Map();
  for (const root of rootEls) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walk.currentNode; n; n = walk.nextNode()) {
      if (n.nodeType === 1 && n.tagName !== 'BR') continue;
      if (n.nodeType === 3 && !n.nodeValue) continue;
      const b = blockOf(n.nodeType === 3 ? n : n.parentElement);
      if (!b || isCode(b)) continue;
      if (n.nodeType === 3 && isCode(n.parentElement)) {
        // inline <code> inside prose is still part of the sentence
        if (n.parentElement.closest('pre, .cm-editor, .jp-InputArea-editor, script, style, svg, select, option, textarea')) continue;
      }
      if (!blocks.has(b)) blocks.set(b, []);
      blocks.get(b).push(n);
    }
  }

  const OPEN = '([{', CLOSE = ')]}';
  const START = /[A-Za-z0-9_.\-+±−(\[{'"]/, END = /[A-Za-z0-9_)\]}'"%]/;
  const charBoxes = (parts, from, to) => {
    const boxes = [];
    for (let k = from; k < to; k++) {
      const [node, off] = parts[k];
      if (node === null) continue;
      if (/\s|[\u200e\u200f\u2066-\u2069\u202a-\u202e]/.test(node.nodeValue[off])) continue;
      const r = document.createRange();
      r.setStart(node, off); r.setEnd(node, off + 1);
      const rects = [...r.getClientRects()].filter(x => x.width > 0);
      if (!rects.length) continue;
      boxes.push({ch: node.nodeValue[off], left: rects[0].left, right: rects[0].right, top: rects[0].top, bottom: rects[0].bottom});
    }
    return boxes;
  };

  for (const [b, nodes] of blocks) {
    if (!visible(b)) continue;
    let text = '';
    const parts = [];          // per character of `text`: [textNode, offset] or [null] for <br>
    for (const n of nodes) {
      if (n.nodeType === 1) { text += '\n'; parts.push([null, 0]); continue; }
      for (let i = 0; i < n.nodeValue.length; i++) parts.push([n, i]);
      text += n.nodeValue;
    }
    if (!HEB.test(text)) continue;
    const st = getComputedStyle(b);
    const sample = text.replace(/\s+/g, ' ').trim().slice(0, 100);

    // alignment: rtl and right-aligned, where it shows
    if (st.direction !== 'rtl') {
      out.push({kind: 'not_rtl', text: sample, tag: b.tagName.toLowerCase(), direction: st.direction});
    } else {
      const ta = st.textAlign;
      const right = ta === 'right' || ta === '-webkit-right' || ta === 'start' || ta === 'justify'
                    || (ta === 'center' && /^(TH|BUTTON|SUMMARY)$/.test(b.tagName));
      if (!right) {
        const r = document.createRange(); r.selectNodeContents(b);
        const tw = r.getBoundingClientRect().width;
        const cw = b.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
        if (tw < cw - 4) out.push({kind: 'not_right_aligned', text: sample, tag: b.tagName.toLowerCase(), textAlign: ta});
      }
    }
    if (st.direction !== 'rtl') continue;

    // the left-to-right runs
    const segRe = /[^\u0590-\u05ff\u200f\u202b\u202e\u2067\n]+/g;   // RLM, RLE, RLO, RLI also end a run
    for (const m of text.matchAll(segRe)) {
      const seg = m[0], base = m.index;
      // cut at top-level separators
      // brackets without their partner inside the segment belong to the Hebrew sentence
      const unmatched = new Set(), stack = [];
      for (let i = 0; i < seg.length; i++) {
        const c = seg[i];
        if (OPEN.includes(c)) stack.push(i);
        else if (CLOSE.includes(c)) {
          if (stack.length && OPEN.indexOf(seg[stack[stack.length - 1]]) === CLOSE.indexOf(c)) stack.pop();
          else unmatched.add(i);
        }
      }
      stack.forEach(i => unmatched.add(i));
      // straight quotes without a partner (a Hebrew abbreviation's gershayim, as in עו"ד) too
      for (const q of ["'", '"']) {
        const at = [...seg].map((c, i) => c === q ? i : -1).filter(i => i >= 0);
        if (at.length % 2) unmatched.add(at[at.length - 1]);
      }
      const pieces = [];
      let depth = 0, quote = null, start = 0;
      for (let i = 0; i < seg.length; i++) {
        const c = seg[i];
        if (unmatched.has(i)) { pieces.push([start, i]); start = i + 1; continue; }
        if (quote) { if (c === quote) quote = null; continue; }
        if ((c === "'" || c === '"') && (i === 0 || !/\w/.test(seg[i - 1]))) { quote = c; continue; }
        if (OPEN.includes(c)) depth++;
        else if (CLOSE.includes(c)) depth = Math.max(0, depth - 1);
        else if (depth === 0 && ((/[,;:.]/.test(c) && (i + 1 === seg.length || seg[i + 1] === ' '))
                                 || (c === '—'))) {
          pieces.push([start, i]); start = i + 1;
        } else if (depth === 0 && c === ' ') {
          // two operands side by side ("(seed) 0", "lr=0.01 Adam", "4 loss.backward()") are two
          // runs: a Hebrew reader reads them right to left like words; an operator between
          // them ("b - lr", "16 + 16") keeps a formula one run
          let l = i - 1, r = i + 1;
          while (r < seg.length && seg[r] === ' ') r++;
          if (l >= 0 && r < seg.length && /[\w)\]}'"%]/.test(seg[l]) && /[\w(\['".]/.test(seg[r])) {
            pieces.push([start, i]); start = r; i = r - 1;
          }
        }
      }
      pieces.push([start, seg.length]);
      for (let [s, e] of pieces) {
        // a sign or dot starts a run only when stuck to what follows ("-0.25", ".grad"), not
        // the full stop of the Hebrew sentence before it
        const startsRun = i => START.test(seg[i]) && (!/[.\-+−]/.test(seg[i]) || /[\w(\[±]/.test(seg[i + 1] || ''));
        while (s < e && !startsRun(s)) s++;
        while (e > s && !END.test(seg[e - 1])) e--;
        // an unmatched leading opener / trailing closer belongs to the sentence, not the run
        const balance = str => { let d = 0; for (const c of str) { if (OPEN.includes(c)) d++; else if (CLOSE.includes(c)) d--; } return d; };
        while (s < e && OPEN.includes(seg[s]) && balance(seg.slice(s, e)) > 0) { s++; while (s < e && !startsRun(s)) s++; }
        while (e > s && CLOSE.includes(seg[e - 1]) && balance(seg.slice(s, e)) < 0) { e--; while (e > s && !END.test(seg[e - 1])) e--; }
        let run = seg.slice(s, e);
        if (run.length < 2) continue;
        // a bracket pair around the whole run is mirrored by the RTL paragraph: check inside it
        let cs = s, ce = e;
        const pair = {'(': ')', '[': ']', '{': '}'};
        for (let inner = run; inner.length >= 2; inner = seg.slice(cs, ce)) {
          if ((pair[inner[0]] === inner[inner.length - 1] && balance(inner.slice(1, -1)) === 0)
              || (/['"]/.test(inner[0]) && inner[0] === inner[inner.length - 1] && !inner.slice(1, -1).includes(inner[0]))) { cs++; ce--; }
          else break;
        }
        const boxes = charBoxes(parts, base + cs, base + ce);
        if (boxes.length < 1) continue;
        const key = b.tagName + '|' + run + '|' + sample;
        const fullBoxes = charBoxes(parts, base + s, base + e);
        const lineH = Math.max(...fullBoxes.map(x => x.bottom - x.top));
        if (fullBoxes.some(x => Math.abs(x.top - fullBoxes[0].top) > lineH / 2)) {
          if (!seen.has('w' + key)) { seen.add('w' + key); out.push({kind: 'wrapped', run, text: sample}); }
          continue;
        }
        if (boxes.length < 2) continue;
        const bad = boxes.findIndex((x, i) => i > 0 && x.left < boxes[i - 1].left - 0.5);
        const drawn = [...boxes].sort((p, q) => p.left - q.left).map(x => x.ch).join('');
        // reversed but the same on screen ("16 + 16"): a reader sees the run as written
        const looksSame = drawn === boxes.map(x => x.ch).join('') && !/[()\[\]{}<>]/.test(drawn);
        if (bad > 0 && !looksSame && !seen.has('o' + key)) {
          seen.add('o' + key);
          out.push({kind: 'order', run, drawn, text: sample});
        }
      }
    }
  }
  return out;
}"""

JS_CLIPPED = r"""roots => {
  const out = [];
  const els = [];
  for (const s of roots) for (const e of document.querySelectorAll(s)) els.push(e);
  const scrolls = st => st.overflowX === 'auto' || st.overflowX === 'scroll';
  const hides = st => st.overflowX === 'hidden' || st.overflowX === 'clip';
  const label = e => {
    const t = (e.innerText || e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    const cls = (typeof e.className === 'string' ? e.className : '').split(' ')
      .filter(c => c.startsWith('lessonlib') || c.startsWith('widget-') || c.startsWith('jupyter-')).slice(0, 3).join('.');
    return `${e.tagName.toLowerCase()}${cls ? '.' + cls : ''} "${t}"`;
  };
  for (const root of els) {
    const seen = new Set(), reported = new Set();
    const all = [root, ...root.querySelectorAll('*')];
    for (const e of all) {
      // report the outermost clipped element only (not each of its rows and cells)
      let inside = false;
      for (let a = e.parentElement; a && !inside; a = a === root ? null : a.parentElement) inside = reported.has(a);
      if (inside) continue;
      const st = getComputedStyle(e);
      if (st.display === 'none' || st.visibility === 'hidden' || st.position === 'fixed') continue;
      if (e.closest('.lm-Menu, .jp-Dialog, option, select')) { if (e.tagName !== 'SELECT') continue; }
      const r = e.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0) continue;
      // its own content overflows it
      const scrolledBy = () => { for (let a = e.parentElement; a && a !== root.parentElement; a = a.parentElement) if (scrolls(getComputedStyle(a))) return true; return false; };
      if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && !scrolls(st) && e.tagName !== 'SELECT' && !scrolledBy()) {
        const k = 'own' + label(e);
        reported.add(e);
        if (!seen.has(k)) { seen.add(k); out.push({kind: 'overflows', el: label(e), scrollWidth: e.scrollWidth, clientWidth: e.clientWidth}); }
      }
      if (e === root) continue;
      // its box past an ancestor's
      for (let a = e.parentElement; a; a = a.parentElement) {
        const ast = getComputedStyle(a), ar = a.getBoundingClientRect();
        const pastL = r.left < ar.left - 1, pastR = r.right > ar.right + 1;
        const isWidget = a === root || a.classList.contains('jupyter-widgets');
        if (scrolls(ast)) {
          const unreachable = (pastL && ast.direction !== 'rtl') || (pastR && ast.direction === 'rtl');
          if (unreachable) {
            reported.add(e);
            const k = 'scroll' + label(e);
            if (!seen.has(k)) { seen.add(k); out.push({kind: 'past_scroll_start', el: label(e), in: label(a), left: Math.round(r.left), right: Math.round(r.right), boxLeft: Math.round(ar.left), boxRight: Math.round(ar.right)}); }
          }
          break;   // reachable by scrolling this container
        }
        if ((pastL || pastR) && (hides(ast) || isWidget)) {
          reported.add(e);
          const k = 'past' + label(e) + label(a);
          if (!seen.has(k)) { seen.add(k); out.push({kind: hides(ast) ? 'cut_by_ancestor' : 'outside_widget', el: label(e), in: label(a), left: Math.round(r.left), right: Math.round(r.right), boxLeft: Math.round(ar.left), boxRight: Math.round(ar.right)}); }
          break;
        }
        if (a === root) break;
      }
    }
  }
  return out;
}"""


# ---- shared by the browser tests ---------------------------------------------------------------
import os as _os  # noqa: E402  (this section's own imports)
import shutil as _shutil  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]


def find_chromium() -> str | None:
    if _os.access("/usr/bin/chromium", _os.X_OK):
        return "/usr/bin/chromium"
    return _shutil.which("chromium")


def skip_or_fail(reason: str):
    import pytest
    if _os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_or_skip() -> str:
    path = find_chromium()
    if path is None:
        skip_or_fail("Chromium not found (/usr/bin/chromium or `chromium` on PATH); "
                     "install it with `apt-get install chromium` to run the browser test")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        skip_or_fail(f"Playwright for Python is not installed ({err}); it is in the dev extras")
    return path
