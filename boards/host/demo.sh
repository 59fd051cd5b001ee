#!/usr/bin/env bash
# One step to a real send: installs and starts the loopback mail lab, writes a demo settings file
# for it (POP before SMTP and SMTP AUTH on; the board bound to 127.0.0.20 so the server treats it as
# a foreign client), and runs the virtual board against it. Extra arguments go to the send command.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash tests/lab/lab.sh install
env_file=$(mktemp)
bash tests/lab/lab.sh start >"$env_file"
# shellcheck disable=SC1090
. "$env_file"
rm -f "$env_file"

# The settings file holds the lab passwords: owner-only, like every file the board writes.
demo="$root/.lab/demo"
mkdir -p -m 0700 "$demo"
umask 077
cat >"$demo/demo.settings" <<SETTINGS
# Demo settings for the loopback lab (see tests/lab/README.md).
smtp.host=127.0.0.1
smtp.port=$SMTP_AUTH_PORT
smtp.auth=auto
smtp.user=$SCAN_USER
smtp.password=$SCAN_PASSWORD
pop.host=127.0.0.1
pop.port=$POP3_PORT
pop.user=$IFAX_USER
pop.password=$IFAX_PASSWORD
pop.before_smtp=on
pop.before_smtp.delay_ms=300
device.email=$SCAN_USER
device.name=Virtual MFP
net.local_address=127.0.0.20
SETTINGS
head -c 200000 /dev/urandom >"$demo/scan.pdf"

before=$(ls -A "$MAILDIR_RELAY/new" | wc -l)
echo "== virtual board: sending $demo/scan.pdf to someone@$RELAY_DOMAIN (relayed only when authenticated)"
dotnet run --project boards/host -- send --settings "$demo/demo.settings" \
  --to "someone@$RELAY_DOMAIN" --file "$demo/scan.pdf" --subject "Demo scan" --verbose "$@"
echo "== delivered into $MAILDIR_RELAY/new:"
# Delivery is asynchronous: wait (at most 20 s) for the message to land.
for _ in $(seq 200); do
  [ "$(ls -A "$MAILDIR_RELAY/new" | wc -l)" -gt "$before" ] && break
  sleep 0.1
done
ls -t "$MAILDIR_RELAY/new" | head -n 3
echo "== the lab keeps running: the panel is"
echo "   dotnet run --project boards/host -- run --settings \"$demo/demo.settings\""
echo "   (it also serves the web page on http://127.0.0.1:8080/; the setup code for its first use is printed at start)"
echo "   and 'bash tests/lab/lab.sh stop' stops the lab and removes its run directory."
