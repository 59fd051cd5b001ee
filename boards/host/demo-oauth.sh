#!/usr/bin/env bash
# OAuth 2.0 demo against the loopback lab: the virtual board signs in at the lab's authorization server
# (device authorization grant: it shows a user code, a person approves it at the verification page) and
# sends a scan to the OAuth mailbox with the access token (SMTP AUTH OAUTHBEARER, XOAUTH2 with
# --xoauth2). With --app it uses the client credentials grant instead (no person needed).
# Usage: bash boards/host/demo-oauth.sh [--app] [--xoauth2]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

grant=device
auth=auto
for arg in "$@"; do
  case "$arg" in
    --app) grant=client_credentials ;;
    --xoauth2) auth=xoauth2 ;;
    *) echo "usage: $0 [--app] [--xoauth2]" >&2; exit 2 ;;
  esac
done

bash tests/lab/lab.sh install
env_file=$(mktemp)
bash tests/lab/lab.sh start >"$env_file"
# shellcheck disable=SC1090
. "$env_file"
rm -f "$env_file"

demo="$root/.lab/demo-oauth"
mkdir -p -m 0700 "$demo"
umask 077
if [ "$grant" = device ]; then
  client=$OAUTH_DEVICE_CLIENT_ID
  scope="$OAUTH_SCOPE offline_access"
else
  client=$OAUTH_APP_CLIENT_ID
  scope=$OAUTH_SCOPE
fi

cat >"$demo/demo.settings" <<SETTINGS
# OAuth 2.0 demo settings for the loopback lab (see tests/lab/README.md, "OAuth 2.0").
smtp.host=127.0.0.1
smtp.port=$SMTP_OAUTH_PORT
smtp.auth=$auth
smtp.user=$OAUTH_USER
device.email=$OAUTH_USER
device.name=Virtual MFP
oauth.provider=custom
oauth.grant=$grant
oauth.client_id=$client
oauth.device_endpoint=$OAUTH_DEVICE_AUTHORIZATION_ENDPOINT
oauth.token_endpoint=$OAUTH_TOKEN_ENDPOINT
oauth.scope=$scope
SETTINGS
head -c 100000 /dev/urandom >"$demo/scan.pdf"
board() { dotnet run --project boards/host -- "$@"; }

if [ "$grant" = device ]; then
  echo "== sign-in: open the verification URI the board shows, enter the code, sign in as"
  echo "   $OAUTH_USER / $OAUTH_PASSWORD and press Allow (the board polls until then)"
  board oauth login --settings "$demo/demo.settings"
else
  echo "== app-only: the client secret goes into the board's credential store"
  printf '%s\n' "$OAUTH_APP_CLIENT_SECRET" | board oauth secret --settings "$demo/demo.settings"
fi
board oauth status --settings "$demo/demo.settings"

before=$(ls -A "$MAILDIR_OAUTH/new" | wc -l)
echo "== virtual board: sending $demo/scan.pdf to $OAUTH_USER with the access token (the dialogue masks it)"
board send --settings "$demo/demo.settings" --to "$OAUTH_USER" --file "$demo/scan.pdf" --subject "OAuth demo scan" --verbose
for _ in $(seq 200); do
  [ "$(ls -A "$MAILDIR_OAUTH/new" | wc -l)" -gt "$before" ] && break
  sleep 0.1
done
echo "== delivered into $MAILDIR_OAUTH/new:"
ls -t "$MAILDIR_OAUTH/new" | head -n 3
