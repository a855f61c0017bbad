"""Runs INSIDE a lesson's kernel, in the cells tests/nbchecked.py inserts for the student copy.

The student copy of a lesson (tools/student.py) has the same code cells as the lesson, except its setup
line: `lessonlib.setup(lang=..., answers=False)`. Running the whole copy again under nbval only to see
the few cells whose output depends on that flag repeated every other cell's work; instead, while nbval
runs the lesson, this file runs those cells as the student copy would:

* `run(SPEC)`: before the lesson's cell runs, fork the kernel. The child is a copy of the lesson's state
  right before that cell (which, for every cell up to here, is the student copy's state too: see
  `install_recorder`), turns answers off (or, for the setup cell, runs the copy's setup cell), runs the
  copy's cell like a notebook cell and sends its outputs back. The lesson's kernel shows them again as
  this cell's outputs, and nbval compares them with the copy's committed outputs (the same sanitizers,
  options and comparison as for any cell). Then nbval runs the lesson's own cell, in the lesson's state.
* `install_recorder(SPEC)`, right after the setup cell: every read of the answers flag
  (`lessonlib.text._state["answers"]`, read only by `answers_shown()`) is noted with the cell that made it.
* `verify(SPEC)`, after the last cell: every cell that read the flag was run as the copy (a cell that
  reads it is the first place where the two runs can differ; a cell that never reads it does exactly
  what the copy's cell does, from the same state, so its committed output, the same in both, is checked
  by the lesson's own run). A cell that read it without a student run fails the lesson, named.

Nothing is bound in the lesson's namespace; the child never talks to the frontend.
"""
import json
import os
import select
import sys
import time

TIMEOUT_S = 300
INSERTED = "# Inserted by tests/nbchecked.py"     # the first line of every inserted cell
_READS_ATTR = "_rb109_flag_reads"


class _Shown:
    """The child's execute_result, displayed again by this cell (data and metadata as they were)."""

    def __init__(self, data, metadata):
        self.data, self.metadata = data, metadata

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.data, self.metadata

    def __repr__(self):
        return self.data.get("text/plain", "")


class StudentCopyError(AssertionError):
    """The student copy's cell raised: nbval fails this item with the copy's own error."""


class _Stream:
    def __init__(self, name, outputs):
        self.name, self.outputs = name, outputs

    def write(self, text):
        if not text:
            return 0
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last["output_type"] == "stream" and last["name"] == self.name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": self.name, "text": text})
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def _run_as_cell(ip, code: str, filename: str) -> list[dict]:
    """Run `code` like a notebook cell (IPython syntax, the last expression displayed, figures flushed);
    return its outputs in nbformat's form, in order."""
    import ast
    import contextlib
    import traceback

    outputs: list[dict] = []
    ip.display_pub.publish = lambda data, metadata=None, *a, **k: outputs.append(
        {"output_type": "display_data", "data": dict(data), "metadata": dict(metadata or {})})
    ns = ip.user_ns
    try:
        with contextlib.redirect_stdout(_Stream("stdout", outputs)), \
                contextlib.redirect_stderr(_Stream("stderr", outputs)):
            tree = ast.parse(ip.transform_cell(code), filename)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, filename, "exec"), ns)
            value = None if last is None else eval(compile(ast.Expression(last.value), filename, "eval"), ns)
            if value is not None and not code.rstrip().endswith(";"):
                data, metadata = ip.display_formatter.format(value)
                outputs.append({"output_type": "execute_result", "data": data, "metadata": metadata})
            if "matplotlib.pyplot" in sys.modules:          # what the inline backend does after a cell
                from matplotlib_inline.backend_inline import flush_figures
                flush_figures()
    except Exception as e:  # noqa: BLE001 - reported as the cell's error output
        outputs.append({"output_type": "error", "ename": type(e).__name__, "evalue": str(e),
                        "traceback": traceback.format_exception(e)})
    return outputs


def _child(ip, spec: dict) -> list[dict]:
    kernel = getattr(ip, "kernel", None)
    if kernel is not None:                     # never talk to the frontend from the copy
        kernel.session.send = lambda *a, **k: None
    if spec["mode"] == "answers_off":               # after the setup cell: as the copy's setup cell left it
        import lessonlib.text as text
        dict.__setitem__(text._state, "answers", False)
    # "setup": the copy's setup cell itself runs; "as_is": before it, the copy's state is the lesson's
    return _run_as_cell(ip, spec["source"], f"<student copy: {spec['where']}>")


def _read_all(fd: int, pid: int, where: str) -> bytes:
    data, deadline = b"", time.monotonic() + TIMEOUT_S
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, 9)
            raise AssertionError(f"{where}: the student copy's cell did not finish in {TIMEOUT_S} s")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return data
            data += chunk


def run(spec: dict):
    """Run the copy's cell in a forked copy of this kernel; show its outputs as this cell's."""
    from IPython import get_ipython
    from IPython.display import publish_display_data

    ip = get_ipython()
    r, w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:                                   # the copy
        os.close(r)
        try:
            payload = {"outputs": _child(ip, spec)}
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            payload = {"crash": f"{type(e).__name__}: {e}"}
        try:
            os.write(w, json.dumps(payload, default=repr).encode())
        finally:
            os._exit(0)
    os.close(w)
    try:
        raw = _read_all(r, pid, spec["where"])
    finally:
        os.close(r)
        os.waitpid(pid, 0)
    if not raw:
        raise AssertionError(f"{spec['where']}: the forked student copy died without a word")
    payload = json.loads(raw)
    if "crash" in payload:
        raise AssertionError(f"{spec['where']}: running the student copy's cell failed: {payload['crash']}")
    shown = None
    for out in payload["outputs"]:
        kind = out["output_type"]
        if kind == "stream":
            stream = getattr(sys, out["name"])
            stream.write(out["text"])
            stream.flush()
        elif kind == "display_data":
            publish_display_data(out["data"], out["metadata"])
        elif kind == "execute_result":
            shown = _Shown(out["data"], out["metadata"])
        elif kind == "error":
            raise StudentCopyError(f"{spec['where']}: the student copy's cell raised {out['ename']}: "
                                   f"{out['evalue']}\n" + "".join(out["traceback"]))
    return shown


def install_recorder(spec: dict) -> None:
    """From here on, note every read of the answers flag with the source of the cell that made it."""
    from IPython import get_ipython

    import lessonlib.text as text

    ip = get_ipython()
    current = {"cell": ""}
    reads: list[str] = []

    class FlagReads(dict):
        def __getitem__(self, key):
            if key == "answers" and not current["cell"].startswith(INSERTED):
                reads.append(current["cell"])
            return dict.__getitem__(self, key)

        def get(self, key, default=None):
            return self[key] if key in self else default

    def before(info):
        current["cell"] = info.raw_cell or ""

    if isinstance(text._state, dict) and type(text._state).__name__ == "FlagReads":
        raise AssertionError(f"{spec['where']}: the answers-flag recorder is installed twice")
    text._state = FlagReads(text._state)
    ip.events.register("pre_run_cell", before)
    setattr(text, _READS_ATTR, reads)


def verify(spec: dict) -> None:
    """Every cell that read the answers flag was run as the student copy (SPEC["checked"]: their sources)."""
    import lessonlib.text as text

    reads = getattr(text, _READS_ATTR, None)
    if reads is None:
        raise AssertionError(f"{spec['where']}: the answers-flag recorder was not installed after the setup cell")
    checked = set(spec["checked"])
    missed = []
    for source in reads:
        if source not in checked and source not in missed:
            missed.append(source)
    if missed:
        firsts = "; ".join(repr(s.strip().splitlines()[0][:80]) if s.strip() else "''" for s in missed)
        raise AssertionError(
            f"{spec['where']}: {len(missed)} cell(s) read the answers flag (check/reveal) but were not run as the "
            f"student copy, so the copy's output of them is unchecked: {firsts}. tests/nbchecked.py picks the "
            "cells that call check( or reveal(; a cell that reaches them another way must be added there.")
    print(f"answers flag read by {len(reads)} cell run(s), all run as the student copy too")
