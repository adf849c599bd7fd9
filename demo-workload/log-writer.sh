#!/bin/sh
# A log-heavy "application" for the docker compose demo. It keeps ~16 MB of anonymous memory
# (its real used), and writes log files and reads them back, as a log shipper or a service
# grepping its own logs would. The kernel keeps the files in page cache, so the container's
# working set climbs toward its memory limit while its real used stays flat.
# Disk is bounded: FILES files of FILE_MB MB, overwritten in turn.
set -eu
DIR=${LOG_DIR:-/logs}
FILES=${FILES:-8}
FILE_MB=${FILE_MB:-24}
PAUSE=${PAUSE:-15}
ROUNDS=${ROUNDS:-0} # 0 = forever (the demo); tests set a bound

mkdir -p "$DIR"
# Anonymous memory the kernel cannot drop: a 16 MB string held by this shell.
ANON=$(head -c 16777216 /dev/zero | tr '\0' 'x')

i=0
while [ "$ROUNDS" -eq 0 ] || [ "$i" -lt "$ROUNDS" ]; do
  f="$DIR/app-$((i % FILES)).log"
  line="$(date '+%Y-%m-%dT%H:%M:%S') INFO request handled method=GET path=/api/v1/items status=200 took_ms=12"
  yes "$line" | head -c $((FILE_MB * 1048576)) > "$f"
  # Read every log twice: the second read moves the pages to the active file list.
  for g in "$DIR"/app-*.log; do
    grep -c ERROR "$g" > /dev/null || true
    cat "$g" > /dev/null
  done
  echo "round $i: wrote $f (${FILE_MB} MB), re-read $(ls "$DIR" | wc -l) files; anon ${#ANON} bytes"
  i=$((i + 1))
  sleep "$PAUSE"
done
