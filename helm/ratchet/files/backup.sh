#!/bin/sh
# The backup CronJob's script (POSIX sh: runs in the curl image). Takes one backup through the client
# Service with the admin token from the mounted Secret, writes it as
# ratchet-backup-<UTC time>-<applied index>.bin into BACKUP_DIR (whole files only: the download goes to a
# dot-file first), and keeps the newest KEEP. Exits non-zero (the Job fails, the CronJob retries) when
# the backup cannot be taken; older backups are never removed then.
set -eu
: "${RATCHET_URL:?RATCHET_URL must be the API base URL}"
: "${TOKEN_FILE:?TOKEN_FILE must name the admin token file}"
: "${BACKUP_DIR:?BACKUP_DIR must be the backup directory}"
KEEP=${KEEP:-7}
case "$KEEP" in
  ''|*[!0-9]*|0) echo "backup: KEEP must be a positive whole number, got '$KEEP'" >&2; exit 2 ;;
esac
if [ ! -r "$TOKEN_FILE" ]; then
  echo "backup: cannot read the admin token file $TOKEN_FILE" >&2
  exit 2
fi
work=${TMPDIR:-/tmp}
# The token goes to curl in a header file, not on its command line (visible in /proc to the pod).
umask 077
printf 'Authorization: Bearer %s\n' "$(cat "$TOKEN_FILE")" > "$work/auth-header"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
partial="$BACKUP_DIR/.ratchet-backup-$stamp.partial"
trap 'rm -f "$partial" "$work/auth-header" "$work/backup-headers"' EXIT
curl --fail --silent --show-error --retry 5 --retry-delay 10 --retry-connrefused --max-time 900 \
  -H "@$work/auth-header" -D "$work/backup-headers" -o "$partial" "$RATCHET_URL/api/v1/admin/backup"
if [ ! -s "$partial" ]; then
  echo "backup: the node answered an empty backup" >&2
  exit 1
fi
index=$(tr -d '\r' < "$work/backup-headers" | sed -n 's/^[Xx]-[Rr]atchet-[Aa]pplied-[Ii]ndex: *\([0-9][0-9]*\)$/\1/p' | tail -n 1)
if [ -z "$index" ]; then
  echo "backup: the answer has no X-Ratchet-Applied-Index header; is $RATCHET_URL a Ratchet node?" >&2
  exit 1
fi
name="ratchet-backup-$stamp-$index.bin"
mv "$partial" "$BACKUP_DIR/$name"
echo "backup: wrote $BACKUP_DIR/$name ($(wc -c < "$BACKUP_DIR/$name") bytes, applied index $index)"
# Names sort by time; remove all but the newest KEEP.
ls -1 "$BACKUP_DIR" | grep '^ratchet-backup-[0-9TZ]*-[0-9]*\.bin$' | sort -r | tail -n +"$((KEEP + 1))" |
  while read -r old; do
    rm -f "$BACKUP_DIR/$old"
    echo "backup: removed $old (keeping $KEEP)"
  done
