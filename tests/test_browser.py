"""The real-browser test: what only a browser shows.

Real JupyterLab (this repo's .venv) on 127.0.0.1 with a random token, Debian's Chromium driven
by Playwright (sync API). One browser session opens the Hebrew lesson LESSON and runs it; then

* test_hebrew_prose_and_code_direction: Hebrew prose is right-to-left and right-aligned, code
  left-to-right, and code/numbers inside Hebrew are drawn in the right order;
* test_step_debugger_five_steps: clicks the training-step debugger's five buttons in the
  lesson's order and checks after each click what the widget shows (weights, gradients, loss,
  the highlighted cells, the Hebrew explanation);
* test_step_debugger_controls_read_right_to_left: every Hebrew label of the debugger (buttons,
  toggles, dropdown) is laid out right-to-left.

Screenshots go to artifacts/browser/. Skips (with the reason) where Chromium or Playwright is
missing, unless REQUIRE_BROWSER=1 (CI), where it fails. Never downloads a browser. The lesson
is opened read-only: autosave is off, and the session checks the file on disk is unchanged.

    OMP_NUM_THREADS=1 .venv/bin/python -m pytest -o addopts="" -p no:cacheprovider tests/test_browser.py -v
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import pathlib
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request

import pytest

from tests.procs import stop_group

pytestmark = pytest.mark.browser

LESSON = "he/04_zero_grad.ipynb"          # relative to notebooks/
REPO = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "artifacts" / "browser"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
VIEWPORT = {"width": 1500, "height": 1800}   # tall enough for the whole debugger in one screenshot
STEPS = ("forward", "loss", "zero_grad", "backward", "step")   # the lesson's order
OTHER_BUTTONS = ("next", "batch", "epoch", "reset")
BUDGET_S = 150                             # the whole module, server start to teardown (+ <= 20 s to stop it)
HEBREW = re.compile(r"[\u05d0-\u05ea]")
CELL_NAME = re.compile(r"^(?P<param>[\w.]+?)(?P<grad>\.grad)?(?P<idx>\[\d+(?:,\d+)*\])$")
PROSE = '.jp-MarkdownCell .jp-RenderedMarkdown div[dir="rtl"]'
ACTIVE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# JupyterLab user settings for the test's private settings dir: never write the lesson
# (autosave off), no news/update pop-ups (no network, nothing covering the page).
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


# ---- helpers ---------------------------------------------------------------------------------
class Deadline:
    """One time budget for the module; every wait takes min(its own cap, what is left)."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.5, self.end - time.monotonic())

    def ms(self, cap_s: float) -> float:
        return 1000 * min(cap_s, self.left())


def find_chromium() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def skip_or_fail(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    with opener.open(url, timeout=timeout) as r:
        return r.status, r.read().decode()


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid` (the server's kernels run in their own sessions)."""
    children: dict[int, list[int]] = {}
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- what the page shows (JavaScript run in the page) ---------------------------------------
JS_LAYOUT = """() => {
  const style = e => { const s = getComputedStyle(e); return {direction: s.direction, textAlign: s.textAlign}; };
  const prose = [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown div[dir="rtl"] p')]
    .filter(p => /[\\u05d0-\\u05ea]/.test(p.textContent))
    .map(p => ({text: p.textContent.trim().slice(0, 60), ...style(p)}));
  const code = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-editor .cm-content')]
    .map(e => ({text: e.textContent.slice(0, 40), ...style(e)}));
  const lines = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-editor .cm-line')]
    .map(e => style(e).direction);
  const cssInOutputs = [...document.querySelectorAll('.jp-OutputArea-output style')]
    .some(s => s.textContent.includes('[dir="rtl"]'));
  return {prose, code, lines, cssInOutputs};
}"""

JS_STATE = """() => {
  const one = sel => document.querySelector(sel);
  const cells = {};
  document.querySelectorAll('.lessonlib-param-table td[data-name]').forEach(td => {
    cells[td.dataset.name] = {value: td.dataset.value, changed: td.classList.contains('changed'),
                              text: td.textContent.trim()};
  });
  const loss = one('.lessonlib-loss'), lossValue = one('.lessonlib-loss .lessonlib-loss-value');
  const msg = one('.lessonlib-message'), status = one('.lessonlib-status');
  let msgDirection = null;
  if (msg) {   // the direction the reader sees: the element that holds the first Hebrew text
    const walk = document.createTreeWalker(msg, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (/[\\u05d0-\\u05ea]/.test(n.nodeValue)) { msgDirection = getComputedStyle(n.parentElement).direction; break; }
    }
  }
  return {
    cells,
    lossText: loss ? loss.innerText.trim() : null,
    lossValue: lossValue ? lossValue.dataset.value : null,
    lossValueText: lossValue ? lossValue.innerText.trim() : null,
    message: msg ? msg.innerText.trim() : null,
    msgDirection,
    status: status ? status.innerText.trim() : null,
  };
}"""

# Before Run All: mark the outputs on the page (committed ones) and watch for the run to start.
JS_WATCH_RUN = """panelSel => {
  const panel = document.querySelector(panelSel);
  panel.querySelectorAll('.jp-OutputArea-output').forEach(e => e.setAttribute('data-test-stale', '1'));
  window.__testRunStarted = false;
  const look = () => {
    const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
    if ((ind && ind.dataset.status !== 'idle')
        || [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].some(e => e.textContent.includes('*')))
      window.__testRunStarted = true;
  };
  new MutationObserver(look).observe(panel, {subtree: true, childList: true, characterData: true,
                                             attributes: true, attributeFilter: ['data-status']});
}"""

# The run is over: it started, the kernel is idle again and no cell waits ("[*]").
JS_RUN_OVER = """panelSel => {
  const panel = document.querySelector(panelSel);
  const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const waiting = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].some(e => e.textContent.includes('*'));
  return window.__testRunStarted && ind && ind.dataset.status === 'idle' && !waiting;
}"""

# Bidi mistakes a reader sees in right-to-left text: code such as `step()` drawn as `()step`, or
# `-0.25` drawn as `0.25-`. For each such run (inside an element whose direction is rtl) the
# characters must lie left to right on screen, measured from their layout boxes.
JS_BIDI = """selectors => {
  // calls like step(), negative numbers, and shape tuples like (16,) or (16, 1)
  const runs = /[A-Za-z_][\\w.]*\\([\\w.,= ]*\\)|(?<![\\w.])-\\d+(?:\\.\\d+)?|\\(\\d+,(?: \\d+)*\\)/g;
  const bad = [];
  for (const root of selectors.flatMap(s => [...document.querySelectorAll(s)])) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      // the paragraph's direction, not the inline wrapper's: a run inside <bdi>/<code> in a
      // Hebrew paragraph must still come out in reading order
      let host = n.parentElement;
      while (host.parentElement && /^(BDI|CODE|SPAN|B|I|EM|STRONG|SMALL|A)$/.test(host.tagName)) host = host.parentElement;
      if (getComputedStyle(host).direction !== 'rtl') continue;
      for (const m of n.nodeValue.matchAll(runs)) {
        const boxes = [];
        for (let i = 0; i < m[0].length; i++) {
          const r = document.createRange();
          r.setStart(n, m.index + i); r.setEnd(n, m.index + i + 1);
          const b = r.getBoundingClientRect();
          if (b.width > 0) boxes.push(b);
        }
        if (boxes.length < 2 || boxes.some(b => Math.abs(b.top - boxes[0].top) > 2)) continue;  // hidden or wrapped
        if (boxes.some((b, i) => i > 0 && b.left < boxes[i - 1].left - 0.5))
          bad.push({run: m[0], in: n.nodeValue.trim().slice(0, 80)});
      }
    }
  }
  return bad;
}"""

# Every piece of Hebrew text in an element (button, label, option, ...) and the direction the
# browser lays it out in.
JS_HEBREW_TEXT_DIRECTIONS = """root => {
  const out = [];
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!/[\\u05d0-\\u05ea]/.test(n.nodeValue)) continue;
    const e = n.parentElement;
    out.push({text: n.nodeValue.trim().slice(0, 60), tag: e.tagName.toLowerCase(),
              cls: (e.className && e.className.baseVal === undefined ? e.className : '').split(' ')
                     .filter(c => c.startsWith('lessonlib-') || c.startsWith('widget-')).join(' '),
              direction: getComputedStyle(e).direction});
  }
  return out;
}"""


def as_float(text: str | None) -> float | None:
    if text is None or text.strip() in ("", "None"):
        return None
    return float(text)


def resolution(printed: str) -> float:
    """Half a unit in the last printed digit: how far the shown number may be from the true one."""
    mantissa, _, exponent = printed.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


LR_SHOWN = re.compile(r"(?:learning rate|קצב למידה|\blr)\s*[=:]?\s*(\d*\.?\d+(?:e[-+]?\d+)?)", re.I)


def shown_lr(state: dict) -> float | None:
    """The learning rate, if the debugger's status line shows it (glossary term or `lr`)."""
    m = LR_SHOWN.search(state.get("status") or "")
    return float(m.group(1)) if m else None


def settled_state(page, deadline: Deadline, cap_s: float = 5.0) -> dict:
    """What the debugger shows, once two readings 150 ms apart agree (its parts update one by one)."""
    end = time.monotonic() + min(cap_s, deadline.left())
    state = page.evaluate(JS_STATE)
    while time.monotonic() < end:
        page.wait_for_timeout(150)
        again = page.evaluate(JS_STATE)
        if again == state:
            break
        state = again
    return state


def weights(state: dict) -> dict[str, str]:
    return {k: v["value"] for k, v in state["cells"].items() if ".grad[" not in k}


def grads(state: dict) -> dict[str, str]:
    return {k: v["value"] for k, v in state["cells"].items() if ".grad[" in k}


def grad_name(weight_name: str) -> str:
    m = CELL_NAME.match(weight_name)
    return f"{m['param']}.grad{m['idx']}"


# ---- fixtures (one server, one browser, one run of the lesson for the whole module) ----------
@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        skip_or_fail("Chromium not found (/usr/bin/chromium or `chromium` on PATH); "
                     "install it with `apt-get install chromium` to run the browser test")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        skip_or_fail(f"Playwright for Python is not installed ({err}); it is in the dev extras")
    return path


@pytest.fixture(scope="module")
def deadline() -> Deadline:
    return Deadline(BUDGET_S)


@pytest.fixture(scope="module")
def lab(chromium_path, tmp_path_factory, deadline):
    """JupyterLab from this repo's .venv on 127.0.0.1:<free port> with a random token."""
    jupyter = pathlib.Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.fail(f"{jupyter} not found: run the test with the project's .venv python", pytrace=False)
    tmp = tmp_path_factory.mktemp("jupyterlab")
    settings = tmp / "lab-settings"
    for rel, values in LAB_SETTINGS.items():
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(24)
    env = dict(os.environ)
    for var in ("JUPYTER_TOKEN", "JUPYTER_PASSWORD"):
        env.pop(var, None)
    env.update({
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        # the kernel imports this checkout's lessonlib, whatever is installed
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "lab-workspaces"),
        "JUPYTER_CONFIG_DIR": str(tmp / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "jupyter-runtime"),
        "IPYTHONDIR": str(tmp / "ipython"),
    })
    log_path = tmp / "jupyterlab.log"
    cmd = [str(jupyter), "lab", "--allow-root", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={NOTEBOOKS}",
           # JupyterLab makes a checkpoint when it opens a notebook: keep it out of the repo
           f"--FileCheckpoints.root_dir={tmp / 'checkpoints'}"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)

    def log_tail() -> str:
        return log_path.read_text(errors="replace")[-3000:]

    base = f"http://127.0.0.1:{port}"
    try:
        start_by = time.monotonic() + min(60, deadline.left())
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{log_tail()}", pytrace=False)
            try:
                status, body = http_get(f"{base}/api/status?token={token}")
                if status == 200 and "started" in json.loads(body):
                    break
            except (OSError, urllib.error.URLError, ValueError):
                pass
            if time.monotonic() > start_by:
                pytest.fail(f"jupyter lab did not answer /api/status in time:\n{log_tail()}", pytrace=False)
            time.sleep(0.3)
        yield types.SimpleNamespace(base=base, token=token, log=log_tail)
    finally:
        # kernels run in their own sessions, so they are not in the group: kill them by pid
        stop_group(proc, timeout=10, also=descendants(proc.pid))


@pytest.fixture(scope="module")
def lesson(chromium_path, lab, deadline):
    """The lesson opened in Chromium (layout measured), then run with Run > Run All Cells."""
    from playwright.sync_api import sync_playwright

    lesson_file = NOTEBOOKS / LESSON
    assert lesson_file.exists(), f"lesson {LESSON} not found under {NOTEBOOKS}"
    digest_before = sha256(lesson_file)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True,
                                     timeout=deadline.ms(30))
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="he-IL")
            page.set_default_timeout(deadline.ms(30))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))

            # open the lesson; wait for its prose and an idle kernel
            page.goto(f"{lab.base}/lab/tree/{LESSON}?reset&token={lab.token}", timeout=deadline.ms(45))
            page.wait_for_selector(f"{PROSE} p", timeout=deadline.ms(45))
            page.wait_for_function(
                f"""() => {{ const e = document.querySelector('{ACTIVE_PANEL} .jp-Notebook-ExecutionIndicator');
                            return e && e.dataset.status === 'idle'; }}""", timeout=deadline.ms(45))
            assert not page.locator(".jp-Dialog").count(), \
                f"a dialog blocks the notebook: {page.locator('.jp-Dialog').first.inner_text()}"
            # more room for the notebook: fold the left sidebar (file browser), if it is open
            side_tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
            if side_tab.count():
                side_tab.first.click()
            page.screenshot(path=ARTIFACTS / "01_opened.png")
            opened = page.evaluate(JS_LAYOUT)

            # run every cell (Run menu > Run All Cells). Outputs on the page now are committed
            # ones; mark them, so what is found afterwards is live (Run All replaces them). A
            # MutationObserver notes that the run started (a "[*]" prompt or a busy kernel),
            # so "idle, no [*] left" afterwards means the run is over, even if a cell failed.
            page.evaluate(JS_WATCH_RUN, ACTIVE_PANEL)
            page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
            page.locator('.lm-Menu-item[data-command="runmenu:run-all"],'
                         ' .lm-Menu-item[data-command="notebook:run-all-cells"]').first.click()
            try:
                page.wait_for_function(JS_RUN_OVER, arg=ACTIVE_PANEL, timeout=deadline.ms(100), polling=250)
                finished = True
            except Exception:  # noqa: BLE001 - reported below with what the notebook shows
                finished = False
            live = page.locator(f"{ACTIVE_PANEL} .lessonlib-step-forward:not([data-test-stale] *)").count()
            if not (finished and live):
                page.screenshot(path=ARTIFACTS / "02_run_failed.png")
                outputs = page.locator(f"{ACTIVE_PANEL} .jp-OutputArea-output").all_inner_texts()
                what = ("Run All Cells did not finish in time" if not finished else
                        "the lesson ran, but shows no live step debugger (.lessonlib-step-forward); "
                        "it needs a cell like `ui, dbg = widgets.step_debugger()` ending in `ui`")
                pytest.fail(f"{LESSON}: {what}. Cell outputs:\n"
                            + "\n---\n".join(o[:400] for o in outputs)
                            + (f"\nserver log:\n{lab.log()}" if not finished else ""), pytrace=False)
            page.screenshot(path=ARTIFACTS / "02_ran_all.png")
            ran = page.evaluate(JS_LAYOUT)
            debugger = page.locator(".jp-OutputArea-output:has(.lessonlib-step-forward)")
            yield types.SimpleNamespace(page=page, opened=opened, ran=ran, debugger=debugger,
                                        errors=errors, deadline=deadline)
        finally:
            browser.close()
    assert sha256(lesson_file) == digest_before, f"{LESSON} was modified on disk by the browser session"


# ---- the tests -------------------------------------------------------------------------------
def test_hebrew_prose_and_code_direction(lesson):
    opened, ran = lesson.opened, lesson.ran
    assert opened["prose"], 'no Hebrew prose paragraph (div[dir="rtl"] p) rendered'
    for p in opened["prose"]:   # the dir="rtl" wrapper alone gives the direction
        assert p["direction"] == "rtl", f"Hebrew paragraph not right-to-left on open: {p}"
    # JupyterLab opens a notebook untrusted and strips the <style> from the setup cell's
    # committed output, so prose is right-aligned only once the setup cell has run. If the
    # lesson's CSS is on the page, it must work.
    if opened["cssInOutputs"]:
        assert all(p["textAlign"] == "right" for p in opened["prose"]), opened["prose"]
    print(f"\non open: the lesson's RTL CSS from the committed output active: {opened['cssInOutputs']}; "
          f"text-align of Hebrew paragraphs: {sorted({p['textAlign'] for p in opened['prose']})}")

    assert ran["cssInOutputs"], "the setup cell's RTL CSS is not on the page after running it"
    assert ran["prose"], "Hebrew prose disappeared after running the notebook"
    for p in ran["prose"]:
        assert (p["direction"], p["textAlign"]) == ("rtl", "right"), \
            f"Hebrew paragraph not right-to-left and right-aligned: {p}"
    print(f"after running: {len(ran['prose'])} Hebrew paragraphs, all rtl and right-aligned")
    bidi = lesson.page.evaluate(JS_BIDI, [PROSE])
    assert not bidi, f"code or numbers drawn in the wrong order inside Hebrew prose: {bidi}"

    assert ran["code"], "no code cell editor (.cm-content) found"
    for c in ran["code"]:
        assert c["direction"] == "ltr", f"code cell not left-to-right: {c}"
    assert ran["lines"] and set(ran["lines"]) == {"ltr"}, f"code lines: {set(ran['lines'])}"


def test_step_debugger_five_steps(lesson):
    page, widget, deadline = lesson.page, lesson.debugger, lesson.deadline
    for cls in [f"lessonlib-step-{s}" for s in STEPS] + [f"lessonlib-{b}" for b in OTHER_BUTTONS] \
            + ["lessonlib-loss", "lessonlib-param-table", "lessonlib-message"]:
        assert page.locator(f".{cls}").count() == 1, f"expected exactly one .{cls} on the page"
    widget.scroll_into_view_if_needed()
    # start from a fresh net whatever the lesson's cells did with the debugger: Reset
    page.locator(".lessonlib-reset").click()
    page.wait_for_function(
        """() => { const v = document.querySelector('.lessonlib-loss-value');
                   const g = [...document.querySelectorAll('.lessonlib-param-table td[data-name*=".grad["]')];
                   return v && (!v.dataset.value || v.dataset.value === 'None') && g.length && g.every(td => td.dataset.value === 'None'); }""",
        timeout=deadline.ms(20), polling=100)
    state = settled_state(page, deadline)
    widget.screenshot(path=ARTIFACTS / "03_debugger_start.png")
    w0 = weights(state)
    assert w0, "parameter table shows no weight cells (td[data-name][data-value])"
    for name in state["cells"]:
        assert CELL_NAME.match(name), f"unexpected data-name {name!r}"
    for name in w0:
        assert grad_name(name) in state["cells"], f"no gradient cell for {name}"
    assert set(grads(state).values()) == {"None"}, f"gradients before backward: {grads(state)}"
    assert as_float(state["lossValue"]) is None, f"a loss before the loss step: {state['lossValue']}"

    history = [("start", state)]
    for n, step in enumerate(STEPS, start=1):
        before = state
        page.locator(f".lessonlib-step-{step}").click()
        try:
            page.wait_for_function(
                "prev => { const m = document.querySelector('.lessonlib-message');"
                " return m && m.innerText.trim() !== prev; }",
                arg=before["message"], timeout=deadline.ms(20), polling=100)
        except Exception:  # noqa: BLE001
            pytest.fail(f"after clicking {step!r} the explanation did not change "
                        f"(still {before['message']!r})", pytrace=False)
        state = settled_state(page, deadline)
        history.append((step, state))
        widget.screenshot(path=ARTIFACTS / f"{3 + n:02d}_after_{step}.png")

        # the explanation: new, Hebrew, right-to-left, code and numbers in it readable
        assert HEBREW.search(state["message"] or ""), f"{step}: message not Hebrew: {state['message']!r}"
        assert state["msgDirection"] == "rtl", f"{step}: message direction {state['msgDirection']}"
        bidi = page.evaluate(JS_BIDI, [".lessonlib-message", ".lessonlib-loss", ".lessonlib-param-table"])
        assert not bidi, f"{step}: code or numbers drawn in the wrong order in the debugger: {bidi}"

        # "changed" marks exactly the cells whose value this click changed
        for name, cell in state["cells"].items():
            moved = cell["value"] != before["cells"][name]["value"]
            assert cell["changed"] == moved, \
                f"{step}: {name} {before['cells'][name]['value']} -> {cell['value']}, " \
                f"but class 'changed' is {cell['changed']}"

        if step != "step":
            assert weights(state) == weights(before), \
                f"{step} changed weights (only optimizer.step() may): " \
                f"{ {k: (weights(before)[k], v) for k, v in weights(state).items() if v != weights(before)[k]} }"
        if step in ("forward", "zero_grad"):
            assert set(grads(state).values()) == {"None"}, f"{step}: gradients {grads(state)}"
        if step == "loss":
            loss = as_float(state["lossValue"])
            assert loss is not None and math.isfinite(loss) and loss > 0, \
                f"loss step: loss value {state['lossValue']!r}"
            assert re.search(r"\d", state["lossValueText"] or ""), \
                f"loss step: no number shown: {state['lossText']!r}"
            assert state["lossText"] != before["lossText"], "loss step: loss display did not change"
        if step == "backward":
            g = {k: as_float(v) for k, v in grads(state).items()}
            assert all(v is not None and math.isfinite(v) for v in g.values()), \
                f"backward: gradients still None or not numbers: {grads(state)}"
            assert any(v != 0 for v in g.values()), f"backward: all gradients zero: {g}"
        if step == "step":
            assert grads(state) == grads(before), "step changed the gradients"
            moved = {k for k in w0 if weights(state)[k] != weights(before)[k]}
            assert moved, f"optimizer.step() changed no weight: {weights(state)}"
            lr = shown_lr(before)
            for k in w0:   # every weight with a gradient moves against it ...
                g_text, w_text, new_text = grads(before)[grad_name(k)], weights(before)[k], weights(state)[k]
                g, delta = as_float(g_text), as_float(new_text) - as_float(w_text)
                if g:
                    assert delta * g < 0, f"step: {k} moved by {delta:+.6g} with gradient {g:+.6g}"
                if lr is not None and g is not None:   # ... by lr * gradient: W <- W - lr * dL/dW
                    expected = as_float(w_text) - lr * g
                    tol = resolution(w_text) + resolution(new_text) + lr * resolution(g_text) \
                        + 1e-6 * abs(expected)         # + float32 rounding of the update itself
                    assert abs(as_float(new_text) - expected) <= tol, \
                        f"step: {k} = {new_text}, expected {w_text} - {lr} * {g_text} = {expected:.6g}"
            print(f"\nstep: learning rate shown = {lr}; weights moved: {len(moved)} of {len(w0)}")
    print("messages:", *[f"  {s}: {st['message']}" for s, st in history], sep="\n")
    print("loss display after the loss step:", history[2][1]["lossText"])
    assert not lesson.errors, f"JavaScript errors on the page: {lesson.errors}"


def test_step_debugger_controls_read_right_to_left(lesson):
    """Hebrew labels on buttons, toggles and the dropdown must be laid out right-to-left.

    In a left-to-right box "1. מעבר קדימה" puts the number after the words (for a Hebrew
    reader), and "לשבור: דילוג על zero_grad()" starts with the code.
    """
    root = lesson.debugger.element_handle()
    texts = lesson.page.evaluate(JS_HEBREW_TEXT_DIRECTIONS, root)
    assert texts, "the step debugger shows no Hebrew text"
    wrong = [t for t in texts if t["direction"] != "rtl"]
    assert not wrong, ("Hebrew text laid out left-to-right in the step debugger "
                       f"({len(wrong)} of {len(texts)}):\n" + "\n".join(map(str, wrong)))
