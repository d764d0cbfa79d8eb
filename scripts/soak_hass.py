"""What the soak and the kill-during-receive run share: the emulated stick as its own process, a
real Home Assistant process set up with it (onboarded, the stick added, an automation that reports
every ``huawei_modem_sms_received`` event), the witness those reports go to, and the tally.

Not a run itself: ``scripts/soak`` runs ``scripts.soak_kill`` or ``scripts.soak_faults``.
The automation reports each event through ``rest_command`` to a small HTTP server in this process,
so what it heard survives any restart of Home Assistant (the recorder would lose the last seconds
of a SIGKILL).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp

from emulator import control
from tests.real_hass import ROOT, free_tcp_port, onboard, render, request, wait_until_serving

HASS = ROOT / ".venv-hass" / "bin" / "hass"
SENDER = "+491701234567"
SIGNAL = "sensor.huawei_e3372_signal_strength"
AUTOMATION = "automation.soak_heard"
START_TIMEOUT = 300.0
# A short SMS fits one part; a long one takes two or three (GSM 7-bit, 153 characters a part).
LONG_FILLER = "The quick brown fox jumps over the lazy dog, then does it again. " * 5


def shown(state: str) -> bool:
    """An entity's state that is a value (not missing, unavailable or unknown)."""
    return state not in ("down", "absent", "unavailable", "unknown")


def in_work_folder(
    run: Callable[[argparse.Namespace, Path], int], args: argparse.Namespace, prefix: str
) -> int:
    """``run(args, folder)`` in ``args.dir``, or in a new folder in /tmp."""
    workdir = args.dir or Path(tempfile.mkdtemp(prefix=prefix))
    workdir.mkdir(parents=True, exist_ok=True)
    return run(args, workdir.resolve())


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def numbered_text(kind: str, number: int, rng: random.Random) -> str:
    """A text that names its number; a quarter of them long (multi-part)."""
    if rng.random() < 0.25:
        # No space at the end: Home Assistant strips what its templates render.
        return f"{kind} {number} long: {LONG_FILLER[: rng.randrange(170, 320)].rstrip()}"
    return f"{kind} {number} short"


def number_of(text: str) -> int | None:
    """The number ``numbered_text`` put into ``text``."""
    words = text.split(maxsplit=2)
    return int(words[1]) if len(words) > 1 and words[1].isdigit() else None


# --- the emulated stick --------------------------------------------------------------------------


class Emulator:
    """``python -m emulator serve`` in its own process, driven over its control socket."""

    def __init__(self, workdir: Path, seed: int) -> None:
        self.link_dir = workdir / "stick"
        self.log = workdir / "emulator.log"
        self.seed = seed
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.link_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "emulator", "serve", "--model", "E3372",
                 "--link-dir", self.link_dir, "--seed", str(self.seed), "--noise", "10"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while not (self.link_dir / control.SOCKET_NAME).exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the emulator did not start (see {self.log})")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def control(self, action: str, **fields: Any) -> dict[str, Any]:
        """One control request (from any thread); raises RuntimeError on a refusal."""
        answer = asyncio.run(control.request(self.link_dir, {"action": action, **fields}, 30))
        if not answer.get("ok"):
            raise RuntimeError(f"emulator {action}: {answer.get('error')}")
        return answer

    @property
    def pcui_path(self) -> str:
        return str(self.control("status")["stable_paths"]["pcui"])

    def sim(self) -> dict[str, Any]:
        """What the SIM holds (``used``, ``capacity``) and how many SMS the network holds back."""
        answer = self.control("storage")
        return dict(answer["memories"]["SM"]) | {"held_back": answer["held_back"]}


# --- the witness ---------------------------------------------------------------------------------


class Witness:
    """Where the automation reports every event it heard (a POST of the SMS's text)."""

    def __init__(self) -> None:
        self.heard: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        witness = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with witness._lock:
                    witness.heard.append((time.monotonic(), body.decode("utf-8", "replace")))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts(self) -> list[str]:
        with self._lock:
            return [text for _, text in self.heard]

    def stop(self) -> None:
        self.server.shutdown()


# --- a real Home Assistant -----------------------------------------------------------------------


CONFIGURATION = """\
# Written by scripts/soak.
homeassistant:
  name: Soak
  latitude: 52.52
  longitude: 13.40
  elevation: 34
  unit_system: metric
  time_zone: Europe/Berlin
  country: DE
automation: !include automations.yaml
rest_command:
  soak_heard:
    url: "http://127.0.0.1:{witness_port}/heard"
    method: post
    content_type: "text/plain; charset=utf-8"
    payload: "{{{{ text }}}}"
logger:
  default: warning
  logs:
    custom_components.huawei_modem: info
"""

# Every event is reported, however many arrive at once (``parallel``: none waits for another).
AUTOMATIONS = """\
- id: soak_heard
  alias: Soak heard
  mode: parallel
  max: 1000
  triggers:
    - trigger: event
      event_type: huawei_modem_sms_received
  actions:
    - action: rest_command.soak_heard
      data:
        text: "{{ trigger.event.data.text }}"
"""


@dataclass
class Life:
    """One Home Assistant process: when it started, how it ended, its memory on the way."""

    pid: int
    started: float
    log: Path
    ended: float | None = None
    how: str = ""
    rss_kib: list[tuple[float, int]] = field(default_factory=list)


class HomeAssistant:
    """A real ``hass`` on a free port with this checkout's integration; started again and again."""

    def __init__(self, workdir: Path, witness_port: int) -> None:
        self.config = workdir / "config"
        self.logs = workdir / "logs"
        self.port = free_tcp_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.token = ""
        self.process: subprocess.Popen[bytes] | None = None
        self.lives: list[Life] = []
        self._write_configuration(witness_port)

    def _write_configuration(self, witness_port: int) -> None:
        components = self.config / "custom_components"
        components.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(parents=True, exist_ok=True)
        link = components / "huawei_modem"
        if not link.is_symlink():
            link.symlink_to(ROOT / "custom_components" / "huawei_modem")
        text = CONFIGURATION.format(witness_port=witness_port)
        (self.config / "configuration.yaml").write_text(text, encoding="utf-8")
        (self.config / "automations.yaml").write_text(AUTOMATIONS, encoding="utf-8")
        storage = self.config / ".storage"
        storage.mkdir(exist_ok=True)
        # Current releases keep the HTTP server's settings here (see scripts/develop).
        http = {
            "version": 3, "minor_version": 1, "key": "http",
            "data": {
                "stable": {
                    "server_host": ["127.0.0.1"], "server_port": self.port,
                    "cors_allowed_origins": [], "login_attempts_threshold": -1,
                    "ip_ban_enabled": False, "ssl_profile": "intermediate_v6",
                    "use_x_frame_options": True,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "error": None, "error_message": None,
                },
                "pending": None,
                "yaml_migration_done": True,
            },
        }  # fmt: skip
        (storage / "http").write_text(json.dumps(http), encoding="utf-8")

    # --- the process ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        log = self.logs / f"hass-{len(self.lives) + 1:03d}.log"
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [HASS, "-c", self.config], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
            )
        self.lives.append(Life(self.process.pid, time.monotonic(), log))

    def wait_serving(self) -> None:
        wait_until_serving(self.base_url, timeout=START_TIMEOUT)

    def stop(self, signum: int = signal.SIGTERM) -> None:
        """Stop it with ``signum``; a SIGTERM that takes over two minutes is followed by SIGKILL."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        self.sample_memory()
        process.send_signal(signum)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            say("Home Assistant did not stop within 2 minutes of SIGTERM: SIGKILL")
            process.kill()
            process.wait()
        self.lives[-1].ended = time.monotonic()
        self.lives[-1].how = signal.Signals(signum).name

    def sample_memory(self) -> None:
        """The running process's resident memory (VmRSS), kept with its life."""
        if not self.running:
            return
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.lives[-1].pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    self.lives[-1].rss_kib.append((time.monotonic(), int(line.split()[1])))

    # --- talking to it -------------------------------------------------------------------------

    def api(self, path: str, json_body: Any = None) -> Any:
        return request(f"{self.base_url}{path}", token=self.token, json_body=json_body)

    def state(self, entity_id: str) -> str:
        """The entity's state: ``absent`` while Home Assistant does not know it, ``down`` while
        Home Assistant does not answer."""
        try:
            return str(self.api(f"/api/states/{entity_id}")["state"])
        except urllib.error.HTTPError as err:
            return "absent" if err.code == 404 else "down"
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return "down"

    def wait_for(self, entity_id: str, good: Callable[[str], bool], limit: float) -> bool:
        deadline = time.monotonic() + limit
        while not good(self.state(entity_id)):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)
        return True

    def wait_ready(self) -> None:
        """Serving, the automation listening and the stick's signal shown."""
        self.wait_serving()
        for entity_id in (AUTOMATION, SIGNAL):
            if not self.wait_for(entity_id, shown, START_TIMEOUT):
                raise RuntimeError(f"{entity_id} did not come up: {self.state(entity_id)}")

    # --- the first start -----------------------------------------------------------------------

    def set_up(self, emulator: Emulator) -> None:
        """Onboarding, a token for the whole run, the stick added with no hourly SMS limit to
        speak of, then a clean restart so that all of it is on disk before anything is killed."""
        self.start()
        self.wait_serving()
        self.token = asyncio.run(long_lived_token(self.base_url, onboard(self.base_url)))
        entry_id = self._add_stick(emulator.pcui_path)
        self._set_options(entry_id)
        self.wait_ready()
        self.stop(signal.SIGTERM)
        self.start()
        self.wait_ready()

    def _add_stick(self, pcui_path: str) -> str:
        flows = "/api/config/config_entries/flow"
        form = self.api(flows, {"handler": "huawei_modem"})
        done = self.api(f"{flows}/{form['flow_id']}", {"device": pcui_path})
        if done.get("type") != "create_entry":
            raise RuntimeError(f"adding the stick: {done}")
        return str(done["result"]["entry_id"])

    def _set_options(self, entry_id: str) -> None:
        flows = "/api/config/config_entries/options/flow"
        form = self.api(flows, {"handler": entry_id})
        options = {
            "scan_interval": 30,
            "delete_received": True,
            "reject_calls_after": 0,
            "max_parts_per_message": 10,
            "max_parts_per_hour": 10000,
        }
        done = self.api(f"{flows}/{form['flow_id']}", options)
        if done.get("type") != "create_entry":
            raise RuntimeError(f"setting the options: {done}")

    def device_id(self) -> str:
        return render(self.base_url, self.token, f"{{{{ device_id('{SIGNAL}') }}}}")


async def long_lived_token(base_url: str, access_token: str) -> str:
    """A token that outlives the 30 minutes of an access token (websocket API)."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{base_url}/api/websocket") as socket,
    ):
        await socket.receive_json()  # auth_required
        await socket.send_json({"type": "auth", "access_token": access_token})
        await socket.receive_json()  # auth_ok
        await socket.send_json(
            {"id": 1, "type": "auth/long_lived_access_token", "client_name": "soak", "lifespan": 30}
        )
        answer = await socket.receive_json()
    return str(answer["result"])


# --- the tally -----------------------------------------------------------------------------------


@dataclass
class Received:
    """Incoming SMS: what the emulator delivered against what the automation heard."""

    delivered: dict[int, str]
    heard: list[str]

    @property
    def counts(self) -> Counter[int]:
        return Counter(n for text in self.heard if (n := number_of(text)) is not None)

    @property
    def lost(self) -> list[int]:
        return sorted(n for n in self.delivered if n not in self.counts)

    @property
    def duplicated(self) -> list[int]:
        return sorted(n for n, count in self.counts.items() if count > 1)

    @property
    def mangled(self) -> list[str]:
        """Heard texts that are not what was delivered (a part missing, or a stranger)."""
        return [text for text in self.heard if self.delivered.get(number_of(text) or -1) != text]

    @property
    def bad(self) -> bool:
        return bool(self.lost or self.duplicated or self.mangled)

    def report(self) -> list[str]:
        return [
            f"SMS delivered by the emulator: {len(self.delivered)}",
            f"events heard by the automation: {len(self.heard)}",
            f"lost: {len(self.lost)} {self.lost or ''}".rstrip(),
            f"duplicated: {len(self.duplicated)} {self.duplicated or ''}".rstrip(),
            f"heard but not as sent: {len(self.mangled)} {self.mangled[:5] or ''}".rstrip(),
        ]


def drain(hass: HomeAssistant, emulator: Emulator, witness: Witness, expected: int) -> None:
    """Wait until the SIM is empty and nothing more is heard for 15 s (at most 5 minutes)."""
    deadline = time.monotonic() + 300
    quiet_since, count = time.monotonic(), -1
    while time.monotonic() < deadline:
        sim = emulator.sim()
        heard = len(witness.texts())
        if heard != count:
            quiet_since, count = time.monotonic(), heard
        empty = sim["used"] == 0 and sim["held_back"] == 0
        if empty and (heard >= expected or time.monotonic() - quiet_since > 15):
            return
        time.sleep(1)
    say(f"still not drained after 5 minutes: {emulator.sim()}")


# What Home Assistant says of a stick that goes away and comes back: expected in these runs.
EXPECTED_LOG = (
    "which has not been tested by Home Assistant",
    "Error fetching huawei_modem",
    "data recovered",
    "The stick went away",
    "is not ready",
    "Stick away",
    # A send that failed: Home Assistant's API logs the action's translated error (and its cause).
    "Error during service call to huawei_modem.send_sms: The SMS to",
    "homeassistant.exceptions.HomeAssistantError: The SMS to",
    "Error during service call to huawei_modem.send_sms: The stick did not confirm the SMS",
    "homeassistant.exceptions.HomeAssistantError: The stick did not confirm the SMS",
)


def log_lines(hass: HomeAssistant) -> Iterator[str]:
    for life in hass.lives:
        with contextlib.suppress(FileNotFoundError):
            yield from life.log.read_text(errors="replace").splitlines()


def reconnects(hass: HomeAssistant) -> int:
    """How often the integration got its stick back after losing it (the coordinator's log)."""
    return sum("huawei_modem" in line and "data recovered" in line for line in log_lines(hass))


def traceback_at(lines: list[str], index: int) -> list[str]:
    """The traceback starting at ``lines[index]``, up to the next dated log line."""
    end = index + 1
    while end < len(lines) and not lines[end][:4].isdigit():
        end += 1
    return lines[index:end]


def unexpected_log(hass: HomeAssistant) -> list[str]:
    """Lines at ERROR or above, and tracebacks, that name the integration and are not expected."""
    lines = list(log_lines(hass))
    found = []
    for index, line in enumerate(lines):
        serious = any(f" {level} (" in line for level in ("ERROR", "CRITICAL"))
        told = " | ".join(traceback_at(lines, index)) if line.startswith("Traceback") else line
        ours = "huawei_modem" in told and not any(known in told for known in EXPECTED_LOG)
        if (serious or told != line) and ours:
            found.append(told)
    return found


def memory_report(hass: HomeAssistant) -> list[str]:
    """RSS at the first and last sample of every life that lasted a minute or more."""
    report = []
    for number, life in enumerate(hass.lives, start=1):
        if len(life.rss_kib) < 2 or life.rss_kib[-1][0] - life.rss_kib[0][0] < 60:
            continue
        (t0, first), (t1, last) = life.rss_kib[0], life.rss_kib[-1]
        report.append(
            f"  start {number}: {first / 1024:.0f} MiB -> {last / 1024:.0f} MiB over "
            f"{(t1 - t0) / 60:.1f} min ({(last - first) / 1024:+.1f} MiB)"
        )
    return report
