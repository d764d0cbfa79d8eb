"""``python -m emulator``: serve an emulated stick, and drive a running one."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .models import MODELS

Builder = Callable[[argparse.Namespace], dict[str, Any]]


def _serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="run a stick until Ctrl-C")
    serve.add_argument("--model", choices=sorted(MODELS), default="E3372")
    serve.add_argument("--pin", help="SIM PIN (default: PIN check off)")
    serve.add_argument("--puk", default="12345678")
    serve.add_argument("--link-dir", type=Path, required=True, help="symlinks + control socket")
    serve.add_argument("--tcp-port", type=int, help="also serve the PCUI on 127.0.0.1 (0: any)")
    serve.add_argument("--noise", type=float, metavar="SECONDS", help="unsolicited noise period")
    serve.add_argument("--state-file", type=Path, help="keep flash/SIM contents across runs")
    serve.add_argument("--reset-delay", type=float, default=3.0)
    serve.add_argument("--reply-delay", type=float, default=0.0)
    serve.add_argument("--seed", type=int, default=0)
    serve.add_argument("--ring-interval", type=float, default=3.0, help="seconds between RINGs")


def _control_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    def add(name: str, help_text: str, build: Builder) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("--link-dir", type=Path, required=True)
        parser.set_defaults(build=build)
        return parser

    sms = add("sms", "deliver an incoming SMS", _build_sms)
    sms.add_argument("--sender", required=True, help="number or alphanumeric name")
    sms.add_argument("--flash", action="store_true", help="class 0")
    sms.add_argument("--timestamp", help="ISO 8601 with zone, e.g. 2024-03-01T12:00:00+01:00")
    sms.add_argument("--encoding", choices=("auto", "gsm7", "ucs2"), default="auto")
    sms.add_argument("--part-order", help="arrival order of parts, e.g. 2,1,3")
    sms.add_argument("text")
    sig = add("signal", "change the signal", _build_signal)
    sig.add_argument("--rssi", type=int, required=True, help="dBm, e.g. -75")
    sig.add_argument("--rsrp", type=int, help="dBm")
    sig.add_argument("--sinr", type=float, help="dB")
    sig.add_argument("--rsrq", type=float, help="dB")
    network = add("network", "change the serving network", _build_network)
    network.add_argument("--tech", choices=("LTE", "WCDMA", "GSM", "NOSERVICE"))
    network.add_argument("--operator")
    network.add_argument("--registration", type=int, choices=(0, 1, 2, 3, 5))
    network.add_argument("--roaming", action=argparse.BooleanOptionalAction, default=None)
    cell = add("cell", "move the stick to another cell (hex values)", _build_cell)
    cell.add_argument("--lac", help="location area code, e.g. 1A2B")
    cell.add_argument("--ci", help="cell ID, e.g. 01C2D3E4")
    cell.add_argument("--tac", help="LTE tracking area code")
    sim = add("sim", "insert or remove the SIM", lambda a: {"inserted": a.state == "insert"})
    sim.add_argument("state", choices=("insert", "remove"))
    refuse = add("refuse", "network refuses SMS with +CMS ERROR", _build_refuse)
    refuse.add_argument("code", type=int)
    refuse.add_argument("--count", type=int, default=1)
    refuse.add_argument("--all", action="store_true", help="refuse until 'accept'")
    refuse.add_argument("--after", type=int, default=0, help="accept this many SMS parts first")
    add("accept", "network accepts SMS again", lambda a: {"action": "refuse", "code": None})
    ussd = add("ussd", "set the answer to a USSD code", _build_ussd)
    ussd.add_argument("code")
    ussd.add_argument("text")
    ussd.add_argument("--menu", action="store_true", help="answer keeps the session open")
    _call_parsers(add)
    fault = add("fault", "set a fault field, e.g. stall_next=1", _build_fault)
    fault.add_argument("settings", nargs="+", metavar="NAME=VALUE")
    garbage = add("garbage", "inject garbage bytes into the PCUI stream", _build_garbage)
    garbage.add_argument("--hex", help="bytes as hex (default: invalid UTF-8 mix)")
    storm = add("storm", "a burst of unsolicited lines", lambda a: {"count": a.count})
    storm.add_argument("--count", type=int, default=100)
    storage = add("storage", "print the message memories; resize the SIM's", _build_storage)
    storage.add_argument("--capacity", type=int, help="SMS the SIM holds (a full SIM: few)")
    for name, help_text in (
        ("unplug", "pull the stick"),
        ("replug", "plug it back (new pty names)"),
        ("reset", "restart it like AT^RESET"),
        ("sent", "print the SMS the stick sent"),
        ("status", "print where the stick is"),
    ):
        add(name, help_text, lambda a: {})


def _call_parsers(add: Callable[[str, str, Builder], argparse.ArgumentParser]) -> None:
    call = add("call", "an incoming voice call (rings until answered or hung up)", _build_call)
    caller = call.add_mutually_exclusive_group(required=True)
    caller.add_argument("--from", dest="number", help="+491701234567 or national 01701234567")
    caller.add_argument("--withheld", action="store_true", help="caller ID withheld")
    caller.add_argument("--unavailable", action="store_true", help="caller ID unavailable")
    call.add_argument("--hang-up-after", type=int, metavar="N", help="caller gives up after N")
    far = add("far-end", "what a number the stick dials does", _build_far_end)
    mode = far.add_mutually_exclusive_group(required=True)
    mode.add_argument("--answer-after", type=float, metavar="SECONDS")
    for name in ("reject", "busy", "never-answer", "no-network"):
        mode.add_argument(f"--{name}", dest="mode", action="store_const", const=name)


def _build_call(args: argparse.Namespace) -> dict[str, Any]:
    fields = {"number": args.number, "withheld": args.withheld, "unavailable": args.unavailable}
    return fields | {"hang_up_after": args.hang_up_after}


def _build_far_end(args: argparse.Namespace) -> dict[str, Any]:
    if args.mode is None:
        return {"action": "far_end", "mode": "answer", "answer_after": args.answer_after}
    return {"action": "far_end", "mode": args.mode.replace("-", "_")}


def _build_sms(args: argparse.Namespace) -> dict[str, Any]:
    order = [int(part) for part in args.part_order.split(",")] if args.part_order else None
    return {
        "sender": args.sender,
        "text": args.text,
        "flash": args.flash,
        "timestamp": args.timestamp,
        "encoding": args.encoding,
        "part_order": order,
    }


def _build_signal(args: argparse.Namespace) -> dict[str, Any]:
    fields = {"rssi_dbm": args.rssi, "rsrp_dbm": args.rsrp}
    fields |= {"sinr_db": args.sinr, "rsrq_db": args.rsrq}
    return {key: value for key, value in fields.items() if value is not None}


def _build_network(args: argparse.Namespace) -> dict[str, Any]:
    fields = {"access_tech": args.tech, "operator": args.operator}
    fields |= {"registration": args.registration, "roaming": args.roaming}
    return {key: value for key, value in fields.items() if value is not None}


def _build_cell(args: argparse.Namespace) -> dict[str, Any]:
    return {"lac": args.lac, "ci": args.ci, "tac": args.tac}


def _build_refuse(args: argparse.Namespace) -> dict[str, Any]:
    return {"code": args.code, "count": None if args.all else args.count, "after": args.after}


def _build_ussd(args: argparse.Namespace) -> dict[str, Any]:
    return {"code": args.code, "text": args.text, "menu": args.menu}


def _build_fault(args: argparse.Namespace) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for item in args.settings:
        name, _, value = item.partition("=")
        settings[name] = json.loads(value)
    return settings


def _build_storage(args: argparse.Namespace) -> dict[str, Any]:
    return {"capacity": args.capacity} if args.capacity is not None else {}


def _build_garbage(args: argparse.Namespace) -> dict[str, Any]:
    return {"hex": args.hex} if args.hex else {}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m emulator",
        description="An emulated Huawei USB stick on pseudo-terminals. Start one with 'serve', "
        "then drive it from another shell with the other commands (same --link-dir).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _serve_parser(commands)
    _control_parsers(commands)
    return parser


async def serve(args: argparse.Namespace) -> None:
    from . import control
    from .stick import EmulatedStick

    args.link_dir.mkdir(parents=True, exist_ok=True)
    stick = EmulatedStick(
        args.model,
        pin=args.pin,
        puk=args.puk,
        link_dir=args.link_dir,
        tcp_port=args.tcp_port,
        noise_interval=args.noise,
        state_file=args.state_file,
        reset_delay=args.reset_delay,
        reply_delay=args.reply_delay,
        seed=args.seed,
    )
    stick.device.calls.ring_interval = args.ring_interval
    server = control.ControlServer(stick, args.link_dir / control.SOCKET_NAME)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    async with stick:
        await server.start()
        print(json.dumps({**control.describe(stick), "control": str(server.path)}, indent=2))
        print("Ctrl-C stops the stick.", flush=True)
        await stopping.wait()
        await server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(args))
        return 0
    from . import control  # deferred: it loads the codec, which --help does not need

    payload = {"action": args.command} | args.build(args)
    answer = asyncio.run(control.request(args.link_dir, payload))
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0 if answer.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
