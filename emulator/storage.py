"""Message memories (``SM`` on the SIM, ``ME`` in the stick) addressed by index as +CMGL shows."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .errors import CmsError

REC_UNREAD, REC_READ, STO_UNSENT, STO_SENT, ALL = 0, 1, 2, 3, 4


@dataclass
class StoredMessage:
    """A slot: PDU hex including the SMSC part, its TPDU length and +CMGL <stat>."""

    pdu: str
    length: int
    stat: int


class Memory:
    """One memory: indexes start at 0 like Huawei's SIM storage, a freed index is reused."""

    def __init__(self, name: str, capacity: int) -> None:
        self.name = name
        self.capacity = capacity
        self.slots: dict[int, StoredMessage] = {}

    @property
    def used(self) -> int:
        return len(self.slots)

    @property
    def full(self) -> bool:
        return self.used >= self.capacity

    def store(self, message: StoredMessage) -> int:
        if self.full:
            raise CmsError(322)
        index = next(i for i in range(self.capacity) if i not in self.slots)
        self.slots[index] = message
        return index

    def read(self, index: int) -> StoredMessage:
        """+CMGR: shows the stat it had; an unread message becomes read."""
        message = self._get(index)
        shown = StoredMessage(message.pdu, message.length, message.stat)
        if message.stat == REC_UNREAD:
            message.stat = REC_READ
        return shown

    def listing(self, stat: int) -> list[tuple[int, StoredMessage]]:
        """+CMGL: copies with the stat shown, then unread ones become read."""
        return [
            (index, self.read(index))
            for index, msg in sorted(self.slots.items())
            if stat in (ALL, msg.stat)
        ]

    def delete(self, index: int) -> None:
        if not 0 <= index < self.capacity:
            raise CmsError(321)
        self.slots.pop(index, None)

    def delete_flagged(self, flag: int) -> None:
        """+CMGD=<i>,<delflag>: 1 read, 2 read+sent, 3 read+sent+unsent, 4 all."""
        doomed = {1: {REC_READ}, 2: {REC_READ, STO_SENT}, 3: {REC_READ, STO_SENT, STO_UNSENT}}
        stats = doomed.get(flag, {REC_UNREAD, REC_READ, STO_UNSENT, STO_SENT})
        for index in [i for i, msg in self.slots.items() if msg.stat in stats]:
            del self.slots[index]

    def _get(self, index: int) -> StoredMessage:
        if not 0 <= index < self.capacity:
            raise CmsError(321)
        try:
            return self.slots[index]
        except KeyError:
            raise CmsError(321) from None

    def dump(self) -> dict[str, object]:
        return {str(index): asdict(message) for index, message in self.slots.items()}

    def load(self, data: dict[str, dict[str, object]]) -> None:
        self.slots = {
            int(index): StoredMessage(
                str(raw["pdu"]), int(str(raw["length"])), int(str(raw["stat"]))
            )
            for index, raw in data.items()
        }


class Storage:
    """The memories and the +CPMS selection (read/delete, write/send, receive)."""

    def __init__(self, sim_capacity: int, me_capacity: int = 100) -> None:
        self.memories = {"SM": Memory("SM", sim_capacity), "ME": Memory("ME", me_capacity)}
        self.selected = ["SM", "SM", "SM"]

    def memory(self, role: int) -> Memory:
        """role 0: read/list/delete, 1: write/send, 2: receive."""
        return self.memories[self.selected[role]]

    def select(self, names: list[str]) -> None:
        upper = [name.upper() for name in names if name]
        if not upper or any(name not in self.memories for name in upper):
            raise CmsError(302)
        for role, name in enumerate(upper[:3]):
            self.selected[role] = name

    def cpms_status(self) -> str:
        return ",".join(
            f"{self.memory(role).used},{self.memory(role).capacity}" for role in range(3)
        )

    def cpms_query(self) -> str:
        return "+CPMS: " + ",".join(
            f'"{name}",{self.memories[name].used},{self.memories[name].capacity}'
            for name in self.selected
        )
