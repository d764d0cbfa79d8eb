"""scripts/soak: the tally (fast), and CI-size runs against a real Home Assistant (slow)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from scripts.soak_faults import Sends, send_report
from scripts.soak_hass import Received, number_of, numbered_text

from .real_hass import ROOT


def test_numbered_texts_name_their_number_and_a_quarter_are_long() -> None:
    rng = random.Random(1)
    texts = [numbered_text("IN", n, rng) for n in range(1, 401)]
    assert [number_of(text) for text in texts] == list(range(1, 401))
    long = [text for text in texts if len(text) > 160]
    assert 60 < len(long) < 140
    assert all(text == text.strip() for text in texts)


def test_received_tells_lost_duplicated_and_mangled() -> None:
    received = Received(
        delivered={1: "IN 1 short", 2: "IN 2 short", 3: "IN 3 long: abc"},
        heard=["IN 1 short", "IN 3 long: ab", "IN 1 short", "hello"],
    )
    assert received.lost == [2]
    assert received.duplicated == [1]
    assert received.mangled == ["IN 3 long: ab", "hello"]
    assert received.bad
    assert not Received({1: "IN 1 short"}, ["IN 1 short"]).bad


def test_every_send_is_explained_or_the_run_fails() -> None:
    sends = Sends(
        ok={1: "OUT 1 short", 2: "OUT 2 short"},
        failed={3: ("OUT 3 short", '{"message":"The stick is not ready"}')},
        interrupted={4: "OUT 4 short"},
    )
    lines, bad = send_report(sends, ["OUT 1 short", "OUT 2 short", "OUT 4 short"])
    assert not bad
    assert "  interrupted by a restart: 1 (1 went out)" in lines

    _, bad = send_report(sends, ["OUT 1 short"])  # OUT 2: the action said OK
    assert bad
    _, bad = send_report(sends, ["OUT 1 short", "OUT 2 short", "OUT 2 short"])
    assert bad
    sends.failed[5] = ("OUT 5 short", "400: Bad Request")
    _, bad = send_report(sends, ["OUT 1 short", "OUT 2 short"])
    assert bad


def soak(tmp_path: Path, *args: str) -> str:
    """scripts/soak with ``args``; its output, asserting it passed."""
    done = subprocess.run(
        [ROOT / "scripts" / "soak", *args, "--seed", "14", "--dir", tmp_path / "soak"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
@pytest.mark.newest_hass
def test_kill_during_receive_loses_nothing(tmp_path: Path, socket_enabled: None) -> None:
    output = soak(
        tmp_path, "--kill", "--sms", "20", "--restarts", "3", "--min-up", "2", "--max-up", "10"
    )
    assert "SMS delivered by the emulator: 20\n" in output
    assert "lost: 0\nduplicated: 0\n" in output


@pytest.mark.slow
@pytest.mark.newest_hass
def test_a_minute_of_faults_loses_nothing(tmp_path: Path, socket_enabled: None) -> None:
    output = soak(tmp_path, "--minutes", "1", "--restart-every", "30")
    assert "lost: 0\nduplicated: 0\n" in output
    assert "lost (the action said OK, the network has none): 0" in output
