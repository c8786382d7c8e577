#!/usr/bin/env python3
"""Interoperability with pymodbus, a client nobody here wrote: reads float32 in both word
orders and gets exception responses as pymodbus reports them. Usage: pymodbus-interop.py PORT"""
import sys
from pymodbus.client import ModbusTcpClient

port = int(sys.argv[1])
c = ModbusTcpClient("127.0.0.1", port=port, timeout=2)
assert c.connect(), "cannot connect"
F32 = c.DATATYPE.FLOAT32
failures = 0

def check(name, ok, detail=""):
    global failures
    print(("ok   - " if ok else "FAIL - ") + name + (f" ({detail})" if detail else ""))
    failures += 0 if ok else 1

# unit 1, plant controller: outdoor temperature, float32 high word first (input registers 0-1)
r = c.read_input_registers(0, count=2, device_id=1)
t = c.convert_from_registers(r.registers, data_type=F32, word_order="big") if not r.isError() else None
check("pymodbus reads a float32 ABCD (outdoor temperature)", t is not None and -40 < t < 45, f"{t}")
# unit 36, the hotel's meter: float32 low word first (CDAB) from holding register 0; operating hours at 14
r = c.read_holding_registers(0, count=16, device_id=36)
ok = not r.isError()
e = c.convert_from_registers(r.registers[0:2], data_type=F32, word_order="little") if ok else None
h = c.convert_from_registers(r.registers[14:16], data_type=F32, word_order="little") if ok else None
check("pymodbus reads float32 CDAB (meter energy, operating hours)", ok and e >= 0 and 0 <= h < 1e6, f"{e} kWh, {h} h")
# exceptions: value out of range (03), address outside the map (02), unknown unit (0B)
r = c.write_register(4, 900, device_id=12)
check("out-of-range write: exception 03", r.isError() and getattr(r, "exception_code", None) == 3, str(r))
r = c.read_holding_registers(500, count=1, device_id=12)
check("address outside the map: exception 02", r.isError() and getattr(r, "exception_code", None) == 2, str(r))
r = c.read_holding_registers(0, count=1, device_id=99)
check("unknown unit: exception 0B", r.isError() and getattr(r, "exception_code", None) == 0x0B, str(r))
c.close()
sys.exit(1 if failures else 0)
