"""Kill during receive: SMS arrive one a second (a quarter of them long, each numbered) while a
real Home Assistant is stopped with SIGKILL at random moments and started again; an automation
reports every ``huawei_modem_sms_received`` event. Every SMS must be heard exactly once.

    scripts/soak --kill [--sms 300] [--restarts 30] [--min-up 2] [--max-up 25] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from scripts import soak_hass as real
from scripts.soak_hass import Emulator, say


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/soak --kill", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sms", type=int, default=300, help="incoming SMS, one a second")
    parser.add_argument("--restarts", type=int, default=30, help="SIGKILLs and starts")
    parser.add_argument(
        "--min-up", type=float, default=2.0, help="least seconds from start to kill"
    )
    parser.add_argument(
        "--max-up", type=float, default=25.0, help="most seconds from start to kill"
    )
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--dir", type=Path, help="work folder (default: a new one in /tmp)")
    return parser.parse_args(argv)


def feed(emulator: Emulator, count: int, seed: int, delivered: dict[int, str]) -> None:
    """``count`` SMS, one a second, from the emulated network."""
    rng = random.Random(seed)
    begin = time.monotonic()
    for number in range(1, count + 1):
        text = real.numbered_text("SMS", number, rng)
        emulator.control("sms", sender=real.SENDER, text=text)
        delivered[number] = text
        time.sleep(max(0.0, begin + number - time.monotonic()))


def run(args: argparse.Namespace, workdir: Path) -> int:
    rng = random.Random(args.seed)
    witness = real.Witness()
    emulator = Emulator(workdir, args.seed)
    hass = real.HomeAssistant(workdir, witness.port)
    delivered: dict[int, str] = {}
    exited_by_itself = 0
    try:
        emulator.start()
        say(f"setting up Home Assistant in {workdir} (seed {args.seed})")
        hass.set_up(emulator)
        say(f"{args.sms} SMS at one a second, {args.restarts} SIGKILLs at random moments")
        feeder = threading.Thread(target=feed, args=(emulator, args.sms, args.seed, delivered))
        began = time.monotonic()
        feeder.start()
        for restart in range(1, args.restarts + 1):
            kill_at = hass.lives[-1].started + rng.uniform(args.min_up, args.max_up)
            time.sleep(max(0.0, kill_at - time.monotonic()))
            if not hass.running:
                exited_by_itself += 1
            hass.stop(signal.SIGKILL)
            say(f"restart {restart}: killed; {len(delivered)} delivered, "
                f"{len(witness.texts())} heard, SIM {emulator.sim()['used']}")  # fmt: skip
            time.sleep(rng.uniform(0.0, 2.0))
            hass.start()
        feeder.join()
        hass.wait_ready()
        real.drain(hass, emulator, witness, expected=len(delivered))
        minutes = (time.monotonic() - began) / 60
        sim = emulator.sim()
        hass.stop(signal.SIGTERM)
    finally:
        hass.stop(signal.SIGKILL)
        emulator.stop()
        witness.stop()
    received = real.Received(delivered, witness.texts())
    log = real.unexpected_log(hass)
    print()
    print(f"== kill during receive: {minutes:.1f} min, seed {args.seed}, in {workdir}")
    for line in received.report():
        print(line)
    print(f"SMS left on the SIM: {sim['used']} (held back by the network: {sim['held_back']})")
    print(f"restarts: {args.restarts} by SIGKILL (Home Assistant had exited by itself before "
          f"{exited_by_itself} of them)")  # fmt: skip
    print(f"unexpected lines in Home Assistant's log: {len(log)}")
    for line in log[:10]:
        print(f"  {line[:400]}")
    failed = received.bad or sim["used"] or sim["held_back"] or exited_by_itself
    print("FAILED" if failed else "OK: nothing lost, nothing duplicated")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(real.in_work_folder(run, parse(sys.argv[1:]), "soak-kill-"))
