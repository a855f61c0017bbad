"""Runs INSIDE a lesson's kernel, in the cell tests/nbchecked.py inserts after each exercise cell.

The cell executes this file with exec() in a private namespace holding SPEC (nothing is bound in
the lesson's namespace). It forks the kernel: the child is a copy-on-write snapshot of the lesson
right after the exercise cell ran, as nbval left it. In the child, the exercise's solution runs
(from its tagged solution cell), then the exercise's recorded wrong answer is checked; the child
reports and exits. The lesson's own kernel never runs the solution, so every later cell sees
exactly the state the committed outputs were made from (names, wrong-try counts, random state).

What is asserted is what tests/test_exercise_notebooks.py asserted when it ran each lesson a
second time with the solutions in place:
* the solution cell's output (streams, displays and its last expression, as the kernel shows
  it) has a ✅ and no ❌;
* the wrong answer is rejected (❌), it is not called a blank, the message says what is wrong
  (EXPLAINS), ends with the first-try "try again" tail, and does not show the expected answer
  (tests/leaks.py).
A failure raises AssertionError in the lesson's kernel: nbval fails this item with the message.
"""
import json
import os
import select
import signal
import sys
import time

# Words of the checker's diagnosis, one of which a wrong answer's message must contain.
EXPLAINS = {"en": ("got", "not the right choice", "off by more than"),
            "he": ("קיבלתי", "לא הבחירה הנכונה", "שגויים ביותר")}
TIMEOUT_S = 300          # one exercise's solution and wrong answer (nbclient's cell timeout before)


def _format(ip, value) -> list[dict]:
    """What the kernel would display for a cell's last expression."""
    if value is None:
        return []
    data, _ = ip.display_formatter.format(value)
    return [data]


def _text(streams: str, shown: list[dict]) -> str:
    """All the text of a cell's outputs (what tests/nbtools.output_text reads from a run cell)."""
    parts = [streams] if streams else []
    for data in shown:
        for mime in ("text/plain", "text/html"):
            if data.get(mime):
                parts.append(data[mime])
    return "\n".join(parts)


def _run_cell(ip, ns, code: str, filename: str) -> tuple[str, list[dict]]:
    """Run `code` like a notebook cell (IPython syntax, last expression displayed) in `ns`;
    return (stdout+stderr, displayed data). Nothing is sent to the frontend."""
    import ast
    import contextlib
    import io

    shown: list[dict] = []
    ip.display_pub.publish = lambda data, metadata=None, *a, **k: shown.append(dict(data))
    out = io.StringIO()
    tree = ast.parse(ip.transform_cell(code), filename)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        exec(compile(tree, filename, "exec"), ns)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), filename, "eval"), ns)
            shown.extend(_format(ip, value))
    return out.getvalue(), shown


def _child(spec: dict) -> list[str]:
    """In the forked copy of the kernel: the solution, then the wrong answer. The problems found."""
    from IPython import get_ipython

    ip = get_ipython()
    kernel = getattr(ip, "kernel", None)
    if kernel is not None:                     # never talk to the frontend from the copy
        kernel.session.send = lambda *a, **k: None
    ns = ip.user_ns
    sys.path.insert(0, spec["root"])
    from lessonlib.catalog import MESSAGES
    from lessonlib.exercises import EXERCISES, REVEAL_AFTER
    from lessonlib.text import t
    from tests.leaks import leaks

    where, ex_id, lang = spec["where"], spec["id"], spec["lang"]
    problems = []
    if spec["solution"] is None:
        return [f"{where}: no solution cell (a markdown cell tagged `solution` with a ```python block) after the exercise"]
    if spec["wrong_answer"] is None:
        return [f"{where}: the exercise cell has no lessonlib.exercise.wrong_answer in its metadata"]
    try:
        streams, shown = _run_cell(ip, ns, spec["solution"], f"<solution of {ex_id}>")
    except Exception as e:  # noqa: BLE001 - reported as the failure, with the traceback
        import traceback
        return [f"{where}: the solution raised {type(e).__name__}: {e}\n"
                + "".join(traceback.format_exception(e)[-6:])]
    got = _text(streams, shown)
    if not ("✅" in got and "❌" not in got):      # its wrong try would also spoil the wrong answer's message
        return [f"{where}: the solution does not pass: {got[:300]}"]
    try:
        wrong = eval(compile(spec["wrong_answer"], f"<wrong answer of {ex_id}>", "eval"), ns)
        res = eval("check", ns)(ex_id, wrong)
    except Exception as e:  # noqa: BLE001
        return problems + [f"{where}: checking the wrong answer {spec['wrong_answer']!r} raised {type(e).__name__}: {e}"]
    tail = " " + t("check.try_again", lang=lang, tries=1, limit=REVEAL_AFTER, id=ex_id)   # the first wrong try
    if not res.message.endswith(tail):
        problems.append(f"{where}: the wrong answer's message does not end with the first try's tail {tail!r}: {res.message[-300:]}")
    said = _text("", _format(ip, res))
    wa = spec["wrong_answer"]
    if "❌" not in said:
        problems.append(f"{where}: the wrong answer {wa!r} was not rejected: {said[:300]}")
    if MESSAGES["check.unanswered"][lang] in said:
        problems.append(f"{where}: the wrong answer {wa!r} is called a blank: {said[:300]}")
    if not any(w in said for w in EXPLAINS[lang]):
        problems.append(f"{where}: the checker does not say what is wrong: {said[:300]}")
    leak = leaks(res.message.removesuffix(tail), EXERCISES[ex_id](...), wrong)
    if leak is not None:
        problems.append(f"{where}: the wrong answer's message shows the expected answer ({leak}): {said[:400]}")
    return problems


def _fork_and_check(spec: dict) -> list[str]:
    import warnings

    if not hasattr(os, "fork"):
        return [f"{spec['where']}: checking exercises inside the nbval run needs os.fork (Linux, macOS)"]
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)     # 3.12+: "fork() of a multi-threaded process"
        pid = os.fork()
    if pid == 0:                                                # the copy
        os.close(read_fd)
        try:
            problems = _child(spec)
        except BaseException as e:  # noqa: BLE001 - anything at all is a failure to report
            problems = [f"{spec['where']}: the check itself failed: {type(e).__name__}: {e}"]
        try:
            os.write(write_fd, json.dumps(problems).encode())
        finally:
            os._exit(0)                                         # no cleanup, no flush of the kernel's streams
    os.close(write_fd)
    chunks, end = [], time.monotonic() + TIMEOUT_S
    try:
        while True:
            left = end - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(0.0, left))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                return [f"{spec['where']}: the solution and wrong answer took more than {TIMEOUT_S} s"]
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        os.waitpid(pid, 0)
    if not chunks:
        return [f"{spec['where']}: the forked check died without a report"]
    return json.loads(b"".join(chunks).decode())


def main(spec: dict) -> None:
    problems = _fork_and_check(spec)
    if problems:
        raise AssertionError("\n".join(problems))
    print(f"checked {spec['id']}: the solution passes; the wrong answer {spec['wrong_answer']} is rejected, "
          f"explained, without the expected answer")


if "SPEC" in globals():
    main(SPEC)  # noqa: F821 - given by the inserted cell
