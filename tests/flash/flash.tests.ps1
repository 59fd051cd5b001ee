#Requires -Version 7.0
# Tests of flash.ps1, mostly in -WhatIf mode: the exact nanoff command lines for each board and
# action, the nanoCLR target chosen from the chip revision nanoff reports, a clear refusal (exit
# code 2) of every bad parameter and a clear error (exit code 1) when the revision cannot be read.
# A stand-in nanoff (a script first on PATH) prints the device details each test sets and records
# how it was called. Plain PowerShell, no Pester. Ends with "N passed, N failed"; exits 1 when any
# test failed.

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$flash = Join-Path $PSScriptRoot '..' '..' 'flash.ps1'
# The PowerShell running this script, also when it is the dotnet tool (whose process is dotnet itself).
$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$work = Join-Path ([IO.Path]::GetTempPath()) ("flash-tests-" + [Guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work | Out-Null
$image = Join-Path $work 'App.bin'
[IO.File]::WriteAllBytes($image, [byte[]](1, 2, 3))
$script:passed = 0
$script:failed = 0

# The stand-in nanoff: for --devicedetails it prints the file FAKE_NANOFF_DETAILS and exits with
# FAKE_NANOFF_EXIT; any other call (a flash) prints a line and succeeds. Every call is logged (a
# script runs inside flash.ps1, so its log write must not inherit -WhatIf).
$fakeBin = Join-Path $work 'bin'
$noNanoffBin = Join-Path $work 'empty'
New-Item -ItemType Directory -Path $fakeBin, $noNanoffBin | Out-Null
$nanoffLog = Join-Path $work 'nanoff.log'
$detailsFile = Join-Path $work 'details.txt'
Set-Content -LiteralPath (Join-Path $fakeBin 'nanoff.ps1') -Value @'
Add-Content -LiteralPath $env:FAKE_NANOFF_LOG -Value ($args -join ' ') -WhatIf:$false
if ($args -contains '--devicedetails') {
    Get-Content -LiteralPath $env:FAKE_NANOFF_DETAILS
    exit [int]$env:FAKE_NANOFF_EXIT
}
Write-Output 'stand-in nanoff: flashed'
exit 0
'@

# nanoff's device details as it prints them for a chip (see Esp32DeviceInfo.ToString in nanoff).
function Get-Details([string]$chipLine) {
    @(
        '.NET nanoFramework Firmware Flasher v2.5.0',
        'Reading details from chip...OK',
        '',
        'Connected to:',
        $chipLine,
        'Features Wi-Fi, BT, Dual Core + LP Core, 240MHz, Vref calibration in eFuse, Coding Scheme None',
        'Flash size 4MB GD25Q32 from GIGADEVICE (manufacturer 0xC8 device 0x4016)',
        'PSRAM: not available',
        'Crystal 40MHz',
        'MAC 24:0A:C4:00:01:10'
    )
}

# Runs flash.ps1 in a child pwsh, as a user would, with the stand-in nanoff first on PATH (or no
# nanoff at all) answering --devicedetails with $details and $detailsExit. Returns exit code, stdout
# lines, stderr text and the nanoff calls made.
function Invoke-Flash([string[]]$arguments, [string[]]$details = @(), [int]$detailsExit = 0, [switch]$NoNanoff) {
    $errFile = Join-Path $work 'stderr.txt'
    Set-Content -LiteralPath $detailsFile -Value $details
    Remove-Item -LiteralPath $nanoffLog -ErrorAction SilentlyContinue
    $savedPath = $env:PATH
    $dotnetFolder = Split-Path -Parent (Get-Process -Id $PID).Path
    $env:PATH = ($NoNanoff ? $noNanoffBin : $fakeBin) + [IO.Path]::PathSeparator + ($NoNanoff ? $dotnetFolder : $savedPath)
    $env:FAKE_NANOFF_LOG = $nanoffLog
    $env:FAKE_NANOFF_DETAILS = $detailsFile
    $env:FAKE_NANOFF_EXIT = "$detailsExit"
    try {
        $out = & $pwsh -NoProfile -NonInteractive -File $flash @arguments 2>$errFile
        $code = $LASTEXITCODE
    }
    finally {
        $env:PATH = $savedPath
    }
    [pscustomobject]@{
        Code   = $code
        Lines  = @($out | ForEach-Object { "$_" })
        Errors = (Get-Content -Raw -LiteralPath $errFile -ErrorAction SilentlyContinue) + ''
        Calls  = @(Get-Content -LiteralPath $nanoffLog -ErrorAction SilentlyContinue)
    }
}

function Test-Case([string]$name, [scriptblock]$body) {
    try {
        & $body
        $script:passed++
        Write-Output "PASS $name"
    }
    catch {
        $script:failed++
        Write-Output "FAIL $name`n     $($_.Exception.Message)"
    }
}

function Assert-True([bool]$condition, [string]$message) {
    if (-not $condition) {
        throw $message
    }
}

# The nanoff lines printed, in order, are exactly $expected (a device-details query, then the flash).
function Assert-Command($result, [string[]]$expected) {
    Assert-True ($result.Code -eq 0) "exit code $($result.Code), stderr: $($result.Errors)"
    $nanoffLines = @($result.Lines | Where-Object { $_ -like 'nanoff *' })
    Assert-True (($nanoffLines -join ' | ') -ceq ($expected -join ' | ')) "expected '$($expected -join ' | ')', got '$($nanoffLines -join ' | ')'"
}

# The device details were read exactly once, as nanoff's documentation shows, and nothing else ran.
function Assert-DetailsRead($result, [string]$port) {
    Assert-True (($result.Calls -join ' | ') -ceq "--platform esp32 --serialport $port --devicedetails") "nanoff calls: $($result.Calls -join ' | ')"
}

function Assert-Failed($result, [string]$fragment) {
    Assert-True ($result.Code -eq 1) "expected exit code 1, got $($result.Code); stderr: $($result.Errors)"
    Assert-True ($result.Errors -like "*$fragment*") "expected '$fragment' in stderr, got: $($result.Errors)"
    Assert-True (@($result.Lines | Where-Object { $_ -like 'nanoff *' -and $_ -notlike '*--devicedetails' }).Count -eq 0) 'a failed call must not print a flash command'
}

function Assert-Refused($result, [string]$fragment) {
    Assert-True ($result.Code -eq 2) "expected exit code 2, got $($result.Code)"
    Assert-True ($result.Errors -like "*$fragment*") "expected '$fragment' in stderr, got: $($result.Errors)"
    Assert-True (@($result.Lines | Where-Object { $_ -like 'nanoff *' }).Count -eq 0) 'a refused call must not print a nanoff command'
}

try {
    Test-Case 'firmware on the Olimex ESP32-POE flashes the ESP32_OLIMEX nanoCLR without reading the chip' {
        $result = Invoke-Flash @('-Board', 'olimex-esp32-poe', '-Port', 'COM5', '-Action', 'firmware', '-WhatIf')
        Assert-Command $result 'nanoff --update --target ESP32_OLIMEX --serialport COM5'
        Assert-True ($result.Calls.Count -eq 0) "nanoff was called: $($result.Calls -join ' | ')"
    }

    Test-Case 'a DevKitC with a revision 3 chip gets the ESP32_REV3 nanoCLR' {
        $result = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', '/dev/ttyUSB0', '-Action', 'firmware', '-WhatIf') `
            (Get-Details 'ESP32 (ESP32-D0WD-V3 (revision v3.0))')
        Assert-Command $result @('nanoff --platform esp32 --serialport /dev/ttyUSB0 --devicedetails',
            'nanoff --update --target ESP32_REV3 --serialport /dev/ttyUSB0')
        Assert-DetailsRead $result '/dev/ttyUSB0'
        Assert-True ($result.Lines -contains '# chip ESP32-D0WD-V3 (revision v3.0): nanoCLR target ESP32_REV3') "output: $($result.Lines -join ' | ')"
    }

    Test-Case 'a DevKitC with a revision 1 chip (esptool 3 wording) gets the ESP32_REV0 nanoCLR' {
        $result = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM7', '-Action', 'firmware', '-WhatIf') `
            (Get-Details 'ESP32 (ESP32-D0WD (revision 1))')
        Assert-Command $result @('nanoff --platform esp32 --serialport COM7 --devicedetails',
            'nanoff --update --target ESP32_REV0 --serialport COM7')
        Assert-DetailsRead $result 'COM7'
    }

    Test-Case 'a DevKitC with a revision 0 chip gets the ESP32_REV0 nanoCLR and the application' {
        $result = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM7', '-Image', $image, '-WhatIf') `
            (Get-Details 'ESP32 (ESP32-D0WDQ6 (revision v0.0))')
        Assert-Command $result @('nanoff --platform esp32 --serialport COM7 --devicedetails',
            "nanoff --update --target ESP32_REV0 --serialport COM7 --deploy --image $image")
    }

    Test-Case 'app deploys the image without updating the nanoCLR' {
        Assert-Command (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM7', '-Action', 'app', '-Image', $image, '-WhatIf') `
                (Get-Details 'ESP32 (ESP32-D0WD-V3 (revision v3.1))')) `
            @('nanoff --platform esp32 --serialport COM7 --devicedetails', "nanoff --target ESP32_REV3 --serialport COM7 --deploy --image $image")
    }

    Test-Case '-Target overrides the board target and no device details are read' {
        $result = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM7', '-Action', 'firmware', '-Target', 'ESP32_PSRAM_REV3', '-WhatIf')
        Assert-Command $result 'nanoff --update --target ESP32_PSRAM_REV3 --serialport COM7'
        Assert-True ($result.Calls.Count -eq 0) "nanoff was called: $($result.Calls -join ' | ')"
    }

    Test-Case 'device details without a chip revision are a clear error naming -Target' {
        $result = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM7', '-Action', 'firmware', '-WhatIf') `
            @('Connected to:', 'ESP32', 'Features Wi-Fi, BT', 'Crystal 40MHz')
        Assert-Failed $result 'could not read the chip revision'
        Assert-True ($result.Errors -like '*-Target ESP32_REV0 (chip revision 0 to 2) or -Target ESP32_REV3*') "stderr: $($result.Errors)"
        Assert-True ($result.Errors -like '*Features Wi-Fi, BT*') "nanoff's output is not shown: $($result.Errors)"
    }

    Test-Case 'a chip that is not an ESP32 is a clear error' {
        Assert-Failed (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM7', '-Action', 'firmware', '-WhatIf') `
                (Get-Details 'ESP32-S3 (ESP32-S3 (QFN56) (revision v0.2))')) 'is an ESP32-S3'
    }

    Test-Case 'nanoff failing to read the device details is a clear error' {
        Assert-Failed (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM9', '-Action', 'firmware', '-WhatIf') `
                @('Error E6000: Couldn''t open serial device') 3) 'nanoff could not read the device details on COM9 (exit code 3)'
    }

    Test-Case '-WhatIf without nanoff installed cannot guess the revision and says so' {
        $result = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM7', '-Action', 'firmware', '-WhatIf') -NoNanoff
        Assert-Failed $result 'nanoff is not installed'
        Assert-True ($result.Lines -contains 'dotnet tool install --global nanoff') "output: $($result.Lines -join ' | ')"
    }

    Test-Case 'without -WhatIf the same commands run' {
        $result = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM7', '-Action', 'firmware') (Get-Details 'ESP32 (ESP32-D0WD (revision v1.0))')
        Assert-True ($result.Code -eq 0) "exit code $($result.Code), stderr: $($result.Errors)"
        Assert-True (($result.Calls -join ' | ') -ceq '--platform esp32 --serialport COM7 --devicedetails | --update --target ESP32_REV0 --serialport COM7') "nanoff calls: $($result.Calls -join ' | ')"
        Assert-True ($result.Lines -contains 'stand-in nanoff: flashed') "output: $($result.Lines -join ' | ')"
    }

    Test-Case 'both is the default and does update and deploy in one run' {
        Assert-Command (Invoke-Flash @('-Board', 'olimex-esp32-poe', '-Port', 'COM3', '-Image', $image, '-WhatIf')) `
            "nanoff --update --target ESP32_OLIMEX --serialport COM3 --deploy --image $image"
    }

    Test-Case 'an image path with a space is quoted' {
        $spaced = Join-Path $work 'my app.bin'
        [IO.File]::WriteAllBytes($spaced, [byte[]](1))
        Assert-Command (Invoke-Flash @('-Board', 'olimex-esp32-poe', '-Port', 'COM3', '-Action', 'app', '-Image', $spaced, '-WhatIf')) `
            "nanoff --target ESP32_OLIMEX --serialport COM3 --deploy --image `"$spaced`""
    }

    Test-Case 'an unknown board is refused and the known ones are named' {
        Assert-Refused (Invoke-Flash @('-Board', 'esp8266', '-Port', 'COM5', '-WhatIf')) 'unknown board'
    }

    Test-Case 'a missing board is refused' {
        Assert-Refused (Invoke-Flash @('-Port', 'COM5', '-WhatIf')) '-Board is required'
    }

    Test-Case 'a missing port is refused' {
        Assert-Refused (Invoke-Flash @('-Board', 'esp32-devkitc', '-Action', 'firmware', '-WhatIf')) '-Port is required'
    }

    Test-Case 'a port that is no serial port name is refused' {
        Assert-Refused (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'usb', '-Action', 'firmware', '-WhatIf')) 'not a serial port name'
    }

    Test-Case 'an unknown action is refused' {
        Assert-Refused (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM5', '-Action', 'erase', '-WhatIf')) 'unknown action'
    }

    Test-Case 'a -Target that is no target name is refused' {
        Assert-Refused (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM5', '-Target', 'ESP32 REV3', '-WhatIf')) 'not a nanoCLR target name'
    }

    Test-Case 'an unknown configuration is refused' {
        Assert-Refused (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM5', '-Configuration', 'Fast', '-WhatIf')) 'unknown configuration'
    }

    Test-Case 'deploying without a built application image is refused' {
        Assert-Refused (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM5', '-Action', 'app', '-Configuration', 'Debug', '-WhatIf')) 'no application image'
    }

    Test-Case 'a missing -Image file is refused' {
        Assert-Refused (Invoke-Flash @('-Board', 'olimex-esp32-poe', '-Port', 'COM5', '-Image', (Join-Path $work 'none.bin'), '-WhatIf')) 'no application image'
    }
}
finally {
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
}

Write-Output "$($script:passed) passed, $($script:failed) failed"
if ($script:failed -gt 0) {
    exit 1
}
exit 0
