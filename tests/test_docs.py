"""Execute the examples in README.md and docs/**/*.md, so the docs cannot drift from the code.

What runs, page by page, in document order, in one scratch directory per page
(a copy of the repository's inputs, ``games/`` and ``tests/data/``, where
output files go):

* ```` ```console ```` blocks: every line ``$ gametheory ...`` (continued by a
  trailing backslash) runs as ``python cli.py ...`` through bash, so globs and
  ``> file`` work. The lines the page shows after it are its output: each must
  match a line of the real output (stdout and stderr), where ``...`` matches
  anything and a duration such as ``4.36 s`` matches any duration. A line
  ``# exit N`` right after the command is the exit status it must end with
  (0 otherwise). ``$`` lines that are not ``gametheory`` commands are not run.
* ```` ```bash ```` / ```` ```sh ```` blocks: lines starting with ``gametheory``
  run the same way and must exit 0; other lines (installing, benchmarks) do not.
* ```` ```python ```` / ```` ```pycon ```` blocks: with ``>>>`` prompts they run
  as doctests (ELLIPSIS and NORMALIZE_WHITESPACE on), otherwise with ``exec``
  in a fresh namespace; either way in the scratch directory, with warnings as
  errors like the rest of the suite.

A page can steer a block with an HTML comment right before it (invisible when
the page is rendered):

* ``<!-- docs-test: skip REASON -->``: do not run it (it needs a cluster, or an
  interrupt from the keyboard);
* ``<!-- docs-test: write FILE -->``: write the block's text to FILE (a file the
  page shows and then uses, such as a broken input);
* ``<!-- docs-test: smaller -->``: run its commands with smaller sizes (at most
  11 values per ``--vary`` axis, 200 Monte Carlo draws, 5 tornado points, no
  thresholds section in a ``report`` that names no ``--param``) and do not
  compare the output;
* ``<!-- docs-test: requires MODULE -->``: run it only when MODULE imports.

Pages run in parallel child processes (``DOCS_TEST_JOBS`` of them, default:
the number of CPUs), each running this file as a script on one page. In a
pytest session they start with the session (tests/conftest.py) and their
tests run last, so that the pages run while the rest of the suite does: one
CPU fewer of them until pytest waits for their results.

The commands run through bash as above, but ``python cli.py`` on that line is
a small client of tests/docs_commands.py: a server that imported the package
once and forks a fresh copy of itself for each command, which becomes
``python cli.py ...`` with the command's arguments, directory, environment,
stdin/stdout/stderr and exit status (see there what it keeps exact). Where no
server is available the commands run as plain subprocesses (set
``DOCS_TEST_SUBPROCESS=1`` to choose that).

By hand, a page or several: ``python tests/test_docs.py docs/how-to/sweep.md``
(prints the failures; exit status 1 if any).

``docs/reference/cli.md`` is generated from the click application; a test here
fails when it is out of date (regenerate with ``python3 docs/gen_cli_reference.py``).
"""

from __future__ import annotations

import argparse
import doctest
import importlib.util
import json
import os
import re
import selectors
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
INPUTS = ("games", "tests/data")  # copied into each page's scratch directory
COMMAND_TIMEOUT = 600  # seconds, one command
COMMAND_SERVER = Path(__file__).with_name("docs_commands.py")
SERVER_START_TIMEOUT = 120  # seconds for the command server to import the package
PAGE_TIMEOUT = 1800  # seconds, one page

FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<what>.*?)\s*-->\s*$")
EXIT_LINE = re.compile(r"^#\s*exit\s+(?P<code>\d+)\s*$")
SECONDS = re.compile(r"\d[\d,]*(?:\.\d+)? s\b")  # a duration such as '4.36 s'


@dataclass
class Block:
    """One fenced code block of a page, with the directives written just before it."""

    page: Path
    line: int  # 1-based line of the opening fence
    language: str
    text: str
    directives: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    def directive(self, name: str) -> str | None:
        for item in self.directives:
            head, _, rest = item.partition(" ")
            if head == name:
                return rest.strip()
        return None


@dataclass
class Command:
    """A ``$ gametheory ...`` line, what the page shows as its output, and its expected status."""

    text: str
    shown: list[str]
    exit_code: int = 0


def parse_blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page (indented fences in lists included)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    pending: list[str] = []
    i = 0
    while i < len(lines):
        directive = DIRECTIVE.match(lines[i])
        if directive:
            pending.append(directive.group("what"))
            i += 1
            continue
        fence = FENCE.match(lines[i])
        if not fence:
            if lines[i].strip():
                pending = []
            i += 1
            continue
        indent, marker = len(fence.group("indent")), fence.group("fence")
        language = (fence.group("info").strip().split() or [""])[0].lower()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not re.match(rf"^ *{re.escape(marker[0])}{{{len(marker)},}}\s*$", lines[j]):
            body.append(lines[j][indent:] if lines[j][:indent].strip() == "" else lines[j])
            j += 1
        blocks.append(Block(page, i + 1, language, "\n".join(body), pending))
        pending = []
        i = j + 1
    return blocks


def console_commands(block: Block) -> list[Command]:
    """The gametheory commands of a console block, each with the output lines shown after it."""
    commands: list[Command] = []
    current: Command | None = None
    lines = block.text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            text = line[2:]
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text = text[:-1].rstrip() + " " + lines[i].strip()
            text = text.strip()
            current = Command(text, []) if text.split(" ", 1)[0] == "gametheory" else None
            if current is not None:
                commands.append(current)
        elif current is not None:
            code = EXIT_LINE.match(line.strip())
            if code and not current.shown:
                current.exit_code = int(code.group("code"))
            else:
                current.shown.append(line)
        i += 1
    return commands


def shell_commands(block: Block) -> list[Command]:
    """The lines of a bash/sh block that run gametheory (a leading '$ ' is allowed)."""
    commands = []
    for line in block.text.split("\n"):
        line = line.strip().removeprefix("$ ")
        if line.startswith("gametheory "):
            commands.append(Command(line, []))
    return commands


def line_pattern(shown: str) -> re.Pattern:
    """A shown output line as a pattern: whitespace runs are one space, '...' matches anything,
    a duration in seconds matches any duration."""
    pieces = []
    for piece in shown.split("..."):
        parts = SECONDS.split(" ".join(piece.split()))
        pieces.append(r"[\d,.]+ s".join(re.escape(part) for part in parts))
    return re.compile(".*".join(pieces))


def missing_lines(shown: list[str], actual: str) -> list[str]:
    """The shown output lines that match no line of the actual output."""
    actual_lines = [" ".join(line.split()) for line in actual.splitlines()]
    missing = []
    for line in shown:
        if not line.strip() or line.strip() == "...":
            continue
        pattern = line_pattern(line)
        if not any(pattern.search(candidate) for candidate in actual_lines):
            missing.append(line)
    return missing


def smaller(command: str) -> str:
    """The same command with smaller grids and samples (for examples marked 'smaller'): the
    example still has to run, but in a fraction of the time."""
    command, comment = re.match(r"^(.*?)(\s+#[^'\"]*)?$", command).groups()
    command = re.sub(
        r"(--vary\s+\w+=[^:\s]+:[^:\s]+:)(\d+)", lambda m: m.group(1) + str(min(int(m.group(2)), 11)), command
    )
    command = re.sub(
        r"((?:--samples|-n)\s+)([\d_]+)",
        lambda m: m.group(1) + str(min(int(m.group(2).replace("_", "")), 200)),
        command,
    )
    command = re.sub(r"(--points\s+)(\d+)", lambda m: m.group(1) + str(min(int(m.group(2)), 5)), command)
    if command.startswith("gametheory report") and "--param" not in command and "--no-thresholds" not in command:
        command += " --no-thresholds"
    return command + (comment or "")


def command_environment() -> dict[str, str]:
    """The environment the documented commands run in (and the command server starts in)."""
    env = {**os.environ, "MPLBACKEND": "Agg", "COLUMNS": "100"}
    env.pop("GAMETHEORY_DEBUG", None)
    return env


def run_command(
    command: Command, cwd: Path, *, check_output: bool, shrink: bool, server: str | None = None
) -> str | None:
    """Run one documented command (through the command server at ``server`` when given);
    return a description of the failure, or None."""
    text = smaller(command.text) if shrink else command.text
    if server:
        client = [sys.executable, "-I", "-S", str(COMMAND_SERVER), server]
        program = " ".join(shlex.quote(word) for word in client)
    else:
        program = f"{shlex.quote(sys.executable)} {shlex.quote(str(ROOT / 'cli.py'))}"
    script = program + text[len("gametheory") :]
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        env=command_environment(),
    )
    output = result.stdout + result.stderr
    if result.returncode != command.exit_code:
        return (
            f"$ {text}\nexited with {result.returncode}, the page says {command.exit_code}\n"
            f"stderr: {result.stderr.strip()[-2000:]}"
        )
    if check_output:
        missing = missing_lines(command.shown, output)
        if missing:
            shown = "\n".join(f"    {line}" for line in missing)
            return f"$ {text}\nthese lines shown on the page are not in its output:\n{shown}\noutput:\n{output[-3000:]}"
    return None


def run_python(block: Block, cwd: Path) -> str | None:
    """Run a python block (doctest if it has prompts, exec otherwise) in ``cwd``, warnings as errors."""
    name = block.where
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            warnings.filterwarnings("ignore", category=DeprecationWarning, module="mypy_extensions")
            if re.search(r"^>>> ", block.text, re.MULTILINE):
                parser = doctest.DocTestParser()
                test = parser.get_doctest(block.text, {"__name__": "__docs__"}, name, str(block.page), block.line)
                runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
                report: list[str] = []
                runner.run(test, out=report.append)
                if runner.failures:
                    return "".join(report)
            else:
                exec(compile(block.text, name, "exec"), {"__name__": "__docs__"})
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        os.chdir(previous)
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
    return None


def scratch_copy(tmp_path: Path) -> Path:
    """A directory holding copies of the inputs the examples read."""
    for item in INPUTS:
        shutil.copytree(ROOT / item, tmp_path / item)
    return tmp_path


def runnable(block: Block) -> bool:
    if block.directive("skip") is not None:
        return False
    if block.language in ("console",):
        return bool(console_commands(block))
    if block.language in ("bash", "sh", "shell"):
        return bool(shell_commands(block))
    return block.language in ("python", "pycon", "py") or block.directive("write") is not None


def page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


def run_page(page: Path, cwd: Path, server: str | None = None) -> list[str]:
    """Run every example of ``page`` in document order in ``cwd`` (commands through the command
    server at ``server`` when given); the failures, each with its location."""
    failures: list[str] = []
    for block in parse_blocks(page):
        if not runnable(block):
            continue
        required = block.directive("requires")
        if required and importlib.util.find_spec(required) is None:
            continue
        target = block.directive("write")
        if target:
            (cwd / target).write_text(block.text + "\n", encoding="utf-8")
            continue
        shrink = block.directive("smaller") is not None
        if block.language == "console":
            for command in console_commands(block):
                failure = run_command(command, cwd, check_output=not shrink, shrink=shrink, server=server)
                if failure:
                    failures.append(f"{block.where}: {failure}")
        elif block.language in ("bash", "sh", "shell"):
            for command in shell_commands(block):
                failure = run_command(command, cwd, check_output=False, shrink=shrink, server=server)
                if failure:
                    failures.append(f"{block.where}: {failure}")
        else:
            failure = run_python(block, cwd)
            if failure:
                failures.append(f"{block.where}: {failure}")
    return failures


class CommandServer:
    """tests/docs_commands.py serving this run's documented commands from a socket in ``directory``
    (keep its path short: at most about 100 bytes), or ``address`` None when it cannot (no Unix
    sockets or fork, the import failed or printed, ``DOCS_TEST_SUBPROCESS`` set); ``note`` says how
    the commands run."""

    def __init__(self, directory: Path) -> None:
        self.process: subprocess.Popen | None = None
        self.address: str | None = None
        self.note = "commands run as subprocesses"
        if os.environ.get("DOCS_TEST_SUBPROCESS") or not hasattr(socket, "AF_UNIX") or not hasattr(os, "fork"):
            return
        address = str(directory / "server.sock")
        with open(directory / "command-server.log", "w") as errors:
            self.process = subprocess.Popen(
                [sys.executable, str(COMMAND_SERVER), "serve", address],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                cwd=ROOT,
                env=command_environment(),
                text=True,
            )
        line = self._first_line()
        if line == "ready":
            self.address = address
            self.note = "commands run through the command server"
        else:
            self.note += f" (the command server: {line or 'no answer'})"
            self.close()

    def _first_line(self) -> str:
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(SERVER_START_TIMEOUT):
                return ""
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process.stdout.close()
            self.process = None
        self.address = None


#: Pages whose examples take longest (measured), started first so that none is left running alone at the end.
SLOW_PAGES = (  # CPU seconds of their commands, measured one page at a time (2026-12-07)
    "README.md",  # 40
    "docs/how-to/seminar-handout.md",  # 27
    "docs/how-to/thresholds.md",  # 24
    "docs/how-to/sweep.md",  # 19
    "docs/how-to/monte-carlo.md",  # 12
    "docs/how-to/dynamics.md",  # 12
    "docs/tutorial/first-session.md",  # 11
    "docs/how-to/analyst-questions.md",  # 10
    "docs/how-to/commitment.md",  # 8
    "docs/explanation/mixed-strategies.md",  # 4
    "docs/how-to/gambit.md",  # 3
    "docs/how-to/live-seminar-page.md",  # 2
)


def slow_first(page: Path) -> int:
    """The place of ``page`` in the order pages start in: the longest first."""
    name = page.relative_to(ROOT).as_posix() if page.is_absolute() else page.as_posix()
    return SLOW_PAGES.index(name) if name in SLOW_PAGES else len(SLOW_PAGES)


class PageRunner:
    """Runs pages in child processes (``python tests/test_docs.py --run PAGE ...``), several at once.

    Pages are independent (each has its own scratch directory), so they run in
    parallel, at most ``jobs`` at a time; within a page the examples run in
    order, the commands through one :class:`CommandServer` shared by all pages.
    ``result(page)`` waits for one page, starting it first if it is still
    queued. Until then only ``background_jobs`` pages run at a time, leaving a
    CPU to whatever else the session runs meanwhile.
    """

    def __init__(self, pages: list[Path], jobs: int, background_jobs: int | None = None) -> None:
        self.queue = sorted(pages, key=slow_first)
        self.base = Path(tempfile.mkdtemp(prefix="gametheory-docs-"))
        self.max_jobs = max(1, jobs)
        self.jobs = max(1, min(background_jobs or jobs, jobs))
        self.running: dict[Path, tuple[subprocess.Popen, Path, float]] = {}
        self.done: dict[Path, list[str]] = {}
        self.server = CommandServer(self.base)
        self._fill()

    def _start(self, page: Path) -> None:
        if not any(runnable(block) for block in parse_blocks(page)):
            self.done[page] = []
            return
        work = self.base / page_id(page).replace("/", "_")
        cwd = scratch_copy(work / "cwd")
        arguments = ["--run", str(page), "--cwd", str(cwd), "--result", str(work / "result.json")]
        if self.server is not None and self.server.address:
            arguments += ["--server", self.server.address]
        log = open(work / "log.txt", "w")  # noqa: SIM115 - closed when the child ends
        child = subprocess.Popen([sys.executable, __file__, *arguments], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        log.close()
        self.running[page] = (child, work, time.monotonic())

    def _fill(self) -> None:
        while self.queue and len(self.running) < self.jobs:
            self._start(self.queue.pop(0))

    def _collect(self) -> None:
        for page, (child, work, started) in list(self.running.items()):
            if child.poll() is None and time.monotonic() - started < PAGE_TIMEOUT:
                continue
            if child.returncode is None:
                child.kill()
                child.wait()
            del self.running[page]
            result = work / "result.json"
            if result.exists():
                self.done[page] = json.loads(result.read_text(encoding="utf-8"))
                if self.done[page]:
                    self.done[page].append(f"(the page ran in {work / 'cwd'}, kept)")
            else:
                log = (work / "log.txt").read_text(encoding="utf-8", errors="replace")
                self.done[page] = [f"{page_id(page)}: the page runner died (exit {child.returncode}):\n{log[-3000:]}"]
        self._fill()

    def result(self, page: Path) -> list[str]:
        self.jobs = self.max_jobs  # the caller waits now: every CPU is the pages'
        if page not in self.done and page not in self.running:
            if page in self.queue:
                self.queue.remove(page)
            self.queue.insert(0, page)
        while page not in self.done:
            self._collect()
            if page not in self.done:
                time.sleep(0.05)
        return self.done[page]

    def close(self) -> None:
        """Stop what still runs (pages, the command server); remove the scratch directories
        unless a page failed."""
        self.queue.clear()
        for child, _, _ in self.running.values():
            child.kill()
            child.wait()
        self.running.clear()
        if self.server is not None:
            self.server.close()
        if not any(self.done.values()):
            shutil.rmtree(self.base, ignore_errors=True)


PAGE_RUNNER = pytest.StashKey[PageRunner]()


def page_jobs() -> int:
    """How many pages run at once: ``DOCS_TEST_JOBS``, default the number of CPUs."""
    return int(os.environ.get("DOCS_TEST_JOBS", os.cpu_count() or 1))


def start_pages(config: pytest.Config, pages: list[Path], *, alongside_other_tests: bool = False) -> PageRunner:
    """Start running ``pages`` for this session. tests/conftest.py calls this when the session
    starts, so that they run while the rest of the suite does (on one CPU fewer until then).
    With no ``pages`` (a pytest-xdist worker), each page starts when its test asks for it."""
    runner = PageRunner(pages, page_jobs(), page_jobs() - 1 if alongside_other_tests else None)
    config.stash[PAGE_RUNNER] = runner
    config.add_cleanup(runner.close)
    return runner


def selected_pages(items: list[pytest.Item]) -> list[Path]:
    """The pages whose examples the session runs."""
    return [
        item.callspec.params["page"]
        for item in items
        if getattr(item, "originalname", None) == "test_examples" and hasattr(item, "callspec")
    ]


@pytest.fixture(scope="module")
def pages_run(request) -> PageRunner:
    """The pages of this session, already started (or started now, every selected page at once)."""
    runner = request.config.stash.get(PAGE_RUNNER, None)
    if runner is None:
        in_worker = hasattr(request.config, "workerinput")  # pytest-xdist shares the pages among its workers
        runner = start_pages(request.config, [] if in_worker else selected_pages(request.session.items))
    return runner


def _page_tests(page: Path) -> type:
    """The test of one page, in a class of its own: pytest-xdist's ``--dist loadscope`` (README's
    ``-n auto``) keeps a module's tests on one worker but gives each class its own unit, so each page
    can run on whichever worker is free."""

    @pytest.mark.parametrize("page", [page], ids=page_id)
    class Page:
        def test_examples(self, page: Path, pages_run: PageRunner) -> None:
            """Every example of the page runs, exits as the page says, and prints what the page shows."""
            failures = pages_run.result(page)
            assert not failures, "\n\n".join(failures)

    Page.__name__ = Page.__qualname__ = "TestPage_" + re.sub(r"\W", "_", page_id(page))
    return Page


for _page in PAGES:
    _tests = _page_tests(_page)
    globals()[_tests.__name__] = _tests


# ---------------------------------------------------------------- the pages themselves

TEACHING_PAGES = ["docs/tutorial/first-session.md", "docs/how-to/write-a-scenario.md"]


def test_every_page_is_checked() -> None:
    """README and the tutorial and how-to pages contain examples that actually run (so the test above bites)."""
    pages = {page_id(p): p for p in PAGES}
    for name in ["README.md", *TEACHING_PAGES, *(page_id(p) for p in sorted((DOCS / "how-to").glob("*.md")))]:
        assert name in pages, f"{name} is missing"
        assert any(runnable(b) for b in parse_blocks(pages[name])), f"{name} has no example that runs"


def test_documented_output_is_compared() -> None:
    """The tutorial shows real output and the test compares it: a page without shown output would check nothing."""
    shown = [
        line
        for b in parse_blocks(ROOT / TEACHING_PAGES[0])
        if b.language == "console"
        for c in console_commands(b)
        for line in c.shown
        if line.strip() and line.strip() != "..."
    ]
    assert len(shown) >= 20


def test_docs_map_lists_every_page() -> None:
    """docs/README.md (the map of the docs) links every page under docs/."""
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    linked = {(DOCS / target).resolve() for target in re.findall(r"\]\(([^)#\s]+)", index)}
    pages = [p for p in [*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")] if p.name != "README.md"]
    missing = [str(p.relative_to(ROOT)) for p in pages if p.resolve() not in linked]
    assert not missing, f"not linked from docs/README.md: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_relative_links_resolve(page: Path) -> None:
    """Every relative link of a page points to a file or directory that exists."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        if not (page.parent / target.split("#")[0]).exists():
            broken.append(target)
    assert not broken, f"{page_id(page)}: broken links {broken}"


def test_cli_reference_is_current() -> None:
    """docs/reference/cli.md is what docs/gen_cli_reference.py renders from the code."""
    spec = importlib.util.spec_from_file_location("gen_cli_reference", DOCS / "gen_cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    assert current == module.render(), (
        "docs/reference/cli.md is out of date with the command-line code: "
        "regenerate it with `python3 docs/gen_cli_reference.py`"
    )


def test_cli_reference_names_every_command_and_option() -> None:
    """The generated reference mentions each command and each of its options (checked against click directly)."""
    import click

    from gametheory.cli import app

    text = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    ctx = click.Context(app, info_name="gametheory")
    for name in app.list_commands(ctx):
        assert f"## gametheory {name}\n" in text
        for param in app.get_command(ctx, name).params:
            if isinstance(param, click.Option) and not param.hidden:
                assert any(f"`{opt}" in text or f", {opt}" in text for opt in param.opts), (name, param.opts)


# ---------------------------------------------------------------- the checker itself


def test_output_check_finds_a_wrong_line() -> None:
    """A shown line that the command did not print is reported; '...' and durations are wildcards."""
    actual = "2,501 points in 4.36 s: 5 regime(s)\n    68.6%  pure(hold,target,stay_out)\n"
    assert missing_lines(["2,501 points in 0.9 s: 5 regime(s)", "68.6% pure(...)", "..."], actual) == []
    assert missing_lines(["68.7%  pure(hold,target,stay_out)"], actual) == ["68.7%  pure(hold,target,stay_out)"]
    assert missing_lines(["3 regime(s)"], actual) == ["3 regime(s)"]


def test_console_parsing(tmp_path: Path) -> None:
    """Commands, continuation lines, shown output and '# exit N' are read as documented."""
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- docs-test: smaller -->\n"
        "```console\n"
        "$ gametheory sweep g.json --vary x=0:1:301 \\\n"
        "    --out m.csv\n"
        "90,000 points\n"
        "$ gametheory solve bad.nfg\n"
        "# exit 2\n"
        "error: bad.nfg: line 3\n"
        "$ dask scheduler\n"
        "tcp://10.0.0.5:8786\n"
        "```\n",
        encoding="utf-8",
    )
    (block,) = parse_blocks(page)
    assert block.directive("smaller") == "" and block.line == 2
    first, second = console_commands(block)
    assert first.text == "gametheory sweep g.json --vary x=0:1:301 --out m.csv" and first.shown == ["90,000 points"]
    assert second.exit_code == 2 and second.shown == ["error: bad.nfg: line 3"]
    assert smaller(first.text) == "gametheory sweep g.json --vary x=0:1:11 --out m.csv"
    assert smaller("gametheory montecarlo g.json -n 1000000 --seed 1") == "gametheory montecarlo g.json -n 200 --seed 1"
    assert (
        smaller("gametheory report g.json --out h.html  # a handout")
        == "gametheory report g.json --out h.html --no-thresholds  # a handout"
    )


def main(argv: list[str]) -> int:
    """``python tests/test_docs.py PAGE...``: run pages by hand. ``--run PAGE --cwd DIR --result FILE
    [--server SOCKET]``: the page runner that :class:`PageRunner` starts for one page."""
    parser = argparse.ArgumentParser(description="Run the examples of documentation pages.")
    parser.add_argument("pages", nargs="*", type=Path, help="pages to run by hand (default: every page)")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cwd", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--server", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # the examples import gametheory from this checkout
    if args.run:
        failures = run_page(args.run.resolve(), args.cwd, args.server)
        args.result.write_text(json.dumps(failures), encoding="utf-8")
        return 0
    pages = [page.resolve() for page in args.pages] or PAGES
    runner = PageRunner(pages, page_jobs())
    try:
        failures = [failure for page in pages for failure in runner.result(page)]
    finally:
        runner.close()
    print("\n\n".join(failures) if failures else f"{len(pages)} page(s): every example ran as shown")
    print(f"({runner.server.note})" if runner.server else "")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
