"""Serve the local model on loopback with `llama-cpp-python[server]`, and run a command against it.

`python -m idpilot.llm.local_server -- COMMAND...` assembles and verifies the model
(`local_model`), starts `python -m llama_cpp.server` on 127.0.0.1 with the model's own chat
template (small models write their tool call as JSON in the content, which idpilot reads) and
a prompt cache (the fixed system prompts stay evaluated between questions), waits until it
answers, runs COMMAND with the `IDPILOT_LLM_*` settings pointing at it, stops the server and
exits with COMMAND's exit code. `make test-llm` runs the `llm` tests and `idpilot eval --llm`
this way.
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
CONTEXT_TOKENS = 16384
"""The planning tool's schema is about 4,000 tokens and the agent loop's 26 skill tools about
8,000: 4,096 would refuse both."""
PROMPT_CACHE_BYTES = 512 << 20
"""Saved model states kept for prompt prefixes (planning, agent step, composer), as the server
counts them (each also copies the last batch's logits, about 300 MB more). `--logits_all false`
matters: the server's default keeps logits for the whole context (10 GB at 16,384 tokens) and
copies them into every saved state, which ran the machine out of memory."""
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
    """The llama.cpp server's command line: loopback only, logits of the last token only, a
    bounded prompt cache."""
    threads = str(thread_count())
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model), "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(CONTEXT_TOKENS), "--n_threads", threads, "--n_threads_batch", threads,
        "--logits_all", "false", "--cache", "true", "--cache_size", str(PROMPT_CACHE_BYTES),
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
        # The call comes back as JSON in the content anyway; a grammar built from the planning
        # tool's schema made each token about five times slower here.
        "IDPILOT_LLM_JSON_SCHEMA": "false",
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
