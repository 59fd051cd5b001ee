#!/usr/bin/env bash
# Loopback mail lab: a private Postfix + Dovecot instance for the SMTP/POP3
# client tests. Everything listens on 127.0.0.1 only and nothing can deliver
# mail off this machine (see README.md in this folder).
#
#   lab.sh install   install the Debian packages and the lab user (idempotent)
#   lab.sh start     render a fresh run directory and start both daemons;
#                    no-op if already running and healthy; prints the env file
#   lab.sh stop      stop both daemons by pid (no-op when not running) and
#                    remove the clone's default run directory
#   lab.sh status    exit 0 if both daemons are up and listening
#   lab.sh env       print the env file (KEY=VALUE lines)
#   lab.sh reset     empty all Maildirs and POP-before-SMTP records and refill
#                    the i-FAX mailbox, without restarting
#
# Progress and errors go to stderr; `start` and `env` print only KEY=VALUE
# lines on stdout.
set -euo pipefail
if [[ ${LAB_TRACE:-} == 1 ]]; then PS4='+ ${EPOCHREALTIME} '; set -x; fi

LAB_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$LAB_SRC/../.." && pwd -P)"

# The run directory holds everything the daemons and the lab user (labmail) must reach: configs,
# scripts, sockets, certificate, Maildirs, logs. It cannot live inside the clone, whose parents
# may be private (a home directory of mode 0700, a `mktemp -d` folder). By default each clone gets
# its own under LAB_BASE, named by a hash of the clone's path (short, for unix socket paths, and
# free of spaces); `stop` removes it. LAB_RUN_DIR names another one (kept by `stop`, logs and all).
LAB_BASE=/var/tmp/netboard-lab
if [[ -n ${LAB_RUN_DIR:-} ]]; then
  RUN=$(realpath -m -- "$LAB_RUN_DIR")
  LAB_HOME=$(dirname "$RUN")
  DEFAULT_RUN=0
else
  CLONE_ID=$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)
  LAB_HOME=$LAB_BASE/$CLONE_ID
  RUN=$LAB_HOME/run
  DEFAULT_RUN=1
fi
ENV_FILE="$RUN/lab.env"
LOCK_FILE="$LAB_HOME/lab.lock"

HOST=127.0.0.1
SMTP_AUTH_PORT="${LAB_SMTP_AUTH_PORT:-42525}"
SMTP_NOAUTH_PORT="${LAB_SMTP_NOAUTH_PORT:-42526}"
SMTP_STARTTLS_PORT="${LAB_SMTP_STARTTLS_PORT:-42587}"
SMTPS_PORT="${LAB_SMTPS_PORT:-42465}"
POP3_PORT="${LAB_POP3_PORT:-42110}"
POP3S_PORT="${LAB_POP3S_PORT:-42995}"
POP_BEFORE_SMTP_TTL_S="${LAB_POP_BEFORE_SMTP_TTL_S:-60}"
ALL_PORTS=("$SMTP_AUTH_PORT" "$SMTP_NOAUTH_PORT" "$SMTP_STARTTLS_PORT" "$SMTPS_PORT" "$POP3_PORT" "$POP3S_PORT")

MAIL_USER=labmail
PACKAGES=(postfix dovecot-core dovecot-pop3d openssl)

# Lab accounts (test-only credentials).
SCAN_USER=scan@lab.test;     SCAN_PASSWORD='scan-Secret-1'
CRAM_USER=cram@lab.test;     CRAM_PASSWORD='cram-Secret-2'
HASHED_USER=hashed@lab.test; HASHED_PASSWORD='hashed-Secret-3'
IFAX_USER=ifax@lab.test;     IFAX_PASSWORD='ifax-Secret-4'
IFAX_UIDLS=(1700000001.tiff.lab 1700000002.pdf.lab 1700000003.text.lab)

POSTFIX_CONF="$RUN/etc/postfix"
POSTFIX_PID="$RUN/spool/pid/master.pid"
DOVECOT_CONF="$RUN/etc/dovecot.conf"
DOVECOT_PID="$RUN/dovecot/master.pid"

log() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: ERROR: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

# ---------------------------------------------------------------- install --

packages_installed() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
  [[ -x /usr/sbin/postfix && -x /usr/sbin/dovecot && -x /usr/bin/doveadm \
     && -x /usr/lib/dovecot/script-login && -x /usr/lib/postfix/sbin/spawn ]]
}

cmd_install() {
  [[ $(id -u) -eq 0 ]] || die "install must run as root"
  if ! packages_installed; then
    log "installing ${PACKAGES[*]}"
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    local created_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      # keep the stock daemons from being started by the package scripts
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 755 /usr/sbin/policy-rc.d
      created_policy=1
    fi
    local rc=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >&2 || rc=$?
    if [[ $rc -ne 0 ]]; then
      log "apt-get install failed; refreshing package lists and retrying"
      apt-get update -q >&2 && rc=0 || rc=$?
      [[ $rc -eq 0 ]] && { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >&2 || rc=$?; }
    fi
    [[ $created_policy -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
    [[ $rc -eq 0 ]] || die "package installation failed"
  fi
  if ! getent passwd "$MAIL_USER" >/dev/null; then
    log "creating system user $MAIL_USER"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$MAIL_USER"
  fi
  packages_installed || die "packages still missing after install"
  log "installed"
}

require_installed() {
  [[ $(id -u) -eq 0 ]] || die "the lab must run as root"
  packages_installed && getent passwd "$MAIL_USER" >/dev/null \
    || die "mail lab packages are not installed: run 'bash tests/lab/lab.sh install' first"
}

# ------------------------------------------------------------- processes --

# pid from a pid file if that process is alive and belongs to this lab
postfix_pid() {
  local pid
  [[ -r $POSTFIX_PID ]] || return 1
  pid=$(tr -dc '0-9' < "$POSTFIX_PID")
  [[ -n $pid && -d /proc/$pid ]] || return 1
  # the master runs with MAIL_CONFIG pointing at our config directory
  { tr "\0" "\n" < "/proc/$pid/environ"; } 2>/dev/null | grep -qxF "MAIL_CONFIG=$POSTFIX_CONF" || return 1
  echo "$pid"
}

dovecot_pid() {
  local pid
  [[ -r $DOVECOT_PID ]] || return 1
  pid=$(tr -dc '0-9' < "$DOVECOT_PID")
  [[ -n $pid && -d /proc/$pid ]] || return 1
  { tr "\0" "\n" < "/proc/$pid/cmdline"; } 2>/dev/null | grep -qxF "$DOVECOT_CONF" || return 1
  echo "$pid"
}

port_listening() { # port
  if command -v ss >/dev/null; then
    [[ -n $(ss -Hltn "src $HOST:$1" 2>/dev/null) ]]
  else
    timeout 1 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
  fi
}

port_free() { # port: can we bind it on 127.0.0.1?
  perl -MIO::Socket::INET -e '
    my $s = IO::Socket::INET->new(LocalAddr => $ARGV[0], LocalPort => $ARGV[1],
                                  Proto => "tcp", Listen => 1, ReuseAddr => 1);
    exit($s ? 0 : 1);' "$HOST" "$1"
}

healthy() {
  postfix_pid >/dev/null && dovecot_pid >/dev/null || return 1
  local p
  for p in "${ALL_PORTS[@]}"; do port_listening "$p" || return 1; done
}

wait_gone() { # pid timeout_s
  local pid=$1 deadline=$(( $(now_ms) + $2 * 1000 ))
  while [[ -d /proc/$pid ]]; do
    # a zombie counts as gone
    [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == Z ]] && return 0
    (( $(now_ms) > deadline )) && return 1
    sleep 0.05
  done
}

stop_pid() { # name pid
  local name=$1 pid=$2
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 10; then
    log "$name did not stop in 10 s, killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || die "$name (pid $pid) does not go away"
  fi
}

stop_daemons() {
  local t0 pid any=0
  t0=$(now_ms)
  if pid=$(postfix_pid); then stop_pid postfix "$pid"; any=1; fi
  if pid=$(dovecot_pid); then stop_pid dovecot "$pid"; any=1; fi
  rm -f "$ENV_FILE"
  if [[ $any -eq 1 ]]; then
    log "stopped in $(( $(now_ms) - t0 )) ms"
  else
    log "not running"
  fi
}

cmd_stop() {
  stop_daemons
  # The default run directory is this clone's alone: nothing of it is left behind (a lock
  # waiter notices the removed lock file and takes a new one). A LAB_RUN_DIR is the caller's:
  # its logs stay.
  if [[ $DEFAULT_RUN -eq 1 && -d $LAB_HOME ]]; then
    rm -rf -- "$LAB_HOME"
    log "removed $LAB_HOME"
  fi
}

cmd_status() {
  local rc=0 pid p
  if pid=$(postfix_pid); then echo "postfix: running (pid $pid)"; else echo "postfix: not running"; rc=1; fi
  if pid=$(dovecot_pid); then echo "dovecot: running (pid $pid)"; else echo "dovecot: not running"; rc=1; fi
  for p in "${ALL_PORTS[@]}"; do
    if port_listening "$p"; then echo "port $p: listening"; else echo "port $p: not listening"; rc=1; fi
  done
  return $rc
}

# -------------------------------------------------------------- run dir --

render() { # template output
  local run_esc=${RUN//\\/\\\\}
  run_esc=${run_esc//&/\\&}; run_esc=${run_esc//#/\\#}
  sed -e "s#@@RUN@@#$run_esc#g" \
      -e "s#@@MAIL_USER@@#$MAIL_USER#g" \
      -e "s#@@MAIL_GROUP@@#$MAIL_GROUP#g" \
      -e "s#@@MAIL_UID@@#$MAIL_UID#g" \
      -e "s#@@MAIL_GID@@#$MAIL_GID#g" \
      -e "s#@@SMTP_AUTH_PORT@@#$SMTP_AUTH_PORT#g" \
      -e "s#@@SMTP_NOAUTH_PORT@@#$SMTP_NOAUTH_PORT#g" \
      -e "s#@@SMTP_STARTTLS_PORT@@#$SMTP_STARTTLS_PORT#g" \
      -e "s#@@SMTPS_PORT@@#$SMTPS_PORT#g" \
      -e "s#@@POP3_PORT@@#$POP3_PORT#g" \
      -e "s#@@POP3S_PORT@@#$POP3S_PORT#g" \
      -e "s#@@POP_BEFORE_SMTP_TTL_S@@#$POP_BEFORE_SMTP_TTL_S#g" \
      "$1" > "$2"
  if grep -q '@@[A-Z_0-9]*@@' "$2"; then die "unrendered placeholder in $2"; fi
}

maildir_of() { # address -> Maildir path
  local user=${1%@*} domain=${1#*@}
  echo "$RUN/mail/$domain/$user/Maildir"
}

make_maildir() { # path
  install -d -o "$MAIL_USER" -g "$MAIL_GROUP" -m 0755 "$1" "$1/cur" "$1/new" "$1/tmp"
}

make_cert() {
  local tls=$RUN/tls cache key
  # RSA key generation takes 0.2-1.5 s, so the key is kept next to the run
  # directory and reused; the certificate itself is issued at every start.
  cache="$LAB_HOME/cache"; key="$cache/server.key"
  install -d -m 0700 "$cache"
  install -d -m 0755 "$tls"
  if [[ ! -s $key ]]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key.tmp" 2>"$RUN/log/openssl.log" \
      || { cat "$RUN/log/openssl.log" >&2; die "key generation failed"; }
    chmod 0600 "$key.tmp"; mv -f "$key.tmp" "$key"
  fi
  install -m 0600 "$key" "$tls/server.key"
  openssl req -x509 -new -key "$tls/server.key" -days 30 -sha256 \
    -out "$tls/server.crt" \
    -subj "/CN=mail.lab.test" \
    -addext "subjectAltName=DNS:mail.lab.test,IP:127.0.0.1" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
    -addext "extendedKeyUsage=serverAuth" >/dev/null 2>"$RUN/log/openssl.log" \
    || { cat "$RUN/log/openssl.log" >&2; die "certificate generation failed"; }
  chmod 0644 "$tls/server.crt"
}

# A tiny valid little-endian TIFF: 8x1 pixels, 1 bit, uncompressed, 204x196 dpi.
tiff_bytes() {
  perl -e '
    my @e = ([256,3,1,8],[257,3,1,1],[258,3,1,1],[259,3,1,1],[262,3,1,0],
             [273,4,1,174],[277,3,1,1],[278,3,1,1],[279,4,1,1],
             [282,5,1,158],[283,5,1,166],[296,3,1,2]);
    my $d = "II" . pack("v V", 42, 8) . pack("v", scalar @e);
    for my $x (@e) {
      my ($tag, $type, $n, $v) = @$x;
      $d .= $type == 3 ? pack("v v V v v", $tag, $type, $n, $v, 0)
                       : pack("v v V V", $tag, $type, $n, $v);
    }
    $d .= pack("V", 0) . pack("V V", 204, 1) . pack("V V", 196, 1) . "\x00";
    die "bad tiff layout" unless length($d) == 175;
    binmode STDOUT; print $d;'
}

# A minimal one-page PDF with correct xref offsets.
pdf_bytes() {
  perl -e '
    my @o = ("<< /Type /Catalog /Pages 2 0 R >>",
             "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
             undef,
             "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    my $s = "BT /F1 18 Tf 72 770 Td (Lab scan page 1) Tj ET";
    $o[3] = "<< /Length " . length($s) . " >>\nstream\n$s\nendstream";
    my $d = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"; my @off;
    for my $i (0..$#o) { push @off, length $d; $d .= ($i+1) . " 0 obj\n$o[$i]\nendobj\n"; }
    my $x = length $d;
    $d .= "xref\n0 " . (@o+1) . "\n0000000000 65535 f \n";
    $d .= sprintf("%010d 00000 n \n", $_) for @off;
    $d .= "trailer\n<< /Size " . (@o+1) . " /Root 1 0 R >>\nstartxref\n$x\n%%EOF\n";
    binmode STDOUT; print $d;'
}

write_ifax_mailbox() {
  local md; md=$(maildir_of "$IFAX_USER")
  rm -rf "$md"
  make_maildir "$md"
  local f1="$md/cur/${IFAX_UIDLS[0]}:2," f2="$md/cur/${IFAX_UIDLS[1]}:2," f3="$md/cur/${IFAX_UIDLS[2]}:2,"
  {
    printf '%s\n' \
      'Return-Path: <fax-gw@example.net>' \
      'From: "Fax Gateway" <fax-gw@example.net>' \
      'To: <ifax@lab.test>' \
      'Subject: i-FAX 1 (TIFF)' \
      'Date: Tue, 14 Nov 2023 22:13:21 +0000' \
      'Message-ID: <ifax-1.tiff@example.net>' \
      'MIME-Version: 1.0' \
      'Content-Type: multipart/mixed; boundary="=_lab_b1"' \
      '' \
      'This is a multi-part message in MIME format.' \
      '' \
      '--=_lab_b1' \
      'Content-Type: text/plain; charset=us-ascii' \
      'Content-Transfer-Encoding: 7bit' \
      '' \
      'Internet fax, 1 page.' \
      '' \
      '--=_lab_b1' \
      'Content-Type: image/tiff; name="fax1.tif"' \
      'Content-Transfer-Encoding: base64' \
      'Content-Disposition: attachment; filename="fax1.tif"' \
      ''
    tiff_bytes | base64 -w 76
    printf '%s\n' '' '--=_lab_b1--'
  } > "$f1"
  {
    printf '%s\n' \
      'Return-Path: <scanner@example.net>' \
      'From: <scanner@example.net>' \
      'To: <ifax@lab.test>' \
      'Subject: i-FAX 2 (PDF)' \
      'Date: Tue, 14 Nov 2023 22:13:22 +0000' \
      'Message-ID: <ifax-2.pdf@example.net>' \
      'MIME-Version: 1.0' \
      'Content-Type: multipart/mixed; boundary="=_lab_b2"' \
      '' \
      '--=_lab_b2' \
      'Content-Type: text/plain; charset=us-ascii' \
      'Content-Transfer-Encoding: 7bit' \
      '' \
      'Scanned document attached.' \
      '' \
      '--=_lab_b2' \
      'Content-Type: application/pdf; name="doc2.pdf"' \
      'Content-Transfer-Encoding: base64' \
      'Content-Disposition: attachment; filename="doc2.pdf"' \
      ''
    pdf_bytes | base64 -w 76
    printf '%s\n' '' '--=_lab_b2--'
  } > "$f2"
  printf '%s\n' \
    'Return-Path: <someone@example.net>' \
    'From: <someone@example.net>' \
    'To: <ifax@lab.test>' \
    'Subject: i-FAX 3 (text only)' \
    'Date: Tue, 14 Nov 2023 22:13:23 +0000' \
    'Message-ID: <ifax-3.text@example.net>' \
    'MIME-Version: 1.0' \
    'Content-Type: text/plain; charset=us-ascii' \
    'Content-Transfer-Encoding: 7bit' \
    '' \
    'A plain text message without attachment.' \
    '.leading dot line for dot-stuffing checks' \
    'End.' > "$f3"
  # Fix the message order (POP3 message numbers 1..3) with a uidlist.
  {
    echo "3 V1700000000 N4 G$(printf '%032x' 1700000000)"
    echo "1 :${IFAX_UIDLS[0]}:2,"
    echo "2 :${IFAX_UIDLS[1]}:2,"
    echo "3 :${IFAX_UIDLS[2]}:2,"
  } > "$md/dovecot-uidlist"
  touch -d '2023-11-14 22:13:21' "$f1"; touch -d '2023-11-14 22:13:22' "$f2"; touch -d '2023-11-14 22:13:23' "$f3"
  chown -R "$MAIL_USER:$MAIL_GROUP" "$md"
  chmod 0644 "$f1" "$f2" "$f3" "$md/dovecot-uidlist"
}

make_mailboxes() {
  install -d -o "$MAIL_USER" -g "$MAIL_GROUP" -m 0755 "$RUN/mail" "$RUN/mail/lab.test"
  local a
  for a in "$SCAN_USER" "$CRAM_USER" "$HASHED_USER" catchall@lab.test; do
    rm -rf "$(maildir_of "$a")"; make_maildir "$(maildir_of "$a")"
  done
  rm -rf "$RUN/mail/relay"; make_maildir "$RUN/mail/relay/Maildir"
  write_ifax_mailbox
  rm -rf "$RUN/popauth"
  install -d -o "$MAIL_USER" -g "$MAIL_GROUP" -m 0755 "$RUN/popauth"
}

prepare_run_dir() {
  MAIL_UID=$(id -u "$MAIL_USER"); MAIL_GID=$(id -g "$MAIL_USER"); MAIL_GROUP=$(id -gn "$MAIL_USER")
  rm -rf "$RUN"
  install -d -m 0755 "$RUN" "$RUN/etc" "$POSTFIX_CONF" "$RUN/bin" "$RUN/log" "$RUN/spool"
  install -d -o postfix -g postfix -m 0700 "$RUN/data"
  # spawn(8) runs the policy script as $MAIL_USER: every parent must be searchable
  runuser -u "$MAIL_USER" -- test -x "$RUN" \
    || die "$RUN is not reachable by user $MAIL_USER (check the permissions of its parents)"

  render "$LAB_SRC/main.cf.in" "$POSTFIX_CONF/main.cf"
  render "$LAB_SRC/master.cf.in" "$POSTFIX_CONF/master.cf"
  render "$LAB_SRC/dovecot.conf.in" "$DOVECOT_CONF"
  render "$LAB_SRC/popbs-policy.pl" "$RUN/bin/popbs-policy.pl"
  render "$LAB_SRC/pop-postlogin.sh" "$RUN/bin/pop-postlogin.sh"
  chmod 0755 "$RUN/bin/popbs-policy.pl" "$RUN/bin/pop-postlogin.sh"

  # Postfix lookup tables (texthash: no postmap needed)
  {
    local a
    for a in "$SCAN_USER" "$CRAM_USER" "$HASHED_USER" "$IFAX_USER"; do
      echo "$a ${a#*@}/${a%@*}/Maildir/"
    done
    echo "@lab.test lab.test/catchall/Maildir/"
    echo "@example.net relay/Maildir/"
  } > "$POSTFIX_CONF/vmailbox"
  echo "example.net virtual:" > "$POSTFIX_CONF/transport"

  make_cert

  # Dovecot users: PLAIN, CRAM-MD5 and a hashed scheme
  local cram hashed
  cram=$(doveadm -c "$DOVECOT_CONF" pw -s CRAM-MD5 -p "$CRAM_PASSWORD")
  hashed=$(doveadm -c "$DOVECOT_CONF" pw -s SHA512-CRYPT -p "$HASHED_PASSWORD")
  {
    echo "$SCAN_USER:{PLAIN}$SCAN_PASSWORD::::::"
    echo "$CRAM_USER:$cram::::::"
    echo "$HASHED_USER:$hashed::::::"
    echo "$IFAX_USER:{PLAIN}$IFAX_PASSWORD::::::"
  } > "$RUN/etc/dovecot-users"
  chown root:dovecot "$RUN/etc/dovecot-users"; chmod 0640 "$RUN/etc/dovecot-users"

  make_mailboxes
}

write_env() {
  local tmp="$ENV_FILE.tmp"
  {
    echo "LAB_DIR=$RUN"
    echo "LAB_ENV_FILE=$ENV_FILE"
    echo "LAB_HOST=$HOST"
    echo "LAB_TLS_HOSTNAME=mail.lab.test"
    echo "LAB_FOREIGN_IP_FIRST=127.0.0.20"
    echo "LAB_FOREIGN_IP_LAST=127.0.0.29"
    echo "LOCAL_DOMAIN=lab.test"
    echo "RELAY_DOMAIN=example.net"
    echo "SMTP_AUTH_PORT=$SMTP_AUTH_PORT"
    echo "SMTP_NOAUTH_PORT=$SMTP_NOAUTH_PORT"
    echo "SMTP_STARTTLS_PORT=$SMTP_STARTTLS_PORT"
    echo "SMTPS_PORT=$SMTPS_PORT"
    echo "POP3_PORT=$POP3_PORT"
    echo "POP3S_PORT=$POP3S_PORT"
    echo "CA_CERT=$RUN/tls/server.crt"
    echo "SCAN_USER=$SCAN_USER"
    echo "SCAN_PASSWORD=$SCAN_PASSWORD"
    echo "CRAM_USER=$CRAM_USER"
    echo "CRAM_PASSWORD=$CRAM_PASSWORD"
    echo "HASHED_USER=$HASHED_USER"
    echo "HASHED_PASSWORD=$HASHED_PASSWORD"
    echo "IFAX_USER=$IFAX_USER"
    echo "IFAX_PASSWORD=$IFAX_PASSWORD"
    echo "MAILDIR_SCAN=$(maildir_of "$SCAN_USER")"
    echo "MAILDIR_CRAM=$(maildir_of "$CRAM_USER")"
    echo "MAILDIR_HASHED=$(maildir_of "$HASHED_USER")"
    echo "MAILDIR_IFAX=$(maildir_of "$IFAX_USER")"
    echo "MAILDIR_CATCHALL=$(maildir_of catchall@lab.test)"
    echo "MAILDIR_RELAY=$RUN/mail/relay/Maildir"
    echo "POP_BEFORE_SMTP_TTL_S=$POP_BEFORE_SMTP_TTL_S"
    echo "POPAUTH_DIR=$RUN/popauth"
    echo "IFAX_UIDLS=$(IFS=,; echo "${IFAX_UIDLS[*]}")"
    echo "IFAX_MESSAGE_COUNT=${#IFAX_UIDLS[@]}"
    echo "POSTFIX_LOG=$RUN/log/postfix.log"
    echo "DOVECOT_LOG=$RUN/log/dovecot.log"
  } > "$tmp"
  mv -f "$tmp" "$ENV_FILE"
}

show_logs() {
  local f
  for f in "$RUN/log/postfix-start.out" "$RUN/log/postfix.log" "$RUN/log/dovecot-start.out" "$RUN/log/dovecot.log"; do
    [[ -s $f ]] || continue
    printf -- '--- %s (last 40 lines)\n' "$f" >&2
    tail -n 40 "$f" >&2
  done
}

# The run directory stays, so the logs can be read; `stop` removes it.
start_failed() { show_logs; stop_daemons || true; die "$*"; }

cmd_start() {
  require_installed
  if healthy && [[ -s $ENV_FILE ]]; then
    log "already running"
    cat "$ENV_FILE"
    return 0
  fi
  local t0; t0=$(now_ms)
  stop_daemons   # leftovers of a half-started lab

  local p busy=()
  for p in "${ALL_PORTS[@]}"; do port_free "$p" || busy+=("$p"); done
  if [[ ${#busy[@]} -gt 0 ]]; then
    command -v ss >/dev/null && ss -ltnp 2>/dev/null | grep -E ":($(IFS='|'; echo "${busy[*]}"))\b" >&2 || true
    die "port(s) ${busy[*]} on $HOST already in use by another process; free them or set LAB_*_PORT"
  fi

  local t1 t2 t3
  prepare_run_dir
  t1=$(now_ms)

  # postfix check/start report problems on a terminal only (no syslog here):
  # run them under script(1) and keep the transcript.
  # The daemons must not inherit the lock descriptor (9).
  if ! script -qec "postfix -c '$POSTFIX_CONF' start" /dev/null \
       </dev/null >"$RUN/log/postfix-start.out" 2>&1 9>&-; then
    start_failed "postfix failed to start"
  fi
  t2=$(now_ms)
  # Dovecot must not inherit our stdout/stderr (callers may wait for EOF).
  if ! dovecot -c "$DOVECOT_CONF" </dev/null >"$RUN/log/dovecot-start.out" 2>&1 9>&-; then
    start_failed "dovecot failed to start"
  fi
  t3=$(now_ms)

  local deadline=$(( $(now_ms) + 15000 ))
  until healthy; do
    (( $(now_ms) > deadline )) && start_failed "daemons did not come up within 15 s"
    sleep 0.05
  done
  write_env
  log "started in $(( $(now_ms) - t0 )) ms (run dir $(( t1 - t0 )), postfix $(( t2 - t1 )), dovecot $(( t3 - t2 )), listeners $(( $(now_ms) - t3 )) ms); env file $ENV_FILE"
  cat "$ENV_FILE"
}

cmd_env() {
  [[ -s $ENV_FILE ]] || die "no env file at $ENV_FILE: run 'bash tests/lab/lab.sh start'"
  cat "$ENV_FILE"
}

cmd_reset() {
  require_installed
  healthy || die "the lab is not running"
  MAIL_UID=$(id -u "$MAIL_USER"); MAIL_GID=$(id -g "$MAIL_USER"); MAIL_GROUP=$(id -gn "$MAIL_USER")
  make_mailboxes
  log "mailboxes and POP-before-SMTP records reset"
}

# The folder that holds this clone's default run directory: created by root, and refused when
# someone else could have prepared it (a symlink, another owner, writable by others), since the
# lab runs as root and removes what it finds there.
prepare_lab_home() {
  [[ $DEFAULT_RUN -eq 1 ]] || return 0
  local d
  for d in "$LAB_BASE" "$LAB_HOME"; do
    [[ -L $d ]] && die "$d is a symbolic link; remove it (or set LAB_RUN_DIR)"
    if [[ ! -d $d ]]; then
      mkdir -m 0755 -- "$d" 2>/dev/null || [[ -d $d && ! -L $d ]] || die "cannot create $d"
    fi
    [[ $(stat -c %u -- "$d") == "$(id -u)" ]] || die "$d belongs to another user; remove it (or set LAB_RUN_DIR)"
    (( ( 8#$(stat -c %a -- "$d") & 8#022 ) == 0 )) || die "$d is writable by other users; remove it (or set LAB_RUN_DIR)"
  done
  # Which clone this run directory belongs to, for a person looking at LAB_BASE.
  printf '%s\n' "$REPO_ROOT" > "$LAB_HOME/clone"
}

# Serialise commands that change state (parallel test processes may call start). `stop` may
# remove the lock file of a default run directory: a process that got the lock on a removed
# file takes it again.
take_lock() {
  while :; do
    prepare_lab_home
    mkdir -p -- "$LAB_HOME"
    exec 9>"$LOCK_FILE"
    flock -w 120 9 || die "could not get the lab lock within 120 s"
    [[ /proc/self/fd/9 -ef $LOCK_FILE ]] && return 0
    exec 9>&-
  done
}

check_run_path() {
  # unix socket paths (Dovecot, Postfix) must stay under 108 bytes
  (( ${#RUN} <= 70 )) || die "run directory path too long for unix sockets: $RUN (set LAB_RUN_DIR to a shorter path)"
  # the path goes into Postfix and Dovecot configuration values and argv lines
  [[ $RUN != *[[:space:]]* ]] || die "run directory path holds white space: '$RUN' (set LAB_RUN_DIR to another path)"
}

case "${1:-}" in
  install) cmd_install ;;
  start)   check_run_path; take_lock; cmd_start ;;
  stop)
    # nothing to stop nor to remove: do not create the folders just to take the lock
    if [[ $DEFAULT_RUN -eq 1 && ! -d $LAB_HOME ]]; then log "not running"; exit 0; fi
    take_lock; cmd_stop ;;
  status)  cmd_status ;;
  env)     cmd_env ;;
  reset)
    if [[ $DEFAULT_RUN -eq 1 && ! -d $LAB_HOME ]]; then die "the lab is not running"; fi
    take_lock; cmd_reset ;;
  *) echo "usage: $0 install|start|stop|status|env|reset" >&2; exit 2 ;;
esac
