#!/usr/bin/env bash
# Re-runs every generator/checker under tests/vectors (python3-cryptography / openssl CLI) and the
# format check. Deterministic generators must reproduce the committed .vec files byte for byte.
# Generators that draw fresh keys or nonces (ecdsa/gen_openssl_ecdsa.sh, x509_openssl.sh,
# key_establishment.py: its ECDSA signature) only run with --with-random.
set -euo pipefail
cd "$(dirname "$0")"
export PYTHONDONTWRITEBYTECODE=1
PY=/usr/bin/python3
for g in cmac aes sha256 x963kdf ecdh eid iccid scp03_kdf scp03_apdu scp03t des gp_cert gp_cert_files \
         scp80 sms usim_aka isdp_token euicc_frontends euicc_master_delete; do
  "$PY" "$g.py"
done
# Facts of the TS.48 packages: only where ../shared (beside the checkout) holds them.
if [ -d ../../../../shared/testdata/ts48 ]; then "$PY" saip_ts48.py; fi
if [ "${1:-}" = --with-random ]; then
  ../ecdsa/gen_openssl_ecdsa.sh
  ./x509_openssl.sh
  "$PY" key_establishment.py
fi
"$PY" milenage_check.py
"$PY" ecdsa_check.py
"$PY" check_format.py
