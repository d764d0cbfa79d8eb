"""The soak: the emulated stick's faults at random (garbage, stalled and cut replies, missing
finals, noise inside replies, unsolicited storms, unplug/replug, resets, a full SIM) while SMS
flow both ways (incoming from the emulated network, outgoing through ``huawei_modem.send_sms``
over the REST API) and a real Home Assistant is restarted now and then (SIGTERM mostly).

    scripts/soak [--minutes 10] [--seed N] [--restart-every 150] [--dir FOLDER]

One fault at a time: it is switched on, it ends, and the stick must be shown again (the signal
sensor) before the next one; the SMS never stop.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import threading
import time
import urllib.error
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scripts.soak_hass import (
    SENDER,
    SIGNAL,
    Emulator,
    HomeAssistant,
    Received,
    Witness,
    drain,
    in_work_folder,
    memory_report,
    number_of,
    numbered_text,
    reconnects,
    say,
    shown,
    unexpected_log,
)
from tests.real_hass import request

RECIPIENT = "+4915201234567"
RECOVERY_LIMIT = 180.0  # a stick not shown again this long after a fault ended fails the run
UNCONFIRMED = "may have gone out"
"""What the error of a send the stick never confirmed says (it may have gone out)."""
SEND_ANSWER_WITHIN = 150.0
"""Seconds a send_sms call may take: the network may answer a part in up to 60 s (the modem's
sms_timeout), and a send waits for the status poll it queues behind."""


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long faults go on")
    parser.add_argument("--restart-every", type=float, default=150.0, metavar="SECONDS",
                        help="mean time between restarts of Home Assistant")  # fmt: skip
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--dir", type=Path, help="work folder (default: a new one in /tmp)")
    return parser.parse_args(argv)


# --- sending -------------------------------------------------------------------------------------


@dataclass
class Sends:
    """Every send_sms call: its text and what the action answered."""

    ok: dict[int, str] = field(default_factory=dict)
    failed: dict[int, tuple[str, str]] = field(default_factory=dict)  # number -> (text, error)
    interrupted: dict[int, str] = field(default_factory=dict)  # Home Assistant went down meanwhile
    not_tried: int = 0  # Home Assistant was down


def send_all(
    hass: HomeAssistant, stop: threading.Event, seed: int, sends: Sends, restarting: threading.Event
) -> None:
    """One SMS every two seconds or so through the action, as an automation would send it."""
    rng = random.Random(seed + 1)
    device_id, number = "", 0
    while not stop.wait(rng.uniform(1.0, 3.0)):
        if restarting.is_set() or not hass.running:
            sends.not_tried += 1
            continue
        try:
            device_id = device_id or hass.device_id()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            sends.not_tried += 1
            continue
        number += 1
        text = numbered_text("OUT", number, rng)
        lives = len(hass.lives)
        body = {"device_id": device_id, "number": [RECIPIENT], "message": text}
        try:
            request(
                f"{hass.base_url}/api/services/huawei_modem/send_sms?return_response",
                token=hass.token,
                json_body=body,
                timeout=SEND_ANSWER_WITHIN,
            )
        except urllib.error.HTTPError as err:
            message = err.read().decode(errors="replace")
            sends.failed[number] = (text, message)
        except urllib.error.URLError as err:
            if isinstance(err.reason, ConnectionRefusedError):
                sends.not_tried += 1  # Home Assistant was not there: nothing was asked of it
                number -= 1
            elif len(hass.lives) != lives or restarting.is_set() or not hass.running:
                sends.interrupted[number] = text
            else:
                sends.failed[number] = (text, f"no answer: {err}")
        except (ConnectionError, TimeoutError) as err:
            if len(hass.lives) != lives or restarting.is_set() or not hass.running:
                sends.interrupted[number] = text
            else:
                sends.failed[number] = (text, f"no answer: {err}")
        else:
            sends.ok[number] = text


def listed(numbers: list[int]) -> str:
    """``3 [4, 9, 12]``, or ``0``."""
    return f"{len(numbers)} {numbers}" if numbers else "0"


def send_report(sends: Sends, sent: list[str]) -> tuple[list[str], bool]:
    """Each send's outcome against the emulator's list of what went out."""
    went_out = Counter(sent)
    ok_lost = [n for n, text in sends.ok.items() if not went_out[text]]
    failed_sent = [n for n, (text, _) in sends.failed.items() if went_out[text]]
    wrongly_denied = [  # sent, though the error said it was not (not "may have gone out")
        n for n in failed_sent if UNCONFIRMED not in sends.failed[n][1]
    ]
    unclear = [n for n, (_, error) in sends.failed.items() if '"message"' not in error]
    duplicated = [text for text, count in went_out.items() if count > 1]
    interrupted_out = sum(1 for text in sends.interrupted.values() if went_out[text])
    errors = Counter(error[:160] for _, error in sends.failed.values())
    lines = [
        f"SMS sent through send_sms: {len(sends.ok) + len(sends.failed) + len(sends.interrupted)}"
        f" (not tried while Home Assistant was down: {sends.not_tried})",
        f"  delivered to the network: {len(sends.ok) - len(ok_lost)}",
        f"  failed with an error: {len(sends.failed)} (of them sent though reported failed: "
        f"{listed(failed_sent)}; said to have failed for sure: {listed(wrongly_denied)})",
        f"  interrupted by a restart: {len(sends.interrupted)} ({interrupted_out} went out)",
        f"  lost (the action said OK, the network has none): {listed(ok_lost)}",
        f"  sent twice: {len(duplicated)}",
        f"  failed without a clear error: {listed(unclear)}",
    ]
    lines += [f"    {count} x {error}" for error, count in errors.most_common(8)]
    return lines, bool(ok_lost or duplicated or unclear or wrongly_denied)


# --- receiving -----------------------------------------------------------------------------------


def receive_all(
    emulator: Emulator, stop: threading.Event, seed: int, delivered: dict[int, str]
) -> None:
    """An SMS every two seconds or so from the emulated network."""
    rng = random.Random(seed + 2)
    number = 0
    while not stop.wait(rng.uniform(1.0, 3.0)):
        number += 1
        text = numbered_text("IN", number, rng)
        emulator.control("sms", sender=SENDER, text=text)
        delivered[number] = text


# --- watching ------------------------------------------------------------------------------------


@dataclass
class Watch:
    """The signal sensor's state over time, and the Home Assistant process's memory."""

    states: list[tuple[float, str]] = field(default_factory=list)

    def run(self, hass: HomeAssistant, stop: threading.Event) -> None:
        last_memory = 0.0
        while not stop.wait(0.5):
            self.states.append((time.monotonic(), hass.state(SIGNAL)))
            if time.monotonic() - last_memory > 10:
                hass.sample_memory()
                last_memory = time.monotonic()

    def unavailable_after(self, ended: float, until: float) -> float:
        """How long after ``ended`` the stick was last shown unavailable before ``until``."""
        last_bad = None
        for at, state in self.states:
            if ended <= at <= until and state == "unavailable":
                last_bad = at
        return 0.0 if last_bad is None else last_bad - ended + 0.5


# --- faults --------------------------------------------------------------------------------------


def fault_actions(emulator: Emulator, rng: random.Random) -> dict[str, Callable[[], object]]:
    """Each fault: switch it on and return once it has ended."""
    capacity = int(emulator.sim()["capacity"])

    def for_a_while(on: Callable[[], object], off: Callable[[], object], seconds: float) -> None:
        on()
        time.sleep(seconds)
        off()

    return {
        "garbage": lambda: emulator.control("garbage"),
        "stalled reply": lambda: emulator.control("fault", stall_next=1),
        "cut reply": lambda: emulator.control("fault", cut_next=1, cut_pause=rng.uniform(0.05, 2)),
        "missing final": lambda: emulator.control("fault", drop_final_next=1),
        "noise in replies": lambda: for_a_while(
            lambda: emulator.control("fault", noise_in_replies=0.5),
            lambda: emulator.control("fault", noise_in_replies=0.0),
            rng.uniform(5, 15),
        ),
        "storm": lambda: emulator.control("storm", count=rng.randrange(100, 2000)),
        "unplug/replug": lambda: for_a_while(
            lambda: emulator.control("unplug"),
            lambda: emulator.control("replug"),
            rng.uniform(0.5, 20),
        ),
        "reset": lambda: emulator.control("reset"),
        "SIM full": lambda: for_a_while(
            lambda: emulator.control("storage", capacity=1),
            lambda: emulator.control("storage", capacity=capacity),
            rng.uniform(5, 20),
        ),
    }


def run(args: argparse.Namespace, workdir: Path) -> int:  # noqa: PLR0915
    rng = random.Random(args.seed)
    witness = Witness()
    emulator = Emulator(workdir, args.seed)
    hass = HomeAssistant(workdir, witness.port)
    delivered: dict[int, str] = {}
    sends = Sends()
    watch = Watch()
    faults: Counter[str] = Counter()
    restarts: Counter[str] = Counter()
    recovery: list[tuple[float, str]] = []
    stop, restarting = threading.Event(), threading.Event()
    threads: list[threading.Thread] = []
    try:
        emulator.start()
        say(f"setting up Home Assistant in {workdir} (seed {args.seed})")
        hass.set_up(emulator)
        actions = fault_actions(emulator, rng)
        threads = [
            threading.Thread(target=receive_all, args=(emulator, stop, args.seed, delivered)),
            threading.Thread(target=send_all, args=(hass, stop, args.seed, sends, restarting)),
            threading.Thread(target=watch.run, args=(hass, stop)),
        ]
        for thread in threads:
            thread.start()
        began = time.monotonic()
        deadline = began + args.minutes * 60
        next_restart = began + rng.expovariate(1 / args.restart_every)
        say(f"faults for {args.minutes:g} min")
        while time.monotonic() < deadline:
            if time.monotonic() >= next_restart:
                how = signal.SIGTERM if rng.random() < 0.75 else signal.SIGKILL
                restarting.set()
                hass.stop(how)
                restarts[how.name] += 1
                hass.start()
                hass.wait_ready()
                restarting.clear()
                say(f"restart ({how.name}) done")
                next_restart = time.monotonic() + rng.expovariate(1 / args.restart_every)
                continue
            name = rng.choice(sorted(actions))
            actions[name]()
            ended = time.monotonic()
            faults[name] += 1
            # Faults that apply to the next reply show after a command; let them, then recover.
            time.sleep(rng.uniform(3, 8))
            if not hass.wait_for(SIGNAL, shown, RECOVERY_LIMIT):
                say(f"the stick was not shown again {RECOVERY_LIMIT:.0f} s after {name}")
            recovery.append((watch.unavailable_after(ended, time.monotonic()), name))
            say(f"{name}: {len(delivered)} in, {len(witness.texts())} heard, "
                f"{len(sends.ok)} sent, {len(sends.failed)} failed")  # fmt: skip
        stop.set()
        for thread in threads:
            thread.join()
        hass.wait_ready()
        emulator.control("storage", capacity=int(emulator.sim()["capacity"]))
        drain(hass, emulator, witness, expected=len(delivered))
        minutes = (time.monotonic() - began) / 60
        sim = emulator.sim()
        sent = [str(sms["text"]) for sms in emulator.control("sent")["sent"]]
        hass.stop(signal.SIGTERM)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        hass.stop(signal.SIGKILL)
        emulator.stop()
        witness.stop()
    received = Received(delivered, witness.texts())
    sent_lines, sends_bad = send_report(sends, [t for t in sent if number_of(t) is not None])
    never_back = [name for seconds, name in recovery if seconds >= RECOVERY_LIMIT]
    longest = max(recovery, default=(0.0, "none"))
    log = unexpected_log(hass)
    print()
    print(f"== soak: {minutes:.1f} min, seed {args.seed}, in {workdir}")
    print(f"faults: {sum(faults.values())} ({tally(faults, '{name} {count}')})")
    for line in received.report():
        print(line)
    print(f"SMS left on the SIM: {sim['used']} (held back by the network: {sim['held_back']})")
    for line in sent_lines:
        print(line)
    print(f"restarts of Home Assistant: {sum(restarts.values())} "
          f"({tally(restarts, '{count} by {name}') or 'none'})")  # fmt: skip
    print(f"reconnects of the integration: {reconnects(hass)}")
    print(f"longest time the stick was shown unavailable after a fault ended: "
          f"{longest[0]:.1f} s (after {longest[1]})")  # fmt: skip
    print("memory (RSS) of Home Assistant, per start that lasted a minute or more:")
    for line in memory_report(hass):
        print(line)
    print(f"unexpected lines in Home Assistant's log: {len(log)}")
    for line in log[:10]:
        print(f"  {line[:400]}")
    failed = received.bad or sends_bad or never_back or sim["used"] or sim["held_back"]
    print("FAILED" if failed else "OK: nothing lost, nothing duplicated, every send explained")
    return 1 if failed else 0


def tally(counts: Counter[str], form: str) -> str:
    return ", ".join(form.format(name=name, count=count) for name, count in sorted(counts.items()))


if __name__ == "__main__":
    sys.exit(in_work_folder(run, parse(sys.argv[1:]), "soak-"))
