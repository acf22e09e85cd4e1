"""Run the documented ``gametheory`` commands (tests/test_docs.py) in forks of one process that
imported the package once, instead of starting Python and importing it for every command.

    python tests/docs_commands.py serve SOCKET          the server, started by tests/test_docs.py
    python -I -S tests/docs_commands.py SOCKET ARG...    the client: ``gametheory ARG...`` run by the server

The client stands where ``python cli.py`` stood on the command line that bash runs, so
bash still expands globs, redirects output and sees the exit status. The client hands
the server its arguments, working directory, environment and its stdin, stdout and
stderr (file descriptors passed over the Unix socket), and exits as the command did:
with its exit code, or killed by the same signal.

For each client the server forks. The child takes over those descriptors, directory and
environment, builds fresh ``sys.std*`` streams on them the way Python's start-up does,
sets ``sys.argv`` and ``sys.path`` as ``python cli.py`` has them, draws a fresh seed for
numpy's global generator (Python's ``random`` reseeds itself after a fork), and runs
``cli.py`` as ``__main__``; the interpreter then ends as it would after the script. The
server itself only imported what ``cli.py`` imports before it reads its arguments
(``gametheory.cli``), plus the large third-party libraries that most commands import
later (``LIBRARIES``: numpy, sympy, scipy's optimisers, matplotlib with the Agg backend,
pyarrow, SALib, openpyxl), so each command starts from the state a fresh ``python cli.py`` has at that
point except that these libraries are already in ``sys.modules``; nothing of the
package itself, and nothing of one command, passes to the next. Importing them once
instead of in every command saves about a second of CPU per command (measured with
``/usr/bin/time python -c "import sympy"`` and the like). What stays shared is the hash
seed of strings (one per server instead of one per command).

If the import prints anything or fails, the server reports itself unavailable and
tests/test_docs.py runs the commands as subprocesses, as it would without a server.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "cli.py")
PRELOAD = "gametheory.cli"  # what cli.py imports before it reads its arguments
#: Libraries the commands import later, imported once by the server (a failure is ignored).
LIBRARIES = (
    "numpy",
    "sympy",
    "sympy.physics.units",  # sympy imports it on the first simplification (0.1 s)
    "scipy.optimize",
    "matplotlib.pyplot",
    "pyarrow.parquet",
    "SALib.sample.sobol",  # drivers and montecarlo --drivers (0.6 s)
    "SALib.sample.morris",
    "SALib.analyze.sobol",
    "openpyxl",
)
HEADER = 8  # bytes: the length of the request that follows


# ------------------------------------------------------------------ client


def client(address: str, args: list[str]) -> None:
    """Run ``gametheory ARGS`` through the server at ``address`` and end as the command ended."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(address)
    request = json.dumps({"argv": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    socket.send_fds(connection, [len(request).to_bytes(HEADER, "big")], [0, 1, 2])
    connection.sendall(request)
    reply = b""
    while chunk := connection.recv(64):
        reply += chunk
    kind, _, number = reply.decode().partition(" ")
    if kind == "signal":
        import signal

        signal.signal(int(number), signal.SIG_DFL)
        os.kill(os.getpid(), int(number))
    if kind != "exit":
        sys.stderr.write(f"docs_commands: the command server went away ({reply!r})\n")
        os._exit(127)
    os._exit(int(number))


# ------------------------------------------------------------------ server


def preload() -> str | None:
    """Import what cli.py imports, with sys.path as cli.py makes it, then ``LIBRARIES``; the
    reason it cannot serve, or None."""
    import importlib
    import tempfile

    sys.path[:1] = [ROOT, ROOT]  # the script's directory, then cli.py's own insert
    with tempfile.TemporaryFile() as capture:
        saved = os.dup(1), os.dup(2)
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(capture.fileno(), 1)
        os.dup2(capture.fileno(), 2)
        printed = 0
        try:
            importlib.import_module(PRELOAD)
            failure = None
            sys.stdout.flush()
            sys.stderr.flush()
            printed = capture.tell()
            for library in LIBRARIES:
                with contextlib.suppress(Exception):  # a command that needs it meets the failure itself
                    importlib.import_module(library)
        except BaseException as exc:  # any failure means: run the commands as subprocesses instead
            failure = f"importing {PRELOAD} failed: {type(exc).__name__}: {exc}"
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        if failure is None and printed:
            capture.seek(0)
            failure = f"importing {PRELOAD} printed: {capture.read(min(printed, 500))!r}"
    sys.path[:2] = [ROOT]  # as a child will have it before cli.py inserts its directory again
    return failure


def receive(connection: socket.socket) -> tuple[dict, list[int]]:
    """One client's request (argv, cwd, env) and its stdin, stdout and stderr descriptors."""
    connection.settimeout(30)
    head, fds, _, _ = socket.recv_fds(connection, HEADER, 3)
    while len(head) < HEADER:
        head += connection.recv(HEADER - len(head))
    size = int.from_bytes(head, "big")
    body = b""
    while len(body) < size:
        chunk = connection.recv(size - len(body))
        if not chunk:
            raise ConnectionError("the client hung up")
        body += chunk
    if len(fds) != 3:
        raise ConnectionError(f"expected 3 file descriptors, got {len(fds)}")
    connection.settimeout(None)
    return json.loads(body), fds


def exit_status(status: int) -> str:
    """A wait status as the client replays it: 'exit N' or 'signal N'."""
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.waitstatus_to_exitcode(status)}"


def serve(address: str) -> tuple[dict, list[int]] | None:
    """Serve clients until killed; returns (only in a forked child) the request that child runs.

    Returns None at once if the server is unavailable (reported on stdout as
    'unavailable: ...'; otherwise 'ready' once it accepts clients).
    """
    import selectors

    failure = preload()
    if failure is not None:
        print(f"unavailable: {failure}", flush=True)
        return None
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    print("ready", flush=True)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the ready line's pipe is not held open
    os.close(devnull)

    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, ("accept", None))
    running: dict[int, tuple[socket.socket, int | None]] = {}  # pid -> (client connection, pidfd)

    def finish(pid: int, status: int | None) -> None:
        connection, pidfd = running.pop(pid)
        selector.unregister(connection)
        if pidfd is not None:
            selector.unregister(pidfd)
            os.close(pidfd)
        if status is not None:
            with contextlib.suppress(OSError):  # the client is gone: nobody to tell
                connection.sendall(exit_status(status).encode())
        connection.close()

    while True:
        polling = any(pidfd is None for _, pidfd in running.values())
        for key, _ in selector.select(0.05 if polling else None):
            kind, pid = key.data
            if kind == "accept":
                connection, _ = listener.accept()
                try:
                    request, fds = receive(connection)
                except (OSError, ValueError):
                    connection.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    selector.close()
                    listener.close()
                    connection.close()
                    for other, pidfd in running.values():
                        other.close()
                        if pidfd is not None:
                            os.close(pidfd)
                    return request, fds
                for fd in fds:
                    os.close(fd)
                try:
                    pidfd = os.pidfd_open(pid)
                except (AttributeError, OSError):
                    pidfd = None
                running[pid] = (connection, pidfd)
                selector.register(connection, selectors.EVENT_READ, ("client", pid))
                if pidfd is not None:
                    selector.register(pidfd, selectors.EVENT_READ, ("exited", pid))
            elif kind == "exited" and pid in running:
                _, status = os.waitpid(pid, 0)
                finish(pid, status)
            elif kind == "client" and pid in running:  # the client hung up (killed): stop its command
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, 9)
                os.waitpid(pid, 0)
                finish(pid, None)
        if polling:
            for pid in [pid for pid, (_, pidfd) in running.items() if pidfd is None]:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    finish(pid, status)


def stdio(fd: int, name: str, template) -> object:
    """A text stream on ``fd`` built as Python's start-up builds sys.stdin/stdout/stderr."""
    import io

    writing = fd != 0
    buffer = open(fd, "wb" if writing else "rb", buffering=-1, closefd=False)  # noqa: SIM115 - it becomes sys.std*
    buffer.raw.name = name
    line_buffering = writing and (buffer.raw.isatty() or fd == 2)
    stream = io.TextIOWrapper(buffer, template.encoding, template.errors, "\n", line_buffering, False)
    stream.mode = "w" if writing else "r"
    return stream


def become_command(request: dict, fds: list[int]) -> None:
    """In a forked child: take over the client's descriptors, directory and environment; run cli.py."""
    import runpy

    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    sys.stdin = sys.__stdin__ = stdio(0, "<stdin>", sys.__stdin__)
    sys.stdout = sys.__stdout__ = stdio(1, "<stdout>", sys.__stdout__)
    sys.stderr = sys.__stderr__ = stdio(2, "<stderr>", sys.__stderr__)
    sys.argv = [CLI, *request["argv"]]
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()  # a fresh process draws its own seed
    runpy.run_path(CLI, run_name="__main__")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        served = serve(sys.argv[2])
        if served is not None:  # a forked child: from here on it is `python cli.py ARGS`
            become_command(*served)
    else:
        client(sys.argv[1], sys.argv[2:])
