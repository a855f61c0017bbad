"""Stopping the servers tests start (JupyterLab, make lab): nothing they started may outlive them."""
from __future__ import annotations

import os
import signal
import subprocess


def _kill_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def stop_group(proc: subprocess.Popen, timeout: float = 20, also=()) -> None:
    """SIGTERM to proc's whole process group, SIGKILL if it lingers; then SIGKILL `also` (pids
    that left the group, e.g. kernels in their own sessions). proc must be started with
    start_new_session=True."""
    if proc.poll() is None:
        _kill_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    _kill_group(proc.pid, signal.SIGKILL)     # a parent (make) may exit before its children
    for pid in also:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
