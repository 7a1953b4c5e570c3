#!/usr/bin/env bash
# Writes tests/vectors/x509/*.pem: X.509 certificates made by the openssl command line (OpenSSL 3),
# an implementation independent of m2mrsp, shaped like the SGP.02 PKI that `m2mrsp pki init`
# builds (docs/formats/pki.md), for crypto/x509 and pki/chain tests to parse and verify:
#   ci.pem            self-signed CI root, P-256, CA, keyCertSign|cRLSign, SKI
#   eum.pem           EUM CA issued by ci.pem (pathlen 0, keyCertSign|digitalSignature, SKI/AKI,
#                     entity OID extension = <arc>.2.2)
#   tls-server.pem    TLS server leaf issued by ci.pem (serverAuth, SAN, entity OID <arc>.2.3)
#   expired.pem       leaf issued by ci.pem, valid 2000-01-01 .. 2001-01-01 only
#   other-ci.pem      an unrelated self-signed root; other-leaf.pem is issued by it
#   bp-ci.pem         self-signed root on brainpoolP256r1; bp-leaf.pem issued by it
# <arc> = 2.25.101888271034237228525398607593864757687 (crypto::kM2mrspOidArc).
# Private keys live only in a temporary directory and are deleted; every certificate is checked
# with `openssl verify` before the script ends. Fresh keys on every run: the committed files are
# one run (like ecdsa/gen_openssl_ecdsa.sh).
set -euo pipefail
cd "$(dirname "$0")/../x509"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
arc=2.25.101888271034237228525398607593864757687

key() { openssl ecparam -name "$1" -genkey -noout -out "$tmp/$2.key" 2>/dev/null; }

root() {  # curve name subject
  key "$1" "$2"
  openssl req -x509 -new -key "$tmp/$2.key" -subj "$3" -days 36500 -sha256 -set_serial 1 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" -out "$2.pem"
}

issue() {  # curve name subject issuer extensions-file serial
  key "$1" "$2"
  openssl req -new -key "$tmp/$2.key" -subj "$3" -out "$tmp/$2.csr"
  openssl x509 -req -in "$tmp/$2.csr" -CA "$4.pem" -CAkey "$tmp/$4.key" -set_serial "$6" \
    -days 36500 -sha256 -extfile "$5" -out "$2.pem" 2>/dev/null
}

cat > "$tmp/eum.ext" <<EXT
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
$arc.1.1=ASN1:OID:$arc.2.2
EXT
cat > "$tmp/tls.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:smdp.openssl.test
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
$arc.1.1=ASN1:OID:$arc.2.3
EXT
cat > "$tmp/leaf.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
EXT

root prime256v1 ci "/C=FR/O=openssl vectors/CN=OpenSSL CI"
issue prime256v1 eum "/C=FR/O=openssl vectors/CN=OpenSSL EUM" ci "$tmp/eum.ext" 2
issue prime256v1 tls-server "/O=openssl vectors/CN=OpenSSL SM-DP TLS server" ci "$tmp/tls.ext" 3
root prime256v1 other-ci "/O=openssl vectors/CN=Other CI"
issue prime256v1 other-leaf "/O=openssl vectors/CN=Other leaf" other-ci "$tmp/leaf.ext" 4
root brainpoolP256r1 bp-ci "/O=openssl vectors/CN=Brainpool CI"
issue brainpoolP256r1 bp-leaf "/O=openssl vectors/CN=Brainpool leaf" bp-ci "$tmp/leaf.ext" 5

# expired.pem: `openssl ca` is the 3.0 CLI that takes explicit start and end dates.
key prime256v1 expired
openssl req -new -key "$tmp/expired.key" -subj "/O=openssl vectors/CN=Expired leaf" -out "$tmp/expired.csr"
mkdir -p "$tmp/ca" && touch "$tmp/ca/index.txt" && echo 06 > "$tmp/ca/serial"
cat > "$tmp/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $tmp/ca/index.txt
serial = $tmp/ca/serial
new_certs_dir = $tmp/ca
default_md = sha256
policy = p
copy_extensions = none
[p]
commonName = supplied
organizationName = optional
CNF
openssl ca -batch -config "$tmp/ca.cnf" -cert ci.pem -keyfile "$tmp/ci.key" -in "$tmp/expired.csr" \
  -startdate 20000101000000Z -enddate 20010101000000Z -extfile "$tmp/leaf.ext" -notext \
  -out expired.pem 2>/dev/null

openssl verify -CAfile ci.pem eum.pem tls-server.pem
openssl verify -CAfile other-ci.pem other-leaf.pem
openssl verify -CAfile bp-ci.pem bp-leaf.pem
[ "$(openssl x509 -in expired.pem -noout -enddate)" = "notAfter=Jan  1 00:00:00 2001 GMT" ]
# The signature itself must be the CI's: verify at a time when both are valid is impossible (the
# CI is new), so check with -no_check_time.
openssl verify -no_check_time -CAfile ci.pem expired.pem
if openssl verify -CAfile ci.pem expired.pem >/dev/null 2>&1; then echo "expired.pem verifies now" >&2; exit 1; fi
if openssl verify -CAfile ci.pem other-leaf.pem >/dev/null 2>&1; then echo "other-leaf chains to ci" >&2; exit 1; fi
echo "x509 vectors written to $(pwd)"
