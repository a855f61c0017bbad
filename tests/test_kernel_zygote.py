"""tests/kernel_zygote.py: nbval's kernels forked from a process that has imported torch. Real kernels,
real jupyter_client: they start, run code where a plain kernel would (working directory, sys.path),
are interrupted and shut down as a kernel manager does it, and die with their launcher."""
from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec

from tests import kernel_zygote
from tests.nbtools import ROOT

pytestmark = pytest.mark.slow

PROBE = ("import os, sys; print('PROBE', os.getcwd(), sys.path[0], "
         f"all(m in sys.modules for m in {kernel_zygote.PRELOAD!r}), "
         "os.environ.get('RB109_ZYGOTE'), os.environ.get('PROBE_VAR'), "
         "sys.path[1:2] == os.environ.get('PYTHONPATH', '').split(os.pathsep)[:1])")


class ZygoteKernels(KernelManager):
    @property
    def kernel_spec(self):
        return KernelSpec(argv=kernel_zygote.kernel_argv(), display_name="zygote", language="python")


@pytest.fixture(scope="module")
def zygote():
    started_here = not os.environ.get(kernel_zygote.ENV)
    path = kernel_zygote.start()
    assert path and os.path.exists(path), "the zygote did not start"
    yield path
    if started_here:
        kernel_zygote.stop()


def run(km: KernelManager, code: str, timeout: float = 60) -> tuple[str, str]:
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        out: list[str] = []

        def hook(msg):
            content = msg["content"]
            out.append(content.get("text") or content.get("ename") or "")

        reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
        return reply["content"]["status"], "".join(out)
    finally:
        kc.stop_channels()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:   # a zombie is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def kernel_pid(km: KernelManager) -> int:
    status, text = run(km, "import os; print('PID', os.getpid())")
    return int(text.split("PID")[1].split()[0])


def test_a_forked_kernel_runs_where_a_plain_one_would(zygote, tmp_path):
    km = ZygoteKernels()
    extra = tmp_path / "on-pythonpath"           # a server's own PYTHONPATH (test_browser.py sets one)
    extra.mkdir()
    env = {**os.environ, "PROBE_VAR": "seen",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(extra), os.environ.get("PYTHONPATH")]))}
    km.start_kernel(cwd=str(tmp_path), env=env)
    try:
        status, text = run(km, PROBE)
        assert status == "ok", text
        cwd, path0, torch_loaded, zygote_env, probe, pythonpath = text.split("PROBE")[1].split()
        assert pythonpath == "True", "PYTHONPATH's first entry is not sys.path[1], as in a fresh interpreter"
        assert cwd == str(tmp_path) and path0 == str(tmp_path)      # as `python -m ipykernel_launcher`
        assert torch_loaded == "True", "torch (or another preload) was not imported in advance: not a forked kernel"
        assert zygote_env == "None", "a kernel's own subprocesses must start plain kernels"
        assert probe == "seen", "the kernel manager's environment did not reach the kernel"
        assert kernel_pid(km) != km.provisioner.process.pid          # the launcher is not the kernel
    finally:
        km.shutdown_kernel()


def test_interrupt_and_shutdown_reach_the_forked_kernel(zygote):
    km = ZygoteKernels()
    km.start_kernel()
    pid = kernel_pid(km)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        kc.execute("import time; time.sleep(60)")
        time.sleep(1.0)
        km.interrupt_kernel()
        deadline = time.monotonic() + 20
        ename = None
        while time.monotonic() < deadline and ename is None:
            msg = kc.get_iopub_msg(timeout=20)
            if msg["msg_type"] == "error":
                ename = msg["content"]["ename"]
        assert ename == "KeyboardInterrupt"
    finally:
        kc.stop_channels()
    km.shutdown_kernel()
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(pid), "the kernel outlived its shutdown"


def test_a_killed_launcher_takes_its_kernel_along(zygote):
    km = ZygoteKernels()
    km.start_kernel()
    pid = kernel_pid(km)
    os.kill(km.provisioner.process.pid, signal.SIGKILL)            # what shutdown_kernel(now=True) sends
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(pid), "the kernel outlived its launcher"
    km.cleanup_resources()


def test_without_a_zygote_the_launcher_starts_a_plain_kernel(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != kernel_zygote.ENV}
    km = ZygoteKernels()
    km.start_kernel(cwd=str(tmp_path), env=env)
    try:
        status, text = run(km, PROBE)
        assert status == "ok", text
        assert text.split("PROBE")[1].split()[2] == "False", "a plain kernel has not imported torch"
        assert kernel_pid(km) == km.provisioner.process.pid          # exec'd: the launcher IS the kernel
    finally:
        km.shutdown_kernel()


def test_nbval_kernels_launch_through_the_zygote():
    """conftest.py routes nbval's current-env kernel spec through the launcher (RB109_FRESH_KERNELS=1: off)."""
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

    spec = NbvalKernelspecManager().get_kernel_spec(CURRENT_ENV_KERNEL_NAME)
    if os.environ.get(kernel_zygote.OFF) == "1":
        assert spec.argv[1:3] == ["-m", "ipykernel_launcher"]
    else:
        assert spec.argv[:3] == [sys.executable, str(ROOT / "tests" / "kernel_zygote.py"), "launch"]
        assert os.path.exists(os.environ[kernel_zygote.ENV])
