"""`make lab` really starts JupyterLab (as root too), serving the notebooks on the given port and token."""
import json
import os
import secrets
import socket
import subprocess
import pathlib
import time
import urllib.error
import urllib.request

import pytest

from tests.procs import stop_group

ROOT = pathlib.Path(__file__).resolve().parents[1]
START_TIMEOUT = 60
# no proxy for 127.0.0.1, whatever the environment says
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str):
    """(status, body) of a GET; an HTTP error status is returned, not raised."""
    try:
        with OPENER.open(url, timeout=3) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_make_lab_serves_jupyterlab(tmp_path):
    # `make lab` installs first when the environment is not installed yet; a test must not do that
    # (under `make test` the install has just run, so this holds).
    q = subprocess.run(["make", "-q", "install"], cwd=ROOT, capture_output=True, text=True)
    assert q.returncode == 0, "the environment is not installed (make -q install): run `make install` first"

    port, token = free_port(), secrets.token_hex(16)
    lab_args = f"--no-browser --port={port} --ServerApp.token={token} --ServerApp.ip=127.0.0.1"
    log = open(tmp_path / "lab.log", "w+", encoding="utf-8")
    env = dict(os.environ, OMP_NUM_THREADS="1", JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    proc = subprocess.Popen(["make", "lab", f"LAB_ARGS={lab_args}"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        status = body = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"make lab exited with {proc.returncode}:\n{_tail(log)}"
            try:
                status, body = get(f"{base}/api/status?token={token}")
                if status == 200:
                    break
            except OSError:
                pass   # not listening yet
            time.sleep(0.5)
        assert status == 200, f"JupyterLab did not answer within {START_TIMEOUT} s:\n{_tail(log)}"
        info = json.loads(body)
        assert "started" in info and "kernels" in info, info
        # the token is enforced
        assert get(f"{base}/api/status")[0] in (401, 403)
        assert get(f"{base}/api/status?token=wrong{token}")[0] in (401, 403)
        # it serves the notebooks directory (--notebook-dir=notebooks)
        status, body = get(f"{base}/api/contents?token={token}")
        assert status == 200
        names = {item["name"] for item in json.loads(body)["content"]}
        assert {"he", "en"} <= names, f"expected the notebooks directory, got {sorted(names)}"
        status, page = get(f"{base}/lab?token={token}")
        assert status == 200 and "JupyterLab" in page
    finally:
        stop_group(proc)
        log.close()
    # nothing is listening any more
    with pytest.raises(OSError):
        get(f"{base}/api/status?token={token}")


def _tail(log, n=3000) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-n:]
