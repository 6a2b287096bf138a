"""Serve the local model on loopback with `llama-cpp-python[server]`, and run a command against it.

`python -m idpilot.llm.local_server -- COMMAND...` assembles and verifies the model
(`local_model`), starts `python -m llama_cpp.server` on 127.0.0.1 with the model's own chat
template (small models write their tool call as JSON in the content, which idpilot reads), a
4,096-token context and no saved prompt states (the server still reuses the prefix the last
request shares), waits until it answers, runs COMMAND with the `IDPILOT_LLM_*` settings
pointing at it (replies held to idpilot's JSON schemas, skills offered as signatures), stops
the server and exits with COMMAND's exit code. `make test-llm` runs the `llm` tests and
`idpilot eval --llm` this way.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from idpilot.errors import IdpilotError
from idpilot.llm.local_model import assemble_model

MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"
CONTEXT_TOKENS = 4096
"""Enough for the flat planning tool (about 2,100 tokens) and an agent step with the skills as
signatures (about 1,500 plus the evidence shown). `--cache` (saved states for several prefixes)
stays off: each state copies the context and the last batch's logits, and it grew to 22 GB."""
STARTUP_SECONDS = 180.0
"""Longest wait for the server to load the model and answer."""
REQUEST_TIMEOUT_SECONDS = 600
"""A model call may take this long on two busy cores: the first of each kind evaluates its
whole fixed prompt (later ones find it in the prompt cache)."""


def free_port() -> int:
    """A TCP port on loopback nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def thread_count() -> int:
    """Threads for the model: `IDPILOT_LOCAL_MODEL_THREADS`, else every core, but one on a
    machine already busier than its cores (threads that wait for each other at every layer
    stall whenever one is descheduled: measured 11 s a token with two, 1 s with one)."""
    configured = os.environ.get("IDPILOT_LOCAL_MODEL_THREADS", "").strip()
    if configured:
        return max(int(configured), 1)
    cores = os.cpu_count() or 1
    return 1 if os.getloadavg()[0] >= cores else cores


def server_command(model: Path, port: int) -> list[str]:
    """The llama.cpp server's command line: loopback only, logits of the last token only (the
    server's default keeps them for the whole context), no saved prompt states."""
    threads = str(thread_count())
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model), "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(CONTEXT_TOKENS), "--n_threads", threads, "--n_threads_batch", threads,
        "--logits_all", "false",
    ]  # fmt: skip


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise IdpilotError(f"the llama.cpp server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise IdpilotError(f"the llama.cpp server did not answer within {STARTUP_SECONDS:.0f} s")


@contextmanager
def serving(model: Path, log: Path | None = None) -> Iterator[str]:
    """The server's base URL (`http://127.0.0.1:PORT/v1`) while the block runs."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    out = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(server_command(model, port), stdout=out, stderr=out)
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log and not isinstance(out, int):
            out.close()


def settings_for(url: str) -> dict[str, str]:
    """The `IDPILOT_LLM_*` environment that points idpilot at the served model."""
    return {
        "IDPILOT_LLM_PROVIDER": "openai",
        "IDPILOT_LLM_BASE_URL": url,
        "IDPILOT_LLM_MODEL": MODEL_ALIAS,
        "IDPILOT_LLM_API_KEY": "local",
        # llama-cpp-python's server takes a schema as json_object (it refuses json_schema); the
        # flat schemas make a grammar that costs little per token.
        "IDPILOT_LLM_RESPONSE_FORMAT": "json_object",
        "IDPILOT_LLM_SMALL_CONTEXT": "true",
        "IDPILOT_LLM_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT_SECONDS),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the model, run the command after `--` against it, return the command's exit code."""
    parser = argparse.ArgumentParser(prog="python -m idpilot.llm.local_server")
    parser.add_argument("--log", type=Path, help="append the server's output to this file")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    model = assemble_model()
    print(f"local model: {model} (SHA-256 verified)", flush=True)
    with serving(model, args.log) as url:
        print(f"llama.cpp server: {url}", flush=True)
        return subprocess.call(command, env={**os.environ, **settings_for(url)})


if __name__ == "__main__":
    sys.exit(main())
