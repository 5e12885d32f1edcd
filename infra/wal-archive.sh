# Sourced by infra/up.sh, backup.sh and restore.sh (and, through `bash -c`, the backup test's own cluster): how
# PostgreSQL's WAL is archived and read back, written once. docs/operations.md explains the whole backup.

# Where the machine's cluster archives its WAL (up.sh); PJ_WAL_ARCHIVE=off turns archiving into a no-op.
PJ_WAL_ARCHIVE=${PJ_WAL_ARCHIVE:-/var/lib/postgresql/patientjourney-wal-archive}
# Where backup.sh keeps base backups and restore.sh looks for the latest.
PJ_BACKUP_DIR=${PJ_BACKUP_DIR:-/var/backups/patientjourney}
# At most this many seconds of commits live only in the current WAL segment (the RPO when the machine is lost):
# PostgreSQL switches to a new segment, and so archives the current one, after this long with anything written.
PJ_ARCHIVE_TIMEOUT=${PJ_ARCHIVE_TIMEOUT:-60}

# The archive_command for a directory. A segment is copied under a temporary name, flushed, then renamed: a crash never
# leaves a half segment under its real name (which recovery would read as a broken WAL). A segment already there is
# accepted only when identical (PostgreSQL retries a segment whose archiving it did not see succeed); never overwritten.
pj_archive_command() {
  local dir=$1
  if [ "$dir" = off ]; then echo '/bin/true'; return; fi
  printf '%s' "f=$dir/%f; if [ -f \"\$f\" ]; then cmp -s \"%p\" \"\$f\"; else cp \"%p\" \"\$f.part\" && sync \"\$f.part\" && mv \"\$f.part\" \"\$f\"; fi"
}

# The restore_command that reads segments back from that directory during recovery.
pj_restore_command() { printf '%s' "cp \"$1/%f\" \"%p\""; }

# Runs a command as the postgres OS user (the owner of every cluster's files): as it, or through runuser as root.
pj_as_postgres() {
  if [ "$(id -un)" = postgres ]; then (cd / && "$@")
  elif [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@")
  else (cd / && sudo -u postgres "$@"); fi
}

# PostgreSQL's own tools (pg_basebackup, pg_ctl, pg_verifybackup), not on Debian's PATH: the newest version installed,
# or PJ_PG_BIN.
pj_pg_bin() {
  if [ -n "${PJ_PG_BIN:-}" ]; then echo "$PJ_PG_BIN"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "backup: no PostgreSQL tools under /usr/lib/postgresql (run infra/up.sh)" >&2; return 1; }
  echo "$dir"
}
