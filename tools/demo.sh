#!/bin/sh
# make demo: run habard on a simulated phone with the shipped content.
set -e
cd "$(dirname "$0")/.."
mkdir -p var/phone/sms/1 var/phone/sms/3 var/phone/sms/4 var/keys
chmod 700 var/keys
bin/habard -n -f conf/demo.conf
cat <<'MSG'

habar demo: the gateway answers SMS on a simulated phone (var/phone).
Text it from a second terminal, for example:

    bin/habar -f conf/demo.conf sim "көмек"
    bin/habar -f conf/demo.conf sim "паспорт"
    bin/habar -f conf/demo.conf sim "ЗАРПЛАТА"
    bin/habar -f conf/demo.conf sim "112"

See why a text matched, with no gateway running:

    bin/habar -f conf/demo.conf try "у меня забрали паспорт"

Stop the gateway with Ctrl-C.

MSG
exec bin/habard -d -f conf/demo.conf
