#!/usr/bin/env bash
# The project's test command: installs and starts what the tests need (the Postfix + Dovecot lab and
# its OAuth 2.0 authorization server, which `lab.sh install` builds with the .NET SDK),
# builds the host solution, runs the nano compile check and every xunit project, then stops the lab
# again if this run started it (which removes the clone's lab run directory, see tests/lab/README.md).
# Works from any clone: the lab never needs to enter the clone's folder. Ends with one summary line:
# "N passed, N failed, N skipped".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

lab_started=0
cleanup() {
  if [ "$lab_started" = 1 ]; then
    bash tests/lab/lab.sh stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

echo "== tools"
# tmux gives the panel's end-to-end test a real pseudo-terminal.
if ! command -v tmux >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q tmux >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q tmux >/dev/null; }
fi

# Debian's chromium and its matching chromedriver for the web page's browser tests (tests/browser).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null; }
fi

echo "== mail lab"
bash tests/lab/lab.sh install
if ! bash tests/lab/lab.sh status >/dev/null 2>&1; then
  lab_started=1
fi
bash tests/lab/lab.sh start >/dev/null

echo "== build"
dotnet build NetBoard.Host.sln -c Release -nologo -v q

echo "== nano compile check (firmware/ and hal/interfaces/ against nanoFramework.CoreLibrary's mscorlib)"
dotnet build tests/nano/NanoCompileCheck.csproj -c Release -nologo -v q

# ---- flash.ps1 tests (PowerShell) -------------------------------------------------------------
# A separate step: installs the PowerShell dotnet tool into the ignored .lab folder and runs the
# tests of flash.ps1 (exact nanoff commands, the target by chip revision, refused parameters). Prints its own
# "N passed, N failed" line; a failure stops the run.
echo "== flash.ps1 tests (PowerShell 7.6.9 dotnet tool)"
pwsh_dir="$root/.lab/tools/powershell"
if [ ! -x "$pwsh_dir/pwsh" ]; then
  dotnet tool install --tool-path "$pwsh_dir" PowerShell --version 7.6.9 >/dev/null
fi
"$pwsh_dir/pwsh" -NoProfile -NonInteractive -File tests/flash/flash.tests.ps1
# ---- end of flash.ps1 tests --------------------------------------------------------------------

echo "== tests"
log=$(mktemp)
status=0
dotnet test NetBoard.Host.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# Sum the per-assembly result lines ("Passed!  - Failed: 0, Passed: 58, Skipped: 0, ...").
summary=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}')
rm -f "$log"
echo "$summary"
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
case "$summary" in
  "0 passed,"*) echo "no test ran" >&2; exit 1 ;;
esac
