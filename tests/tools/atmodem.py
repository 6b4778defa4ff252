#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""atmodem.py - a GSM modem on a pseudo-terminal, for habar's tests.

It answers the AT commands libGammu's AT driver sends in PDU mode, keeps
a SIM of stored messages in a folder, records every command it was sent,
and misbehaves on request, so that habard can run on "connection = at"
in "make check".  Nothing here is habar's code or libGammu's: the PDU
encoder (SMS-DELIVER, status reports) and decoder (SMS-SUBMIT) are this
file's own, written from 3GPP TS 23.040 and 23.038.

    atmodem.py run DIR            the modem (foreground; kill to stop)
    atmodem.py inject DIR [--ucs2] [--ref N] FROM TEXT...
                                  store a message on the SIM: one TEXT a
                                  part (several: concatenated, UDH)
    atmodem.py put DIR HEXPDU     store a recorded PDU as it is
    atmodem.py sent DIR           decode what was sent, one line a reply:
                                  recipient TAB coding TAB parts TAB text
    atmodem.py decode HEXPDU      decode one SMS-SUBMIT (SMSC included)
    atmodem.py ucs2hex TEXT       TEXT as UCS-2 hex (a USSD answer)

DIR holds:
    dev         symlink to the pty slave: the config's device
    log         one line a command: "<epoch ms> <command>" (the PDU of
                a +CMGS as "<epoch ms> PDU <hex>")
    mode        behaviours, KEY=VALUE a line, read before every answer:
                  delay=S          seconds before each answer
                  silent=1         answer nothing at all
                  vanish=1         close the pty, remove dev; it comes
                               back (a new pty) when the line goes
                  accept_all=1     OK to every command not known
                  send_fail=N      the next N +CMGS answer +CMS ERROR:
                               500 (counted from when the file changed)
                  vanish_at_send=S the next +CMGS PDU is lost: the pty
                               closes at once and is back S seconds later
                               (once per change of the file)
                  pin=1234         the SIM asks for this PIN
                  puk=1            the SIM is locked to its PUK
                  creg=1           +CREG status (0 none, 1 home, 2
                               searching, 3 denied, 5 roaming)
                  csq=20           +CSQ signal (0..31, 99 unknown)
                  smsc=+77010000000  ("none": +CSCA answers ERROR)
                  capacity=30      SIM message slots
                  no_sim=1         +CPIN? answers +CME ERROR: 10
                  ussd=TEXT        the network's answer to any +CUSD,
                               sent as UCS-2 hex with DCS 72
                  ussd_delay=S     seconds before that answer
    sim/N       stored message at index N: "STAT HEXPDU" (STAT 0 unread,
                1 read); written by inject/put, removed by +CMGD
    sent/N      each PDU received by +CMGS, in order
"""
import os
import select
import sys
import time
import tty

# 3GPP TS 23.038 GSM 7-bit default alphabet and its extension table.
GSM7 = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;"
        "<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyz"
        "äöñüà")
GSM7_EXT = {0x0a: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2f: "\\",
            0x3c: "[", 0x3d: "~", 0x3e: "]", 0x40: "|", 0x65: "€"}
assert len(GSM7) == 128


def now_ms():
    return int(time.time() * 1000)


# ---------------------------------------------------------------- encoding

def gsm7_septets(text):
    """Septets of text, or None when it is not all GSM-7."""
    out = []
    rev = {v: k for k, v in GSM7_EXT.items()}
    for ch in text:
        i = GSM7.find(ch)
        if i >= 0 and ch != "\x1b":
            out.append(i)
        elif ch in rev:
            out += [0x1b, rev[ch]]
        else:
            return None
    return out


def pack7(septets, fill):
    """Pack septets after fill zero bits (for a UDH), LSB first."""
    bits = 0
    nbits = fill
    out = bytearray()
    for s in septets:
        bits |= s << nbits
        nbits += 7
        while nbits >= 8:
            out.append(bits & 0xff)
            bits >>= 8
            nbits -= 8
    if nbits > 0:
        out.append(bits & 0xff)
    return bytes(out)


def unpack7(data, count, fill):
    """count septets from data, after fill bits."""
    bits = int.from_bytes(data, "little")
    return [(bits >> (fill + 7 * i)) & 0x7f for i in range(count)]


def septets_text(septets):
    out = []
    esc = False
    for s in septets:
        if esc:
            out.append(GSM7_EXT.get(s, " "))
            esc = False
        elif s == 0x1b:
            esc = True
        else:
            out.append(GSM7[s])
    return "".join(out)


def semi_octets(digits):
    if len(digits) % 2:
        digits += "F"
    return bytes(int(digits[i + 1] + digits[i], 16)
                 for i in range(0, len(digits), 2))


def address(number):
    """Address field: length in digits, type, semi-octets."""
    intl = number.startswith("+")
    digits = number.lstrip("+")
    return bytes([len(digits), 0x91 if intl else 0x81]) + semi_octets(digits)


def smsc_field(number):
    if not number:
        return b"\x00"
    digits = number.lstrip("+")
    body = bytes([0x91]) + semi_octets(digits)
    return bytes([len(body)]) + body


def timestamp(t):
    tm = time.gmtime(t)
    digits = "%02d%02d%02d%02d%02d%02d00" % (tm.tm_year % 100, tm.tm_mon,
                                             tm.tm_mday, tm.tm_hour,
                                             tm.tm_min, tm.tm_sec)
    return semi_octets(digits)


def deliver(sender, text, ucs2, udh=b"", smsc="+77010000000", t=None):
    """One SMS-DELIVER PDU (SMSC included) as bytes."""
    first = 0x04 | (0x40 if udh else 0)     # more-messages-to-send off
    if t is None:
        t = time.time()
    head = smsc_field(smsc) + bytes([first]) + address(sender)
    udhl = bytes([len(udh)]) + udh if udh else b""
    if ucs2:
        body = text.encode("utf-16-be")
        ud = udhl + body
        return head + bytes([0x00, 0x08]) + timestamp(t) + \
            bytes([len(ud)]) + ud
    sept = gsm7_septets(text)
    if sept is None:
        raise ValueError("not GSM-7: %r" % text)
    if udh:
        fill = (7 - (len(udhl) * 8) % 7) % 7
        udl = (len(udhl) * 8 + fill) // 7 + len(sept)
        ud = udhl + pack7(sept, fill)
    else:
        udl = len(sept)
        ud = pack7(sept, 0)
    return head + bytes([0x00, 0x00]) + timestamp(t) + bytes([udl]) + ud


def status_report(recipient, mr, smsc="+77010000000"):
    """One SMS-STATUS-REPORT PDU: message mr delivered."""
    t = timestamp(time.time())
    return smsc_field(smsc) + bytes([0x06, mr & 0xff]) + \
        address(recipient) + t + t + b"\x00"


# ---------------------------------------------------------------- decoding

def decode_address(b, i):
    ndig, toa = b[i], b[i + 1]
    nbytes = (ndig + 1) // 2
    raw = b[i + 2:i + 2 + nbytes]
    if toa & 0x70 == 0x50:          # alphanumeric
        text = septets_text(unpack7(raw, ndig * 4 // 7, 0))
        return text, i + 2 + nbytes
    digits = "".join("%x%x" % (x & 0xf, x >> 4) for x in raw)[:ndig]
    return ("+" if toa & 0x70 == 0x10 else "") + digits.upper(), \
        i + 2 + nbytes


def decode_submit(hexpdu):
    """An SMS-SUBMIT (with its SMSC field) as a dict."""
    b = bytes.fromhex(hexpdu)
    i = 1 + b[0]                    # skip the SMSC
    first = b[i]
    if first & 0x03 != 0x01:
        raise ValueError("not an SMS-SUBMIT: first octet %02x" % first)
    udhi = bool(first & 0x40)
    vpf = (first >> 3) & 0x03
    mr = b[i + 1]
    number, i = decode_address(b, i + 2)
    pid, dcs = b[i], b[i + 1]
    i += 2
    i += {0: 0, 2: 1, 1: 7, 3: 7}[vpf]
    udl = b[i]
    ud = b[i + 1:]
    ucs2 = (dcs & 0x0c) == 0x08
    if dcs & 0xc0 not in (0x00, 0x40) and dcs & 0xf0 != 0xf0:
        raise ValueError("unexpected DCS %02x" % dcs)
    ref = seq = total = None
    hlen = 0
    if udhi:
        hlen = ud[0] + 1
        j = 1
        while j < hlen:
            iei, ielen = ud[j], ud[j + 1]
            v = ud[j + 2:j + 2 + ielen]
            if iei == 0x00 and ielen == 3:
                ref, total, seq = v[0], v[1], v[2]
            elif iei == 0x08 and ielen == 4:
                ref, total, seq = v[0] << 8 | v[1], v[2], v[3]
            j += 2 + ielen
    if ucs2:
        text = ud[hlen:udl].decode("utf-16-be")
    else:
        fill = (7 - (hlen * 8) % 7) % 7 if udhi else 0
        skip = (hlen * 8 + fill) // 7
        sept = unpack7(ud[hlen:], udl - skip, fill)
        text = septets_text(sept)
    return {"number": number, "mr": mr, "pid": pid, "dcs": dcs,
            "ucs2": ucs2, "ref": ref, "seq": seq, "total": total,
            "text": text}


def sent_replies(d):
    """Reassemble DIR/sent into (number, ucs2, parts, text) in order."""
    try:
        files = sorted((f for f in os.listdir(os.path.join(d, "sent"))
                        if f.isdigit()), key=int)
    except OSError:
        return []
    out = []
    open_ = {}
    for f in files:
        with open(os.path.join(d, "sent", f)) as fp:
            p = decode_submit(fp.read().strip())
        if p["total"] is None or p["total"] == 1:
            out.append([p["number"], p["ucs2"], 1, p["text"]])
            continue
        key = (p["number"], p["ref"], p["total"])
        if key not in open_:
            open_[key] = {"slot": len(out), "parts": {}}
            out.append(None)
        open_[key]["parts"][p["seq"]] = p
        if len(open_[key]["parts"]) == p["total"]:
            parts = open_.pop(key)
            ps = [parts["parts"][k] for k in sorted(parts["parts"])]
            out[parts["slot"]] = [p["number"], p["ucs2"], p["total"],
                                  "".join(x["text"] for x in ps)]
    return [r for r in out if r is not None]


# ---------------------------------------------------------------- the SIM

def sim_slots(d):
    box = os.path.join(d, "sim")
    v = {}
    for f in os.listdir(box):
        if f.isdigit():
            try:
                with open(os.path.join(box, f)) as fp:
                    stat, pdu = fp.read().split()
                v[int(f)] = [int(stat), pdu]
            except (OSError, ValueError):
                pass
    return v


def sim_store(d, pdus):
    """Put each hex PDU into the first free slot, atomically."""
    box = os.path.join(d, "sim")
    cap = int(read_mode(d).get("capacity", "30"))
    for pdu in pdus:
        used = sim_slots(d)
        idx = next((i for i in range(1, cap + 1) if i not in used), None)
        if idx is None:
            sys.exit("atmodem: the SIM is full")
        tmp = os.path.join(box, ".tmp%d" % os.getpid())
        with open(tmp, "w") as fp:
            fp.write("0 %s\n" % pdu)
        os.rename(tmp, os.path.join(box, str(idx)))


def read_mode(d):
    mode = {}
    try:
        with open(os.path.join(d, "mode")) as fp:
            for line in fp:
                line = line.strip()
                if "=" in line and not line.startswith("#"):
                    k, v = line.split("=", 1)
                    mode[k.strip()] = v.strip()
    except OSError:
        pass
    return mode


# ---------------------------------------------------------------- the modem

class Modem:
    def __init__(self, d):
        self.d = d
        self.master = None
        self.buf = b""
        self.echo = True
        self.pdu_wait = None        # length awaited after AT+CMGS=
        self.pin_ok = False
        self.pin_tries = 3
        self.mr = 0
        self.send_fail_key = None
        self.send_failed = 0
        self.vanish_key = None
        self.vanish_until = 0
        self.pending = []           # (when, bytes) answers to come
        self.cscs = "GSM"
        self.mem = "SM"
        self.logfp = open(os.path.join(d, "log"), "a", buffering=1)
        self.mode = {}

    def log(self, what):
        self.logfp.write("%d %s\n" % (now_ms(), what))

    def open(self):
        self.master, slave = os.openpty()
        tty.setraw(slave)           # no echo by the line discipline
        name = os.ttyname(slave)
        # Not held open here: only the program under test holds it.
        os.close(slave)
        link = os.path.join(self.d, "dev")
        tmp = link + ".tmp"
        try:
            os.unlink(tmp)
        except OSError:
            pass
        os.symlink(name, tmp)
        os.rename(tmp, link)
        self.buf = b""
        self.pdu_wait = None
        self.echo = True
        self.log("# up %s" % name)

    def close(self):
        try:
            os.unlink(os.path.join(self.d, "dev"))
        except OSError:
            pass
        if self.master is not None:
            os.close(self.master)
        self.master = None
        self.pending = []
        self.log("# vanished")

    def write(self, text):
        delay = float(self.mode.get("delay", "0"))
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.pending.append((time.time() + delay, data))

    def flush(self):
        now = time.time()
        keep = []
        for when, data in self.pending:
            if when <= now and self.master is not None:
                try:
                    os.write(self.master, data)
                except OSError:
                    pass
            else:
                keep.append((when, data))
        self.pending = keep

    def answer(self, lines, final="OK"):
        out = "".join("\r\n%s" % x for x in lines)
        self.write(out + "\r\n%s\r\n" % final if lines else
                   "\r\n%s\r\n" % final)

    def run(self):
        self.open()
        while True:
            self.mode = read_mode(self.d)
            if self.mode.get("vanish") == "1" or \
                    time.time() < self.vanish_until:
                if self.master is not None:
                    self.close()
                time.sleep(0.05)
                continue
            if self.master is None:
                self.open()
            timeout = 0.05
            r, _, _ = select.select([self.master], [], [], timeout)
            if r:
                try:
                    data = os.read(self.master, 4096)
                except OSError:
                    # EIO: nobody has the device open.
                    data = b""
                    time.sleep(0.05)
                self.feed(data)
            self.flush()

    def feed(self, data):
        self.buf += data
        while True:
            if self.pdu_wait is not None:
                end = min([i for i in (self.buf.find(b"\x1a"),
                                       self.buf.find(b"\x1b")) if i >= 0],
                          default=-1)
                if end < 0:
                    return
                pdu = self.buf[:end].decode("ascii", "replace").strip()
                cancel = self.buf[end] == 0x1b
                self.buf = self.buf[end + 1:]
                self.pdu_wait = None
                self.log("PDU %s%s" % (pdu, " (cancelled)" if cancel else ""))
                if self.mode.get("silent") != "1" and not cancel:
                    self.cmgs_pdu(pdu)
                continue
            i = self.buf.find(b"\r")
            if i < 0:
                return
            line = self.buf[:i].decode("latin-1")
            self.buf = self.buf[i + 1:]
            line = line.strip("\n").strip()
            if not line:
                continue
            self.log(line)
            if self.mode.get("silent") == "1":
                continue
            if self.echo:
                self.write(line + "\r")
            self.command(line)

    # -------------------------------------------------------- commands

    def cme(self, n):
        self.write("\r\n+CME ERROR: %d\r\n" % n)

    def sim_ready(self):
        """None when the SIM answers, else the +CME error number."""
        if self.mode.get("no_sim") == "1":
            return 10
        if self.mode.get("puk") == "1" or self.pin_tries == 0:
            return 12
        if self.mode.get("pin") and not self.pin_ok:
            return 11
        return None

    def command(self, line):
        u = line.upper()
        m = self.mode
        simple = {
            "AT": [], "ATZ": [], "AT&F": [], "ATE0": [], "ATE1": [],
            "AT+CGMI": ["huawei"], "AT+CGMM": ["E173"],
            "AT+CGMR": ["11.126.85.00.209"],
            "AT+CGSN": ["356789012345678"],
            "AT+CMGF=0": [], "AT+CMEE=1": [],
            "AT+CSCS=?": ['+CSCS: ("IRA","GSM","UCS2")'],
            "AT+CPMS=?": ['+CPMS: ("SM","ME"),("SM","ME"),("SM","ME")'],
            "AT+CMGF=?": ["+CMGF: (0,1)"],
            "AT+CNMI=?": ["+CNMI: (0,1,2),(0,1,2,3),(0,2),(0,1,2),(0,1)"],
            "AT+CMGD=?": ["+CMGD: (1-%s),(0-4)" % m.get("capacity", "30")],
            "AT+CREG=1": [], "AT+CREG=2": [], "AT+CGREG=1": [],
            "AT+CGREG=2": [], "AT+COPS=3,2": [], "AT+COPS=3,0": [],
            "AT+CSDH=0": [], "AT+CFUN=1": [], "AT^CURC=0": [],
            "AT^PORTSEL=1": [],
        }
        if u == "ATE0":
            self.echo = False
        elif u == "ATE1":
            self.echo = True
        if u in simple:
            return self.answer(simple[u])
        if u == "AT+CPIN?":
            if m.get("no_sim") == "1":
                return self.cme(10)
            if m.get("puk") == "1" or self.pin_tries == 0:
                return self.answer(["+CPIN: SIM PUK"])
            if m.get("pin") and not self.pin_ok:
                return self.answer(["+CPIN: SIM PIN"])
            return self.answer(["+CPIN: READY"])
        if u.startswith("AT+CPIN="):
            code = line[8:].strip().strip('"')
            if not m.get("pin") or self.pin_ok:
                return self.cme(3)
            if self.pin_tries == 0:
                return self.cme(12)
            if code == m.get("pin"):
                self.pin_ok = True
                self.pin_tries = 3
                return self.answer([])
            self.pin_tries -= 1
            return self.cme(16)
        if u.startswith("AT+CSCS"):
            if u == "AT+CSCS?":
                return self.answer(['+CSCS: "%s"' % self.cscs])
            self.cscs = line.split("=", 1)[1].strip('"')
            return self.answer([])
        if u == "AT+CSQ":
            return self.answer(["+CSQ: %s,99" % m.get("csq", "20")])
        if u == "AT+CREG?":
            # As Gammu's tests/at-creg/huawei.dump recorded it.
            return self.answer(["+CREG: 2,%s,4CA,81DE445" %
                                m.get("creg", "1")])
        if u == "AT+CGATT?":
            return self.answer(["+CGATT: %d" % (m.get("creg", "1") in
                                                ("1", "5"))])
        if u == "AT+CGREG?":
            return self.answer(["+CGREG: 2,%s" % m.get("creg", "1")])
        if u == "AT+COPS?":
            if m.get("creg", "1") not in ("1", "5"):
                return self.answer(["+COPS: 0"])
            return self.answer(['+COPS: 0,2,"40101",2'])
        if u == "AT+CIMI":
            if self.sim_ready() is not None:
                return self.cme(self.sim_ready())
            return self.answer(["401011234567890"])
        if u == "AT+CSCA?":
            err = self.sim_ready()
            if err is not None:
                return self.cme(err)
            if m.get("smsc", "+77010000000") == "none":
                return self.answer([], "ERROR")
            return self.answer(['+CSCA: "%s",145' %
                                m.get("smsc", "+77010000000")])
        if u.startswith("AT+CNMI="):
            return self.answer([])
        if u.startswith("AT+CPMS"):
            return self.cpms(u)
        if u.startswith("AT+CMGL"):
            return self.cmgl(u)
        if u.startswith("AT+CMGR="):
            return self.cmgr(u)
        if u.startswith("AT+CMGD="):
            return self.cmgd(u)
        if u.startswith("AT+CMGS="):
            err = self.sim_ready()
            if err is not None:
                return self.cme(err)
            self.pdu_wait = int(u[8:])
            return self.write("\r\n> ")
        if u.startswith("AT+CUSD="):
            return self.cusd(line)
        if m.get("accept_all") == "1":
            return self.answer([])
        return self.answer([], "ERROR")

    def cpms(self, u):
        err = self.sim_ready()
        if err is not None:
            return self.cme(err)
        used = len(sim_slots(self.d))
        cap = int(self.mode.get("capacity", "30"))
        if u == "AT+CPMS?":
            return self.answer(['+CPMS: "SM",%d,%d,"SM",%d,%d,"SM",%d,%d' %
                                ((used, cap) * 3)])
        mems = [x.strip('"') for x in u.split("=", 1)[1].split(",")]
        if any(x not in ("SM", "ME") for x in mems):
            return self.cms(302)
        if mems[0] == "ME":
            self.mem = "ME"
            return self.answer(["+CPMS: 0,0,0,0,0,0"])
        self.mem = "SM"
        return self.answer(["+CPMS: %d,%d,%d,%d,%d,%d" % ((used, cap) * 3)])

    def cms(self, n):
        self.write("\r\n+CMS ERROR: %d\r\n" % n)

    def stored(self):
        return {} if self.mem == "ME" else sim_slots(self.d)

    def entry(self, idx, stat, pdu):
        b = bytes.fromhex(pdu)
        return "%d,%d,,%d" % (idx, stat, len(b) - 1 - b[0])

    def cmgl(self, u):
        err = self.sim_ready()
        if err is not None:
            return self.cme(err)
        want = u.split("=", 1)[1] if "=" in u else "0"
        lines = []
        for idx, (stat, pdu) in sorted(self.stored().items()):
            if want != "4" and str(stat) != want:
                continue
            lines += ["+CMGL: " + self.entry(idx, stat, pdu), pdu]
            self.mark_read(idx)
        self.answer(lines)

    def mark_read(self, idx):
        path = os.path.join(self.d, "sim", str(idx))
        try:
            with open(path) as fp:
                stat, pdu = fp.read().split()
            if stat == "0":
                tmp = path + ".r"
                with open(tmp, "w") as fp:
                    fp.write("1 %s\n" % pdu)
                os.rename(tmp, path)
        except (OSError, ValueError):
            pass

    def cmgr(self, u):
        err = self.sim_ready()
        if err is not None:
            return self.cme(err)
        try:
            idx = int(u[8:])
        except ValueError:
            return self.cms(321)
        v = self.stored().get(idx)
        if v is None:
            # An empty slot, as most modems say it.
            return self.cms(321)
        self.answer(["+CMGR: %d,,%d" % (v[0], len(bytes.fromhex(v[1])) - 1 -
                                        bytes.fromhex(v[1])[0]), v[1]])
        self.mark_read(idx)

    def cmgd(self, u):
        err = self.sim_ready()
        if err is not None:
            return self.cme(err)
        try:
            idx = int(u[8:].split(",")[0])
        except ValueError:
            return self.cms(321)
        try:
            os.unlink(os.path.join(self.d, "sim", str(idx)))
        except OSError:
            return self.cms(321)
        self.answer([])

    def mode_key(self):
        try:
            return os.stat(os.path.join(self.d, "mode")).st_mtime_ns
        except OSError:
            return 0

    def cmgs_pdu(self, pdu):
        m = self.mode
        want = int(m.get("send_fail", "0"))
        key = self.mode_key()
        if m.get("vanish_at_send") and key != self.vanish_key:
            self.vanish_key = key
            self.vanish_until = time.time() + float(m["vanish_at_send"])
            self.close()
            return None
        if key != self.send_fail_key:
            self.send_fail_key = key
            self.send_failed = 0
        if self.send_failed < want:
            self.send_failed += 1
            return self.cms(500)
        box = os.path.join(self.d, "sent")
        n = len(os.listdir(box)) + 1
        with open(os.path.join(box, ".tmp"), "w") as fp:
            fp.write(pdu + "\n")
        os.rename(os.path.join(box, ".tmp"), os.path.join(box, str(n)))
        self.mr = (self.mr + 1) % 256
        self.answer(["+CMGS: %d" % self.mr])

    def cusd(self, line):
        m = self.mode
        if line.upper().startswith("AT+CUSD=1,") and m.get("ussd"):
            self.answer([])
            hexa = m["ussd"].encode("utf-16-be").hex().upper()
            delay = float(m.get("ussd_delay", "1"))
            self.pending.append((time.time() + delay,
                                 ('\r\n+CUSD: 0,"%s",72\r\n' % hexa)
                                 .encode()))
            return None
        return self.answer([])


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, d = argv[1], argv[2]
    if cmd == "run":
        for sub in ("sim", "sent"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        with open(os.path.join(d, "pid"), "w") as fp:
            fp.write("%d\n" % os.getpid())
        Modem(d).run()
    elif cmd == "inject":
        args = argv[3:]
        ucs2 = False
        ref = int(time.time()) & 0xff
        while args and args[0].startswith("--"):
            if args[0] == "--ucs2":
                ucs2 = True
                args = args[1:]
            elif args[0] == "--ref":
                ref = int(args[1]) & 0xff
                args = args[2:]
            else:
                sys.exit("atmodem: unknown option %s" % args[0])
        sender, parts = args[0], args[1:]
        pdus = []
        for i, text in enumerate(parts):
            udh = b""
            if len(parts) > 1:
                udh = bytes([0x00, 0x03, ref, len(parts), i + 1])
            pdus.append(deliver(sender, text, ucs2 or
                                gsm7_septets(text) is None, udh).hex()
                        .upper())
        sim_store(d, pdus)
    elif cmd == "put":
        sim_store(d, argv[3:])
    elif cmd == "report":
        sim_store(d, [status_report(argv[3], int(argv[4])).hex().upper()])
    elif cmd == "sent":
        for number, ucs2, parts, text in sent_replies(d):
            print("%s\t%s\t%d\t%s" % (number, "ucs2" if ucs2 else "gsm7",
                                      parts, text.replace("\n", "\\n")))
    elif cmd == "decode":
        p = decode_submit(d)
        print("%s\t%s\t%s/%s\t%s" % (p["number"], "ucs2" if p["ucs2"] else
                                     "gsm7", p["seq"], p["total"], p["text"]))
    elif cmd == "ucs2hex":
        print(d.encode("utf-16-be").hex().upper())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
