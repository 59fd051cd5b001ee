#Requires -Version 7.0
# Tests of flash.ps1 in -WhatIf mode: the exact nanoff command lines for each board and action,
# and a clear refusal (exit code 2) of every bad parameter. Plain PowerShell, no Pester.
# Ends with "N passed, N failed"; exits 1 when any test failed.

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

# Runs flash.ps1 in a child pwsh, as a user would; returns exit code, stdout lines and stderr text.
function Invoke-Flash([string[]]$arguments) {
    $errFile = Join-Path $work 'stderr.txt'
    $out = & $pwsh -NoProfile -NonInteractive -File $flash @arguments 2>$errFile
    [pscustomobject]@{
        Code   = $LASTEXITCODE
        Lines  = @($out | ForEach-Object { "$_" })
        Errors = (Get-Content -Raw -LiteralPath $errFile -ErrorAction SilentlyContinue) + ''
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

function Assert-Command($result, [string]$expected) {
    Assert-True ($result.Code -eq 0) "exit code $($result.Code), stderr: $($result.Errors)"
    $nanoffLines = @($result.Lines | Where-Object { $_ -like 'nanoff *' })
    Assert-True ($nanoffLines.Count -eq 1) "expected one nanoff line, got: $($result.Lines -join ' | ')"
    Assert-True ($nanoffLines[0] -ceq $expected) "expected '$expected', got '$($nanoffLines[0])'"
}

function Assert-Refused($result, [string]$fragment) {
    Assert-True ($result.Code -eq 2) "expected exit code 2, got $($result.Code)"
    Assert-True ($result.Errors -like "*$fragment*") "expected '$fragment' in stderr, got: $($result.Errors)"
    Assert-True (@($result.Lines | Where-Object { $_ -like 'nanoff *' }).Count -eq 0) 'a refused call must not print a nanoff command'
}

try {
    Test-Case 'firmware on the Olimex ESP32-POE flashes the ESP32_OLIMEX nanoCLR' {
        Assert-Command (Invoke-Flash @('-Board', 'olimex-esp32-poe', '-Port', 'COM5', '-Action', 'firmware', '-WhatIf')) `
            'nanoff --update --target ESP32_OLIMEX --serialport COM5'
    }

    Test-Case 'firmware on the DevKitC flashes the ESP32_REV3 nanoCLR' {
        Assert-Command (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', '/dev/ttyUSB0', '-Action', 'firmware', '-WhatIf')) `
            'nanoff --update --target ESP32_REV3 --serialport /dev/ttyUSB0'
    }

    Test-Case 'app deploys the image without updating the nanoCLR' {
        Assert-Command (Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM7', '-Action', 'app', '-Image', $image, '-WhatIf')) `
            "nanoff --target ESP32_REV3 --serialport COM7 --deploy --image $image"
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
