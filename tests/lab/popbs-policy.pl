#!/usr/bin/perl
# POP-before-SMTP policy service for the mail lab (Postfix policy delegation
# protocol, run by spawn(8)). Arguments: <popauth dir> <ttl seconds>.
# The Dovecot post-login script touches <popauth dir>/<client ip> after each
# successful POP3 login; while that file is younger than the TTL the client
# may relay (action=OK), otherwise the decision is left to the next
# restriction (action=DUNNO). Core Perl only.
use strict;
use warnings;

my ($dir, $ttl) = @ARGV;
die "usage: popbs-policy.pl DIR TTL\n" unless defined $dir && defined $ttl;
$| = 1;

my %attr;
while (my $line = <STDIN>) {
    $line =~ s/\r?\n\z//;
    if ($line ne '') {
        my ($k, $v) = split /=/, $line, 2;
        $attr{$k} = defined $v ? $v : '' if defined $k;
        next;
    }
    my $action = 'DUNNO';
    my $ip = $attr{client_address} // '';
    if ($ip =~ /\A[0-9A-Fa-f.:]+\z/) {
        my @st = stat("$dir/$ip");
        if (@st && time() - $st[9] < $ttl) {
            $action = 'OK';
        }
    }
    print "action=$action\n\n";
    %attr = ();
}
exit 0;
