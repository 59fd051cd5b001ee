#!/usr/bin/perl
# Smoke check of a running mail lab (plain sockets only, core Perl modules
# from perl-base; TLS listeners are checked with openssl s_client).
# Usage: perl tests/lab/selfcheck.pl [ENV_FILE]   (default: from `lab.sh env`)
use strict;
use warnings;
use IO::Socket::INET;

my %env;
{
    my $text;
    if (@ARGV) {
        open my $fh, '<', $ARGV[0] or die "cannot read $ARGV[0]: $!\n";
        local $/; $text = <$fh>;
    } else {
        my $dir = $0; $dir =~ s{/[^/]*\z}{}; $dir = '.' if $dir eq $0;
        $text = `bash "$dir/lab.sh" env`;
        die "lab is not running (lab.sh env failed)\n" if $? != 0;
    }
    for (split /\n/, $text) { $env{$1} = $2 if /\A([A-Z0-9_]+)=(.*)\z/ }
}

my ($pass, $fail) = (0, 0);
sub check {
    my ($ok, $what) = @_;
    if ($ok) { $pass++; print "ok   $what\n" } else { $fail++; print "FAIL $what\n" }
}

sub b64 { # base64 without MIME::Base64
    my $s = shift;
    my $u = pack('u', $s); $u =~ s/^.//mg; $u =~ s/\n//g; $u =~ tr{` -_}{AA-Za-z0-9+/};
    my $pad = (3 - length($s) % 3) % 3;
    substr($u, -$pad) = '=' x $pad if $pad;
    return $u;
}

sub conn {
    my ($port, $from_ip) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
        LocalAddr => $from_ip // '127.0.0.1', Timeout => 10) or die "connect $port: $!\n";
    $s->autoflush(1);
    return $s;
}
sub smtp_reply { # full (multi-line) reply
    my $s = shift; my $r = '';
    while (defined(my $l = <$s>)) { $r .= $l; last if $l =~ /^\d{3} / }
    return $r;
}
sub smtp { my ($s, $cmd) = @_; print $s "$cmd\r\n"; return smtp_reply($s) }
sub pop_line { my ($s, $cmd) = @_; print $s "$cmd\r\n" if defined $cmd; return scalar <$s> }

sub wait_file_in {
    my ($dir, $needle) = @_;
    for (1 .. 100) {
        for my $f (glob "$dir/new/*") {
            open my $fh, '<', $f or next; local $/; my $c = <$fh>;
            return 1 if index($c, $needle) >= 0;
        }
        select undef, undef, undef, 0.1;
    }
    return 0;
}

my $tag = "selfcheck-$$-" . time;
my $plain = b64("\0$env{SCAN_USER}\0$env{SCAN_PASSWORD}");
my $wrong = b64("\0$env{SCAN_USER}\0wrong-password");

# AUTH port: AUTH offered, wrong password 535, right password 235, relay ok
{
    my $s = conn($env{SMTP_AUTH_PORT}, '127.0.0.20');
    smtp_reply($s);
    my $ehlo = smtp($s, 'EHLO selfcheck');
    check($ehlo =~ /^250[- ]AUTH PLAIN LOGIN CRAM-MD5\r?$/m, 'AUTH port offers PLAIN LOGIN CRAM-MD5');
    check(smtp($s, "MAIL FROM:<a\@b.test>") =~ /^250/ && smtp($s, "RCPT TO:<x\@$env{RELAY_DOMAIN}>") =~ /^554 5\.7\.1 .*Relay access denied/,
          'foreign client without AUTH: 554 Relay access denied');
    smtp($s, 'RSET');
    check(smtp($s, "AUTH PLAIN $wrong") =~ /^535/, 'wrong password: 535');
    check(smtp($s, "AUTH PLAIN $plain") =~ /^235/, 'AUTH PLAIN scan: 235');
    smtp($s, "MAIL FROM:<$env{SCAN_USER}>");
    check(smtp($s, "RCPT TO:<auth\@$env{RELAY_DOMAIN}>") =~ /^250/, 'authenticated relay accepted');
    smtp($s, 'DATA');
    check(smtp($s, "Subject: $tag-auth\r\n\r\nbody\r\n.") =~ /^250/, 'message queued');
    smtp($s, 'QUIT');
    check(wait_file_in($env{MAILDIR_RELAY}, "$tag-auth"), 'relayed message in MAILDIR_RELAY');
}
# NOAUTH port: no AUTH
{
    my $s = conn($env{SMTP_NOAUTH_PORT}, '127.0.0.20');
    smtp_reply($s);
    check(smtp($s, 'EHLO selfcheck') !~ /AUTH/, 'NOAUTH port offers no AUTH');
    smtp($s, 'QUIT');
}
# STARTTLS port: STARTTLS offered, AUTH refused before TLS
{
    my $s = conn($env{SMTP_STARTTLS_PORT}, '127.0.0.20');
    smtp_reply($s);
    my $ehlo = smtp($s, 'EHLO selfcheck');
    check($ehlo =~ /STARTTLS/ && $ehlo !~ /AUTH/, 'STARTTLS port: STARTTLS offered, AUTH hidden');
    check(smtp($s, "AUTH PLAIN $plain") =~ /^530/, 'STARTTLS port: AUTH before TLS refused (530)');
    smtp($s, 'QUIT');
}
# POP3 from a foreign address: fixed UIDLs, then POP before SMTP relay
{
    my $ip = '127.0.0.29';
    unlink "$env{POPAUTH_DIR}/$ip";
    my $s = conn($env{POP3_PORT}, $ip);
    pop_line($s);
    pop_line($s, "USER $env{IFAX_USER}");
    check(pop_line($s, "PASS $env{IFAX_PASSWORD}") =~ /^\+OK/, 'POP3 login ifax');
    pop_line($s, 'UIDL');
    my @uidl;
    while (defined(my $l = <$s>)) { last if $l =~ /^\.\r?$/; push @uidl, (split ' ', $l)[1] }
    check(join(',', @uidl) eq $env{IFAX_UIDLS}, "UIDL = $env{IFAX_UIDLS}");
    pop_line($s, 'QUIT');

    my $m = conn($env{SMTP_NOAUTH_PORT}, $ip);
    smtp_reply($m);
    smtp($m, 'EHLO selfcheck');
    smtp($m, "MAIL FROM:<fax\@$env{RELAY_DOMAIN}>");
    check(smtp($m, "RCPT TO:<popbs\@$env{RELAY_DOMAIN}>") =~ /^250/, 'POP before SMTP: relay accepted');
    smtp($m, 'DATA');
    smtp($m, "Subject: $tag-popbs\r\n\r\nbody\r\n.");
    smtp($m, 'QUIT');
    check(wait_file_in($env{MAILDIR_RELAY}, "$tag-popbs"), 'POP-before-SMTP message in MAILDIR_RELAY');
}
# SCRAM instance: its ports offer SCRAM, the password stored as SCRAM keys checks out,
# and the first instance's ports do not offer SCRAM
{
    my $s = conn($env{SMTP_SCRAM_PORT});
    smtp_reply($s);
    my $ehlo = smtp($s, 'EHLO selfcheck');
    check($ehlo =~ /^250[- ]AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256\r?$/m, 'SCRAM port offers SCRAM-SHA-1 and SCRAM-SHA-256');
    check(smtp($s, 'AUTH PLAIN ' . b64("\0$env{SCRAM_USER}\0$env{SCRAM_PASSWORD}")) =~ /^235/, 'SCRAM port: PLAIN against the SCRAM keys: 235');
    smtp($s, 'QUIT');
    my $p = conn($env{POP3_SCRAM_PORT});
    pop_line($p);
    pop_line($p, 'CAPA');
    my $capa = '';
    while (defined(my $l = <$p>)) { last if $l =~ /^\.\r?$/; $capa .= $l }
    check($capa =~ /^SASL .*\bSCRAM-SHA-1\b.*\bSCRAM-SHA-256\b/m, 'SCRAM POP3 port lists SCRAM-SHA-1 and SCRAM-SHA-256');
    pop_line($p, 'QUIT');
    my $o = conn($env{POP3_PORT});
    pop_line($o);
    pop_line($o, 'CAPA');
    $capa = '';
    while (defined(my $l = <$o>)) { last if $l =~ /^\.\r?$/; $capa .= $l }
    check($capa !~ /SCRAM/, 'POP3 port does not list SCRAM');
    pop_line($o, 'QUIT');
}
# TLS listeners
for my $t (["SMTPS", $env{SMTPS_PORT}, ''], ["POP3S", $env{POP3S_PORT}, ''],
           ["STARTTLS", $env{SMTP_STARTTLS_PORT}, '-starttls smtp'], ["POP3 STLS", $env{POP3_PORT}, '-starttls pop3']) {
    my ($name, $port, $extra) = @$t;
    my $out = `echo | timeout 10 openssl s_client -connect 127.0.0.1:$port $extra -CAfile '$env{CA_CERT}' -verify_hostname $env{LAB_TLS_HOSTNAME} -verify_return_error 2>&1`;
    check($out =~ /Verify return code: 0 \(ok\)/, "$name: TLS handshake, certificate verified");
    my $old = `echo | timeout 10 openssl s_client -connect 127.0.0.1:$port $extra -tls1_1 2>&1`;
    check($old !~ /^New, TLSv1\.1, Cipher is (?!\(NONE\))/m, "$name: TLS 1.1 refused");
}

print "$pass passed, $fail failed\n";
exit($fail ? 1 : 0);
