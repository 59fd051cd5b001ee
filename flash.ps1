#Requires -Version 7.0
<#
.SYNOPSIS
    Flashes an ESP32 board: the nanoCLR firmware image for the board's target, the application, or both.

.DESCRIPTION
    Uses nanoff (the .NET nanoFramework firmware flasher, a dotnet tool), installing it when it is
    missing. The application image is the .bin that building nanoFramework.sln puts in the board
    project's bin\<Configuration> folder.

    The nanoCLR target of the ESP32-DevKitC depends on the chip's silicon revision: ESP32_REV3 needs
    revision 3 or later, older chips need ESP32_REV0. Unless -Target is given, the script asks nanoff
    for the device details (nanoff --platform esp32 --serialport PORT --devicedetails, which only
    reads the chip) and picks the target from the revision it reports. The Olimex ESP32-POE always
    takes ESP32_OLIMEX, which is built for every revision.

    With -WhatIf nothing is installed or flashed: the nanoff command lines are printed instead,
    exactly as they would run. The device details are still read (that changes nothing on the
    board), so the printed command carries the target the board needs.

.PARAMETER Board
    olimex-esp32-poe (Ethernet, nanoCLR target ESP32_OLIMEX) or esp32-devkitc (Wi-Fi, ESP32_REV0 or
    ESP32_REV3 by chip revision).

.PARAMETER Port
    The board's serial port: COM5 on Windows, /dev/ttyUSB0 on Linux.

.PARAMETER Action
    firmware (the nanoCLR image only), app (the application only) or both (default).

.PARAMETER Configuration
    The build configuration whose output is deployed: Release (default) or Debug.

.PARAMETER Image
    An application image to deploy instead of the board project's build output.

.PARAMETER Target
    The nanoCLR target to use instead of the board's (no device details are read), e.g. ESP32_REV0,
    ESP32_REV3, ESP32_PSRAM_REV3 for a WROVER module, ESP32_OLIMEX_WROVER.

.EXAMPLE
    ./flash.ps1 -Board olimex-esp32-poe -Port COM5
.EXAMPLE
    ./flash.ps1 -Board esp32-devkitc -Port /dev/ttyUSB0 -Action app -WhatIf
.EXAMPLE
    ./flash.ps1 -Board esp32-devkitc -Port COM7 -Target ESP32_REV0
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$Board,
    [string]$Port,
    [string]$Action = 'both',
    [string]$Configuration = 'Release',
    [string]$Image,
    [string]$Target
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The boards as data: nanoCLR target (a preset of nf-interpreter's targets/ESP32) and the application
# project. A board without a fixed Target takes Rev0Target for chip revisions 0 to 2 and Rev3Target from 3.
$boards = [ordered]@{
    'olimex-esp32-poe' = @{ Target = 'ESP32_OLIMEX'; Folder = 'boards/olimex-esp32-poe'; Assembly = 'NetBoard.OlimexEsp32Poe' }
    'esp32-devkitc'    = @{ Target = $null; Rev0Target = 'ESP32_REV0'; Rev3Target = 'ESP32_REV3'; Folder = 'boards/esp32-devkitc'; Assembly = 'NetBoard.Esp32DevKitC' }
}
$actions = @('firmware', 'app', 'both')
$configurations = @('Release', 'Debug')

function Stop-WithUsage([string]$message) {
    [Console]::Error.WriteLine("flash.ps1: $message")
    exit 2
}

# A failure past the parameters (nanoff, the board): exit code 1.
function Stop-WithError([string]$message) {
    [Console]::Error.WriteLine("flash.ps1: $message")
    exit 1
}

# The chip line of nanoff's device details: "ESP32 (ESP32-D0WD-V3 (revision v3.0))" (esptool 4 and
# later, and nanoff's own reader) or "ESP32 (ESP32-D0WD (revision 1))" (esptool 3). Returns the chip
# type, its description and the major revision, or $null when no such line is there.
function Read-ChipRevision([string[]]$lines) {
    foreach ($line in $lines) {
        if ($line -match '^\s*(?<type>ESP32[-A-Za-z0-9]*) \((?<name>.*\(revision v?(?<major>[0-9]+)(\.[0-9]+)?\))\)\s*$') {
            return [pscustomobject]@{ Type = $Matches['type']; Name = $Matches['name']; Major = [int]$Matches['major'] }
        }
    }
    return $null
}

if ([string]::IsNullOrWhiteSpace($Board)) {
    Stop-WithUsage "-Board is required: one of $($boards.Keys -join ', ')"
}
if (-not $boards.Contains($Board)) {
    Stop-WithUsage "unknown board '$Board': use one of $($boards.Keys -join ', ')"
}
if ($actions -notcontains $Action) {
    Stop-WithUsage "unknown action '$Action': use firmware, app or both"
}
if ($configurations -notcontains $Configuration) {
    Stop-WithUsage "unknown configuration '$Configuration': use Release or Debug"
}
if ([string]::IsNullOrWhiteSpace($Port)) {
    Stop-WithUsage "-Port is required: the board's serial port, e.g. COM5 or /dev/ttyUSB0"
}
if ($Port -notmatch '^(COM[0-9]+|/dev/[A-Za-z0-9._/-]+)$') {
    Stop-WithUsage "'$Port' is not a serial port name: use COMn on Windows or /dev/... on Linux and macOS"
}
if ($PSBoundParameters.ContainsKey('Target') -and $Target -notmatch '^[A-Za-z0-9_.-]+$') {
    Stop-WithUsage "'$Target' is not a nanoCLR target name: use one of nanoFramework's published targets, e.g. ESP32_REV0 or ESP32_REV3"
}

$definition = $boards[$Board]
$deploysApp = $Action -ne 'firmware'
$imagePath = $null
if ($deploysApp) {
    if ([string]::IsNullOrWhiteSpace($Image)) {
        $imagePath = Join-Path $PSScriptRoot $definition.Folder 'bin' $Configuration "$($definition.Assembly).bin"
    }
    else {
        $imagePath = $Image
    }

    if (-not (Test-Path -LiteralPath $imagePath -PathType Leaf)) {
        Stop-WithUsage "no application image at '$imagePath': build nanoFramework.sln ($Configuration) in Visual Studio with the nanoFramework extension first, or pass -Image"
    }
    $imagePath = (Resolve-Path -LiteralPath $imagePath).Path
}

function Format-Command([string[]]$words) {
    ($words | ForEach-Object { if ($_ -match '\s') { '"' + $_ + '"' } else { $_ } }) -join ' '
}

$nanoff = Get-Command nanoff -ErrorAction SilentlyContinue
if (-not $nanoff) {
    $install = @('dotnet', 'tool', 'install', '--global', 'nanoff')
    if ($PSCmdlet.ShouldProcess('nanoff', 'install the dotnet tool')) {
        & $install[0] $install[1..($install.Length - 1)]
        if ($LASTEXITCODE -ne 0) {
            Stop-WithError 'installing nanoff failed (dotnet tool install --global nanoff)'
        }
        $toolFolder = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.dotnet' 'tools'
        $env:PATH = $toolFolder + [IO.Path]::PathSeparator + $env:PATH
        $nanoff = Get-Command nanoff -ErrorAction SilentlyContinue
    }
    else {
        Write-Output (Format-Command $install)
    }
}

# The nanoCLR target: -Target, else the board's own, else the one its chip revision needs.
if (-not [string]::IsNullOrEmpty($Target)) {
    $targetName = $Target
}
elseif ($definition.Target) {
    $targetName = $definition.Target
}
else {
    $query = @('--platform', 'esp32', '--serialport', $Port, '--devicedetails')
    $useTarget = "pass -Target $($definition.Rev0Target) (chip revision 0 to 2) or -Target $($definition.Rev3Target) (revision 3 or later)"
    Write-Output (Format-Command (@('nanoff') + $query))
    if (-not $nanoff) {
        Stop-WithError "the $Board target depends on the chip revision, which nanoff reads from the board, and nanoff is not installed: install it (dotnet tool install --global nanoff) or $useTarget"
    }

    $details = @(& nanoff @query 2>&1 | ForEach-Object { "$_" })
    $queryCode = $LASTEXITCODE
    $shown = ($details | ForEach-Object { "    $_" }) -join [Environment]::NewLine
    if ($queryCode -ne 0) {
        Stop-WithError "nanoff could not read the device details on $Port (exit code $queryCode): check the port and the cable (some boards need BOOT held while connecting), or $useTarget. nanoff said:$([Environment]::NewLine)$shown"
    }

    $chip = Read-ChipRevision $details
    if ($null -eq $chip) {
        Stop-WithError "could not read the chip revision from nanoff's device details on $Port (no line like 'ESP32 (ESP32-D0WD-V3 (revision v3.0))'): $useTarget. nanoff said:$([Environment]::NewLine)$shown"
    }
    if ($chip.Type -ne 'ESP32') {
        Stop-WithError "the chip on $Port is an $($chip.Type) ($($chip.Name)), not the ESP32 of the ${Board}: check -Port"
    }

    $targetName = if ($chip.Major -ge 3) { $definition.Rev3Target } else { $definition.Rev0Target }
    Write-Output "# chip $($chip.Name): nanoCLR target $targetName"
}

# One nanoff run does both steps when both are asked: update the nanoCLR, then deploy.
$arguments = @()
if ($Action -ne 'app') {
    $arguments += @('--update')
}
$arguments += @('--target', $targetName, '--serialport', $Port)
if ($deploysApp) {
    $arguments += @('--deploy', '--image', $imagePath)
}

$line = Format-Command (@('nanoff') + $arguments)
if ($PSCmdlet.ShouldProcess("$Board on $Port", $line)) {
    & nanoff @arguments
    exit $LASTEXITCODE
}

# -WhatIf: the exact command, on standard output.
Write-Output $line
exit 0
