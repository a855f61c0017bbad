"""Kernels for the test suite, forked from one process that has already imported torch.

A lesson's kernel spends most of its start-up importing: torch alone is about 1.3 of the 2.9 CPU-seconds
a kernel costs before its first cell (docs/test-time.md), and `make test` starts about 70 kernels. Here
one "zygote" process per pytest process imports torch (with the torch._dynamo that its first optimizer
would import), NumPy and ipykernel once and then waits; every
kernel nbval asks for is a fork of it (copy-on-write), which then runs ipykernel's own IPKernelApp with
the connection file, working directory and environment the kernel manager chose. Nothing else is
imported in advance: lessonlib, matplotlib and the widgets are imported by the lesson's cells, as in a
student's fresh kernel, so their import-time behaviour is still tested. The committed outputs are made by
fresh kernels (`make execute`) and nbval compares the forked kernels' outputs with them, cell by cell.

How a kernel manager sees it: the kernel spec's argv is `python <this file> launch -f
{connection_file}`. That launcher is the process jupyter_client starts, signals and kills. It sends its
stdin/stdout/stderr, argv, working directory and environment to the zygote over a Unix socket, gets the
kernel's pid back, forwards SIGINT (interrupt) and SIGTERM to it, and exits with the kernel's exit code.
The kernel watches its launcher: if the launcher dies (SIGKILL from a shutdown), the kernel exits too.
Without a zygote (RB109_ZYGOTE unset, or nothing listening) the launcher execs a plain
`python -m ipykernel_launcher`: exactly the kernel nbval would have started.

Off switch: RB109_FRESH_KERNELS=1 (every kernel a fresh interpreter, as before).
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ENV = "RB109_ZYGOTE"                # the socket's path, inherited by the kernels' launchers
OFF = "RB109_FRESH_KERNELS"
# torch._dynamo: torch imports it on the first optimizer a process builds (Optimizer.__init__ goes through
# torch._compile._disable_dynamo), about 1.35 CPU-s and 800 modules (sympy, mpmath) in every lesson that
# trains; torch's own business, not the lesson's, and it leaves the process single-threaded (fork-safe).
PRELOAD = ("numpy", "torch", "torch._dynamo", "ipykernel.kernelapp")
_HEADER = struct.Struct("!I")
_server: list[subprocess.Popen] = []


# ---- the launcher: the process the kernel manager starts ------------------------------------------------

def _plain_kernel(args: list[str]) -> None:
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *args])


def launch(args: list[str]) -> int:
    path = os.environ.get(ENV)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if not path or os.environ.get(OFF) == "1":
            raise OSError("no zygote")
        sock.connect(path)
    except OSError:
        sock.close()
        _plain_kernel(args)
    payload = json.dumps({"args": args, "cwd": os.getcwd(), "env": dict(os.environ),
                          "launcher": os.getpid()}).encode()
    socket.send_fds(sock, [_HEADER.pack(len(payload))], [0, 1, 2])
    sock.sendall(payload)
    reader = sock.makefile("r", encoding="ascii")
    first = reader.readline().split()
    if len(first) != 2 or first[0] != "PID":
        print(f"kernel_zygote: no kernel started ({first!r}); starting a plain one", file=sys.stderr)
        sock.close()
        _plain_kernel(args)
    child = int(first[1])

    def forward(signum, _frame):
        try:
            os.kill(child, signum)
        except ProcessLookupError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    line = reader.readline().split()           # "EXIT <code>" when the kernel has ended
    return int(line[1]) if len(line) == 2 and line[0] == "EXIT" else 1


# ---- the zygote -------------------------------------------------------------------------------------------

def _recv_exactly(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("launcher went away")
        data += chunk
    return data


def _watch_launcher(pid: int) -> None:
    """In the kernel: exit as soon as the launcher is gone (it is what the kernel manager kills)."""
    try:
        fd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        fd = None
    while True:
        if fd is not None:
            select.select([fd], [], [])
        else:
            time.sleep(0.2)
            try:
                os.kill(pid, 0)
                continue
            except ProcessLookupError:
                pass
        os._exit(1)


def _become_kernel(fds: list[int], request: dict, keep_closed: list[socket.socket]) -> None:
    """In the forked child: take the launcher's streams, directory, environment and argv; run ipykernel."""
    code = 1
    try:
        for s in keep_closed:
            s.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        os.chdir(request["cwd"])
        sys.path[0] = os.getcwd()          # as `python -m ipykernel_launcher` has it (here: this script's folder)
        # a fresh interpreter puts PYTHONPATH right after sys.path[0]; the zygote's came from its own start
        # (a Jupyter server may give its kernels another one: test_browser.py points it at this checkout)
        extra = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p and p not in sys.path]
        sys.path[1:1] = extra
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.pop(ENV, None)          # a kernel's own subprocesses start plain kernels
        sys.argv = ["ipykernel_launcher", *request["args"]]
        if os.environ.get("JPY_PARENT_PID"):   # read into a trait's default when ipykernel was imported
            sys.argv.append(f"--IPKernelApp.parent_handle={int(os.environ['JPY_PARENT_PID'])}")
        threading.Thread(target=_watch_launcher, args=(request["launcher"],), daemon=True).start()
        from ipykernel import kernelapp
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:   # noqa: BLE001 - reported on the kernel's stderr, then the kernel ends
        import traceback
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(path: str, parent: int) -> None:
    for name in PRELOAD:
        __import__(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path + ".tmp")
    listener.listen(16)
    os.rename(path + ".tmp", path)          # the socket appears only when the zygote is ready
    kernels: dict[int, socket.socket] = {}  # pid -> its launcher's connection
    while os.getppid() == parent:
        ready, _, _ = select.select([listener], [], [], 0.2)
        while True:                          # report every kernel that ended
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            conn = kernels.pop(pid, None)
            if conn is not None:
                try:
                    conn.sendall(f"EXIT {os.waitstatus_to_exitcode(status)}\n".encode())
                except OSError:
                    pass
                conn.close()
        if not ready:
            continue
        conn, _ = listener.accept()
        try:
            header, fds, _, _ = socket.recv_fds(conn, _HEADER.size, 3)
            request = json.loads(_recv_exactly(conn, _HEADER.unpack(header)[0]))
        except (OSError, ValueError, ConnectionError):
            conn.close()
            continue
        pid = os.fork()
        if pid == 0:
            _become_kernel(fds, request, [listener, conn, *kernels.values()])
        for fd in fds:
            os.close(fd)
        kernels[pid] = conn
        try:
            conn.sendall(f"PID {pid}\n".encode())
        except OSError:
            pass
    for pid in kernels:                       # the pytest process is gone: so are its kernels
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ---- pytest's side ----------------------------------------------------------------------------------------

def use_for_nbval() -> None:
    """Make nbval's current-env kernel spec launch through a zygote, started when the first kernel is asked
    for (a pytest run without notebooks starts none)."""
    import ipykernel.kernelspec
    from nbval import kernel as nbval_kernel

    def get_kernel_spec(self, kernel_name):
        if kernel_name == nbval_kernel.CURRENT_ENV_KERNEL_NAME:
            spec = ipykernel.kernelspec.get_kernel_dict()
            if start() is not None:             # else: the plain kernel nbval would have started
                spec["argv"] = kernel_argv()
            return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES, **spec)
        return super(nbval_kernel.NbvalKernelspecManager, self).get_kernel_spec(kernel_name)

    nbval_kernel.NbvalKernelspecManager.get_kernel_spec = get_kernel_spec


HERE = os.path.abspath(__file__)     # run as a script: a kernel's working directory is its notebook's


def kernel_argv() -> list[str]:
    return [sys.executable, HERE, "launch", "-f", "{connection_file}"]


def kernel_spec_dir(data_dir: str | os.PathLike, name: str = "python3") -> str | None:
    """For a Jupyter server (JupyterLab in tests/test_browser.py): copy the installed kernel spec `name`
    (its display name, metadata and logos) under `data_dir`/kernels/, launching through this process's
    zygote, and return `data_dir` to put first on the server's JUPYTER_PATH (its specs win over the
    installed ones). None when kernels are to start fresh (RB109_FRESH_KERNELS=1, or no zygote could
    start): the server then uses the installed spec. The server must get os.environ as it is after this
    call (it holds the zygote's socket, RB109_ZYGOTE)."""
    import shutil

    from jupyter_client.kernelspec import KernelSpecManager

    installed = KernelSpecManager().get_kernel_spec(name)
    if start() is None:
        return None
    folder = os.path.join(os.fspath(data_dir), "kernels", name)
    shutil.copytree(installed.resource_dir, folder, dirs_exist_ok=True)
    spec = installed.to_dict()
    spec["argv"] = kernel_argv()
    with open(os.path.join(folder, "kernel.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
    return os.fspath(data_dir)


def start(timeout: float = 600.0) -> str | None:
    """Start this process's zygote (or keep the one a parent pytest started); its socket path, or None.

    Waits as long as the zygote is alive and importing (up to `timeout`): on a loaded machine its imports
    took over a minute once, and giving up then left every kernel of that worker starting plain."""
    if os.environ.get(OFF) == "1":
        return None
    if _server:
        return os.environ.get(ENV)
    inherited = os.environ.get(ENV)
    if inherited and os.path.exists(inherited):
        return inherited
    folder = tempfile.mkdtemp(prefix="rb109-zygote-")
    path = os.path.join(folder, "socket")
    proc = subprocess.Popen([sys.executable, HERE, "serve", path, str(os.getpid())], stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            return None                        # kernels start plain (the launcher's fallback)
        time.sleep(0.05)
    _server.append(proc)
    os.environ[ENV] = path
    return path


def stop() -> None:
    while _server:
        proc = _server.pop()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        path = os.environ.pop(ENV, None)
        if path:
            for p in (path, os.path.dirname(path)):
                try:
                    os.rmdir(p) if os.path.isdir(p) else os.unlink(p)
                except OSError:
                    pass


def main(argv: list[str]) -> int:
    if argv[:1] == ["launch"]:
        return launch(argv[1:])
    if argv[:1] == ["serve"] and len(argv) == 3:
        serve(argv[1], int(argv[2]))
        return 0
    print("usage: python -m tests.kernel_zygote launch -f CONNECTION_FILE | serve SOCKET PARENT_PID", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
