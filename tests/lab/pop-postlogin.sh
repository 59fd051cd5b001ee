#!/bin/sh
# Dovecot post-login script for POP3 in the mail lab: remember the client IP
# for POP before SMTP, then continue the login. The record directory
# is filled in when lab.sh renders this file.
POPAUTH_DIR='@@RUN@@/popauth'
case "$IP" in
  ''|*[!0-9A-Fa-f.:]*) ;;
  *) touch "$POPAUTH_DIR/$IP" 2>/dev/null || true ;;
esac
exec "$@"
