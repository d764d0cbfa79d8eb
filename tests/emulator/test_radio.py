"""Signal, serving network and registration, with their unsolicited forms."""

from __future__ import annotations

from emulator import EmulatedStick

from .conftest import AtClient, open_client


async def test_csq_follows_the_signal(stick: EmulatedStick, pcui: AtClient) -> None:
    stick.set_signal(-113)
    assert await pcui.ok("AT+CSQ") == ["+CSQ: 0,99"]
    stick.set_signal(-75)
    assert await pcui.ok("AT+CSQ") == ["+CSQ: 19,99"]
    stick.set_signal(-51)
    assert await pcui.ok("AT+CSQ") == ["+CSQ: 31,99"]


async def test_hcsq_lte_values_follow_the_reference_formulas(
    stick: EmulatedStick, pcui: AtClient
) -> None:
    stick.set_signal(-91, rsrp_dbm=-122, sinr_db=-7.0, rsrq_db=-20.0)
    assert await pcui.ok("AT^HCSQ?") == ['^HCSQ:"LTE",30,19,66,0']


async def test_wcdma_and_gsm_and_no_service(stick: EmulatedStick, pcui: AtClient) -> None:
    stick.set_network("WCDMA")
    stick.set_signal(-80, rscp_dbm=-90, ecio_db=-8.5)
    assert await pcui.ok("AT^HCSQ?") == ['^HCSQ:"WCDMA",41,31,48']
    assert await pcui.ok("AT^SYSINFOEX") == ['^SYSINFOEX:2,3,0,1,,3,"WCDMA",45,"HSPA+"']
    assert await pcui.ok("AT+COPS?") == ['+COPS: 0,0,"Telekom.de",2']
    stick.set_network("GSM")
    assert await pcui.ok("AT^HCSQ?") == ['^HCSQ:"GSM",41']
    assert await pcui.ok("AT+COPS?") == ['+COPS: 0,0,"Telekom.de",0']
    stick.set_network("NOSERVICE")
    assert await pcui.ok("AT^HCSQ?") == ['^HCSQ:"NOSERVICE"']
    assert await pcui.ok("AT+CSQ") == ["+CSQ: 99,99"]
    assert await pcui.ok("AT+COPS?") == ["+COPS: 0"]


async def test_cops_formats_and_roaming(stick: EmulatedStick, pcui: AtClient) -> None:
    stick.set_network(operator="Vodafone.de", operator_short="Vodafone", operator_numeric="26202")
    assert await pcui.ok("AT+COPS?") == ['+COPS: 0,0,"Vodafone.de",7']
    await pcui.ok("AT+COPS=3,2")
    assert await pcui.ok("AT+COPS?") == ['+COPS: 0,2,"26202",7']
    await pcui.ok("AT+COPS=3,1")
    assert await pcui.ok("AT+COPS?") == ['+COPS: 0,1,"Vodafone",7']
    stick.set_network(roaming=True)
    assert await pcui.ok("AT^SYSINFOEX") == ['^SYSINFOEX:2,3,1,1,,6,"LTE",101,"LTE"']
    assert await pcui.ok("AT+CREG?") == ["+CREG: 0,5"]


async def test_registration_queries_and_unsolicited(stick: EmulatedStick, pcui: AtClient) -> None:
    assert await pcui.ok("AT+CREG?;+CGREG?;+CEREG?") == ["+CREG: 0,1", "+CGREG: 0,1", "+CEREG: 0,1"]
    await pcui.ok("AT+CREG=2;+CEREG=1")
    assert await pcui.ok("AT+CREG?") == ['+CREG: 2,1,"1A2B","01C3D4E5",7']
    stick.set_network(registration=3)
    assert b"+CREG: 3\r\n" in await pcui.wait_for(b"+CEREG: 3\r\n")
    stick.set_network("WCDMA", registration=1)
    assert await pcui.wait_for(b"+CEREG: 0\r\n")
    assert await pcui.ok("AT+CEREG?") == ["+CEREG: 1,0"]


async def test_not_registered_without_pin() -> None:
    async with EmulatedStick(pin="1234") as stick:
        client = await open_client(stick)
        assert await client.ok("AT+CREG?") == ["+CREG: 0,0"]
        assert await client.ok("AT+COPS?") == ["+COPS: 0"]
        assert await client.ok("AT^SYSINFOEX") == [
            '^SYSINFOEX:0,0,0,0,,0,"NO SERVICE",0,"NO SERVICE"'
        ]
        await client.ok('AT+CPIN="1234"')
        assert await client.ok("AT+CREG?") == ["+CREG: 0,1"]
        client.close()


async def test_e3131_is_wcdma_and_refuses_lte() -> None:
    async with EmulatedStick("E3131") as stick:
        client = await open_client(stick)
        assert (await client.ok("AT^HCSQ?"))[0].startswith('^HCSQ:"WCDMA",')
        try:
            stick.set_network("LTE")
        except ValueError:
            pass
        else:
            raise AssertionError("E3131 accepted LTE")
        client.close()


async def test_signal_change_reports_rssi_unless_curc_off(
    stick: EmulatedStick, pcui: AtClient
) -> None:
    stick.set_signal(-75)
    assert await pcui.wait_for(b"^RSSI:19\r\n")
    await pcui.silence(0.05)
    await pcui.ok("AT^CURC=0")
    stick.set_signal(-61)
    assert await pcui.silence(0.1) == b""
    assert await pcui.ok("AT^CURC?") == ["^CURC: 0"]
