#Requires -Version 7.0
<#
.SYNOPSIS
    Flashes an ESP32 board: the nanoCLR firmware image for the board's target, the application, or both.

.DESCRIPTION
    Uses nanoff (the .NET nanoFramework firmware flasher, a dotnet tool), installing it when it is
    missing. The application image is the .bin that building nanoFramework.sln puts in the board
    project's bin\<Configuration> folder. With -WhatIf nothing is installed or flashed: the nanoff
    command lines are printed instead, exactly as they would run.

.PARAMETER Board
    olimex-esp32-poe (Ethernet, nanoCLR target ESP32_OLIMEX) or esp32-devkitc (Wi-Fi, ESP32_REV3).

.PARAMETER Port
    The board's serial port: COM5 on Windows, /dev/ttyUSB0 on Linux.

.PARAMETER Action
    firmware (the nanoCLR image only), app (the application only) or both (default).

.PARAMETER Configuration
    The build configuration whose output is deployed: Release (default) or Debug.

.PARAMETER Image
    An application image to deploy instead of the board project's build output.

.EXAMPLE
    ./flash.ps1 -Board olimex-esp32-poe -Port COM5
.EXAMPLE
    ./flash.ps1 -Board esp32-devkitc -Port /dev/ttyUSB0 -Action app -WhatIf
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$Board,
    [string]$Port,
    [string]$Action = 'both',
    [string]$Configuration = 'Release',
    [string]$Image
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The boards as data: nanoCLR target (a preset of nf-interpreter's targets/ESP32) and the application project.
$boards = [ordered]@{
    'olimex-esp32-poe' = @{ Target = 'ESP32_OLIMEX'; Folder = 'boards/olimex-esp32-poe'; Assembly = 'NetBoard.OlimexEsp32Poe' }
    'esp32-devkitc'    = @{ Target = 'ESP32_REV3'; Folder = 'boards/esp32-devkitc'; Assembly = 'NetBoard.Esp32DevKitC' }
}
$actions = @('firmware', 'app', 'both')
$configurations = @('Release', 'Debug')

function Stop-WithUsage([string]$message) {
    [Console]::Error.WriteLine("flash.ps1: $message")
    exit 2
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

# One nanoff run does both steps when both are asked: update the nanoCLR, then deploy.
$arguments = @()
if ($Action -ne 'app') {
    $arguments += @('--update')
}
$arguments += @('--target', $definition.Target, '--serialport', $Port)
if ($deploysApp) {
    $arguments += @('--deploy', '--image', $imagePath)
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
            [Console]::Error.WriteLine('flash.ps1: installing nanoff failed (dotnet tool install --global nanoff)')
            exit 1
        }
        $toolFolder = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.dotnet' 'tools'
        $env:PATH = $toolFolder + [IO.Path]::PathSeparator + $env:PATH
    }
    else {
        Write-Output (Format-Command $install)
    }
}

$line = Format-Command (@('nanoff') + $arguments)
if ($PSCmdlet.ShouldProcess("$Board on $Port", $line)) {
    & nanoff @arguments
    exit $LASTEXITCODE
}

# -WhatIf: the exact command, on standard output.
Write-Output $line
exit 0
