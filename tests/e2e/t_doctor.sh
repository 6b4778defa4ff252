#!/bin/sh
# "habar doctor" on the AT modem of tests/tools/atmodem.py: every step
# OK on a working modem (with --send and the credit), and each failure
# mode named with what to do: no device, the service user without
# permission, ModemManager holding the port, a modem that does not
# answer, a SIM asking for its PIN, no network, no SMS centre, a full
# SIM.  Never printed: the full IMEI, the IMSI, the PIN.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # skip no python3"; exit 0; }

IMEI=356789012345678
IMSI=401011234567890

# doctor [ARGS]: run it; its output in $OUT, its exit code in $RC.
doctor() {
	OUT=$("$HABAR" -f "$T/habar.conf" doctor "$@" 2>"$T/doctor.err")
	RC=$?
	printf '%s\n' "$OUT" | sed 's/^/# /'
}

# says TEXT: the doctor's output has TEXT.
says() {
	printf '%s\n' "$OUT" | grep -qF -- "$1"
}

check "the AT modem starts on a pty" at_start
at_conf 'balance = { code = "*100#"; timeout = "15s"; };'
# habard's tests use at115200; the doctor's, at19200.
sed -i 's/^	connection = "at115200";/	connection = "at19200";/' "$T/habar.conf"
at_mode "ussd=Баланс: 870 тг"
# The silent modem, a second one of its own, in the background.
mkdir "$T/silent"
printf 'silent=1\n' >"$T/silent/mode"
at_start "$T/silent"
sed "s|^	device = \"$AT/dev\";|	device = \"$T/silent/dev\";|" \
    "$T/habar.conf" >"$T/silent.conf"
( "$HABAR" -f "$T/silent.conf" doctor >"$T/silent.out" 2>&1
  echo $? >"$T/silent.rc" ) &
SILENT=$!
doctor --send "8 701 111 99 99"
check "a working modem: exit 0" [ "$RC" = 0 ]
for want in "OK    device $AT/dev" "OK    no other program holds" \
    "OK    the modem answers" "OK    modem Huawei E173" \
    "IMEI ending 5678" "OK    SIM ready" "OK    network home 401 01" \
    "signal 60% (-73 dBm)" "OK    SMS centre +77010000000" \
    "OK    SMS storage 0 of 30 used" "OK    SIM credit 870.00" \
    "OK    test SMS sent" "all OK"; do
	check "says '$want'" says "$want"
done
check "never the full IMEI" sh -c "! printf '%s' \"\$1\" | grep -q $IMEI" - "$OUT"
check "never the IMSI" sh -c "! printf '%s' \"\$1\" | grep -q $IMSI" - "$OUT"
check "never asks the IMSI" [ "$(at_count 'AT+CIMI')" = 0 ]
check "the test SMS went to the number given" \
    sh -c "at_sent() { python3 '$ROOT/tests/tools/atmodem.py' sent '$AT'; };
    at_sent | grep -q '^+77011119999	gsm7	1	habar doctor: test message\$'"

# ModemManager holding the port (a program of that name with it open).
cp "$(command -v sleep)" "$T/ModemManager"
"$T/ModemManager" 60 <>"$AT/dev" &
MM=$!
doctor
check "ModemManager holding the port: exit 1" [ "$RC" = 1 ]
check "  names ModemManager" says "FAIL  ModemManager holds $AT/dev"
check "  and the udev rule" says "99-habar-modemmanager.rules /etc/udev/rules.d/"
kill $MM
wait $MM 2>/dev/null

# The service user cannot use the device (a pty is root:tty 0620).
sed -i '1i user = "nobody";' "$T/habar.conf"
doctor
check "a service user without permission: exit 1" [ "$RC" = 1 ]
check "  says so" says "the service user 'nobody' cannot read and write it"
check "  and how to fix it" says "usermod -aG dialout nobody"
sed -i '/^user = "nobody";$/d' "$T/habar.conf"

# No PIN configured for a SIM that asks for one.
at_mode "pin=1234" "ussd=Баланс: 870 тг"
doctor
check "a SIM asking for its PIN: exit 1" [ "$RC" = 1 ]
check "  says so" says "FAIL  the SIM asks for its PIN"
check "  and how to fix it" says "modem.pin"
check "  no PIN tried" [ "$(at_count 'AT+CPIN="')" = 0 ]
# With the PIN configured: not entered unless asked (a wrong one spends
# one of three tries); with --pin, entered and not printed.
sed -i "s/^modem = {\$/modem = {\n\tpin = \"1234\";/" "$T/habar.conf"
doctor
check "the PIN configured: not entered without --pin" \
    [ "$(at_count 'AT+CPIN="')" = 0 ]
check "  says how to check it" says "habar doctor --pin"
doctor --pin
check "with --pin: entered once" [ "$(at_count 'AT+CPIN="')" = 1 ]
check "  the SIM is ready" says "OK    SIM ready"
check "  the PIN not printed" sh -c "! printf '%s' \"\$1\" | grep -q 1234" - "$OUT"
sed -i '/^	pin = "1234";$/d' "$T/habar.conf"
at_stop

# Each a fresh modem, as a technician would find it.
at_start
at_mode "creg=0" "csq=99"
cusd=$(at_count 'AT+CUSD')
doctor
check "no network: exit 1" [ "$RC" = 1 ]
check "  says so" says "FAIL  not registered on a network"
check "  the credit not asked without a network" says "SKIP  the credit (*100#)"
check "  no balance code sent" [ "$(at_count 'AT+CUSD')" = "$cusd" ]
# The failure modes below do not reach the credit: no balance code to
# wait out (its 15 s time-out each, when the modem does not answer it).
sed -i '/^balance = /d' "$T/habar.conf"

at_mode "smsc=none"
doctor
check "no SMS centre: exit 1" [ "$RC" = 1 ]
check "  says so" says "FAIL  the SIM has no SMS centre number"

at_mode "capacity=2"
at_inject +77011119998 "one"
at_inject +77011119998 "two"
doctor
check "a full SIM: exit 1" [ "$RC" = 1 ]
check "  says so" says "FAIL  the SIM's SMS storage is full (2 of 2)"
at_stop

# A modem that does not answer (a stick in storage or HiLink mode):
# started at the beginning, beside the others, for libGammu waits a
# minute on it (its own time-outs); looked at here.
wait $SILENT
RC=$(cat "$T/silent.rc")
OUT=$(cat "$T/silent.out")
printf '%s\n' "$OUT" | sed 's/^/# /'
check "a silent modem: exit 1" [ "$RC" = 1 ]
check "  says it does not answer" says "does not answer AT commands"
check "  and names usb-modeswitch" says "usb-modeswitch"
kill $ATPID2
wait $ATPID2 2>/dev/null

# No device at all.
sed -i "s|^	device = \"$AT/dev\";|	device = \"$T/ttyUSB9\";|" "$T/habar.conf"
doctor
check "no device: exit 1" [ "$RC" = 1 ]
check "  says so" says "FAIL  device $T/ttyUSB9: No such file or directory"
check "  and what to do" says "usb-modeswitch"
finish
